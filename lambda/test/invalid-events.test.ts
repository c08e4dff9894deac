import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import {
  ENDPOINT,
  type Harness,
  MINUTE,
  seedCreating,
  startHarness,
  stateChangeEvent,
} from "./harness.js";

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
  harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
  seedCreating(harness, new Date(harness.clock.now() + 60 * MINUTE).toISOString());
});

afterAll(async () => {
  await harness.close();
});

function valid(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(harness.payload()));
}

const hostile: [string, () => unknown][] = [
  ["null", () => null],
  ["a string", () => "please dispatch"],
  ["an array", () => [valid()]],
  ["an empty object", () => ({})],
  ["version 2", () => ({ ...valid(), version: 2 })],
  ["no callback", () => ({ ...valid(), callback: undefined })],
  ["a callback that is a string", () => ({ ...valid(), callback: "octo-org/models" })],
  [
    "a repository with a path",
    () => ({
      ...valid(),
      callback: { repository: "octo-org/models/../../x", workflow: "w.yml", ref: "main" },
    }),
  ],
  [
    "a workflow path escaping the repository",
    () => ({
      ...valid(),
      callback: { repository: "octo-org/models", workflow: "../../orgs/x", ref: "main" },
    }),
  ],
  [
    "a ref with spaces",
    () => ({
      ...valid(),
      callback: { repository: "octo-org/models", workflow: "w.yml", ref: "main; rm -rf /" },
    }),
  ],
  ["a region that is a host name", () => ({ ...valid(), region: "evil.example.com#" })],
  ["an endpoint name with a slash", () => ({ ...valid(), endpointName: "a/b" })],
  ["an ARN of another service", () => ({ ...valid(), endpointArn: "arn:aws:s3:::bucket" })],
  ["a 1 MB endpoint name", () => ({ ...valid(), endpointName: "a".repeat(1_000_000) })],
  ["a deadline that is not a time", () => ({ ...valid(), deadline: "tomorrow" })],
  ["a deadline in the past", () => ({ ...valid(), deadline: "2020-01-01T00:00:00Z" })],
  [
    "a numeric run id field",
    () => ({ ...valid(), source: { runId: 4242, runAttempt: "1", sha: "abcdef0" } }),
  ],
  [
    "a prototype-polluting key",
    () =>
      JSON.parse('{"__proto__": {"version": 1}, "constructor": {"prototype": {"polluted": true}}}'),
  ],
  ["a continuation hop past the limit", () => ({ ...valid(), continuation: { hop: 1_000_000 } })],
  ["a continuation hop that is a string", () => ({ ...valid(), continuation: { hop: "1" } })],
  [
    "a payload of an action that sends no deploy id",
    () => {
      const event = valid();
      const { deployId: _, ...source } = event.source as Record<string, unknown>;
      return { ...event, source };
    },
  ],
  [
    "an aws.sagemaker event of another kind",
    () => ({
      ...stateChangeEvent("IN_SERVICE"),
      "detail-type": "SageMaker Training Job State Change",
    }),
  ],
  [
    "a state-change event without a name",
    () => ({ ...stateChangeEvent("IN_SERVICE"), detail: {} }),
  ],
  [
    "a state-change event for a bad region",
    () => ({ ...stateChangeEvent("IN_SERVICE"), region: "../../" }),
  ],
];

/** Replaces one field of a valid payload (possibly nested) with anything at all. */
function mutated(path: readonly string[], value: unknown): Record<string, unknown> {
  const event = valid();
  let node: Record<string, unknown> = event;
  for (const key of path.slice(0, -1)) node = (node[key] ?? {}) as Record<string, unknown>;
  node[path.at(-1) ?? "version"] = value;
  return event;
}

const FIELDS = [
  ["version"],
  ["endpointName"],
  ["endpointArn"],
  ["expectedConfigName"],
  ["region"],
  ["deadline"],
  ["callback"],
  ["callback", "repository"],
  ["callback", "workflow"],
  ["callback", "ref"],
  ["source"],
  ["source", "runId"],
  ["source", "sha"],
  ["source", "deployId"],
] as const;

describe("generated events (fast-check)", () => {
  it("never throws and never dispatches for any JSON value", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        const before = harness.github.requests.length;
        const result = await handleEvent(event, harness.invocation(), harness.deps);
        expect(result.result).toBe(RESULT.invalid);
        expect(harness.github.requests.length).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws and never dispatches when one field of a valid payload is replaced by a wrong-typed or hostile value", async () => {
    const hostileValue = fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string()),
      fc.dictionary(fc.string(), fc.string()),
      fc.string({ minLength: 300, maxLength: 5_000 }),
      fc.string().map((text) => `${text}\n::set-output name=x::y\u0000`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FIELDS), hostileValue, async (path, value) => {
        const before = harness.github.requests.length;
        const result = await handleEvent(mutated(path, value), harness.invocation(), harness.deps);
        expect(result.result).toBe(RESULT.invalid);
        expect(harness.github.requests.length).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});

describe("invalid and hostile events", () => {
  it.each(hostile)("%s: logged, no throw, no dispatch", async (_name, event) => {
    const before = harness.github.requests.length;

    const result = await handleEvent(event(), harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.invalid);
    expect(harness.github.requests.length).toBe(before);
    expect(harness.log.entries.at(-1)?.level).toMatch(/warn|error/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
