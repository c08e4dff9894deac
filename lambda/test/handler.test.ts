import { spawnSync } from "node:child_process";
import type { Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import { type GithubApiDouble, startGithubApiDouble } from "../../test/doubles/github-api.js";
import { type Emulator, startEmulator } from "../../test/emulator/server.js";
import { recordAwsCalls, sageMakerActions } from "../../test/support/aws-calls.js";
import type { HandlerResult } from "../src/handler-result.js";
import { METRICS_NAMESPACE } from "../src/metrics.js";
import {
  DEPLOY_ID,
  ENDPOINT,
  exampleWorkflowInputs,
  handlerEnv,
  handoffPayload,
  handoffTags,
  lambdaContext,
  NEW_CONFIG,
  SECRET_ARN,
  stateChangeEvent,
  TEST_TOKEN,
} from "./harness.js";
import { type SecretsManagerDouble, startSecretsManagerDouble } from "./secrets-manager-double.js";

type Handler = (event: unknown, context: Context) => Promise<HandlerResult>;
type Json = Record<string, unknown>;

/** The handler as the source runs it, and as Lambda loads the committed bundle. */
const MODULES: [string, () => Promise<{ handler: Handler }>][] = [
  ["lambda/src/index.ts", () => import("../src/index.js")],
  [
    "lambda/dist/index.mjs",
    () => import("../dist/index.mjs" as string) as Promise<{ handler: Handler }>,
  ],
];

let emulator: Emulator;
let github: GithubApiDouble;
let secrets: SecretsManagerDouble;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator();
  github = await startGithubApiDouble({
    tokens: [TEST_TOKEN],
    workflowInputs: await exampleWorkflowInputs(),
  });
  secrets = await startSecretsManagerDouble({
    [SECRET_ARN]: JSON.stringify({ token: TEST_TOKEN }),
  });
});

afterAll(async () => {
  recordAwsCalls("lambda-handler", "lambda", [
    ...sageMakerActions(emulator.requests),
    ...secrets.reads.map(() => "secretsmanager:GetSecretValue"),
  ]);
  process.env = saved;
  await Promise.all([emulator.close(), github.close(), secrets.close()]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A fresh environment and an InService endpoint the action handed off; returns the payload it sent. */
function seedHandedOffEndpoint(overrides: Partial<HandoffPayload> = {}): HandoffPayload {
  useEnvironment();
  emulator.reset();
  const payload = handoffPayload({
    deadline: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  });
  emulator.seed({
    endpoints: [
      {
        EndpointName: ENDPOINT,
        EndpointConfigName: NEW_CONFIG,
        Tags: handoffTags(payload.deadline, payload),
      },
    ],
  });
  return payload;
}

function useEnvironment(overrides: Record<string, string | undefined> = {}): void {
  process.env = {
    ...saved,
    ...handlerEnv({ sagemaker: emulator.url, secrets: secrets.url, github: github.url }),
    ...overrides,
  };
}

/** Captures what the function writes (Powertools' JSON lines: warnings and errors go to stderr). */
function captureLogs(): string[] {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(
        ...String(chunk)
          .split("\n")
          .filter((line) => line.trim() !== ""),
      );
      return true;
    });
  }
  return lines;
}

/** The JSON lines among `lines`, split into log entries and EMF metric records. */
function jsonLines(lines: readonly string[]): { logs: Json[]; metrics: Json[] } {
  const entries = lines.flatMap((line) => {
    try {
      const value = JSON.parse(line) as unknown;
      return typeof value === "object" && value !== null ? [value as Json] : [];
    } catch {
      return [];
    }
  });
  return {
    logs: entries.filter((entry) => !("_aws" in entry)),
    metrics: entries.filter((entry) => "_aws" in entry),
  };
}

/** The counts the EMF records add up to, by metric name, for the given namespace. */
function counted(metrics: readonly Json[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const record of metrics) {
    const aws = record._aws as {
      CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[];
    };
    for (const set of aws.CloudWatchMetrics) {
      if (set.Namespace !== METRICS_NAMESPACE) continue;
      for (const { Name } of set.Metrics) totals[Name] = (totals[Name] ?? 0) + Number(record[Name]);
    }
  }
  return totals;
}

describe.each(MODULES)("%s", (_name, load) => {
  it("exports handler as a function", async () => {
    const { handler } = await load();
    expect(typeof handler).toBe("function");
  });

  it("refuses to run with a broken environment, naming the variables", async () => {
    useEnvironment({ GITHUB_TOKEN_SECRET_ARN: undefined, ALLOWED_REPOSITORIES: "" });
    const logs = captureLogs();
    const { handler } = await load();

    await expect(handler(handoffPayload(), lambdaContext())).rejects.toThrow(
      /GITHUB_TOKEN_SECRET_ARN is not set.*ALLOWED_REPOSITORIES/,
    );
    expect(logs.some((line) => line.includes("misconfigured"))).toBe(true);
  });

  it("dispatches for an InService endpoint, logging JSON lines that never hold the token", async () => {
    const payload = seedHandedOffEndpoint();
    const before = github.acceptedDispatches().length;
    const lines = captureLogs();
    const { handler } = await load();

    const result = await handler(payload, lambdaContext());
    const repeat = await handler(stateChangeEvent("IN_SERVICE"), lambdaContext());
    const invalid = await handler({ version: 1, endpointName: "x/y" }, lambdaContext());

    expect([result.result, repeat.result, invalid.result]).toEqual([
      "dispatched",
      "already-reported",
      "invalid",
    ]);
    expect(github.acceptedDispatches().length - before).toBe(1);
    expect(github.acceptedDispatches().at(-1)?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    const { logs, metrics } = jsonLines(lines);
    expect(logs.some((entry) => entry.message === "Dispatched the callback workflow")).toBe(true);
    expect(
      logs.every(
        (entry) =>
          entry.service === "sagemaker-deploy-companion" && typeof entry.level === "string",
      ),
    ).toBe(true);
    expect(
      logs.find((entry) => entry.message === "Dispatched the callback workflow"),
    ).toMatchObject({ function_request_id: lambdaContext().awsRequestId });
    expect(counted(metrics)).toEqual({ Dispatched: 1, AlreadyReported: 1, Invalid: 1 });
    expect(metrics[0]).toMatchObject({ service: "sagemaker-deploy-companion" });
    expect(lines.join("\n")).not.toContain(TEST_TOKEN);
  });

  it("refuses a forged hand-off for another account's endpoint, counting it, dispatching nothing", async () => {
    seedHandedOffEndpoint();
    const before = github.requests.length;
    const lines = captureLogs();
    const { handler } = await load();

    const result = await handler(
      handoffPayload({
        deadline: new Date(Date.now() + 3_600_000).toISOString(),
        endpointArn: `arn:aws:sagemaker:us-east-1:999988887777:endpoint/${ENDPOINT}`,
      }),
      lambdaContext(),
    );

    expect(result.result).toBe("refused");
    expect(github.requests.length).toBe(before);
    const { logs, metrics } = jsonLines(lines);
    expect(logs.find((entry) => String(entry.message).startsWith("Refused"))).toMatchObject({
      level: "ERROR",
      message: expect.stringContaining("another AWS account"),
    });
    expect(counted(metrics)).toEqual({ Refused: 1 });
  });

  it("logs a refused dispatch with its reason, still without the token, and counts it", async () => {
    const payload = seedHandedOffEndpoint({
      source: { runId: "5151", runAttempt: "1", sha: "abcdef0", deployId: DEPLOY_ID },
    });
    github.script("dispatch", {
      status: 403,
      body: { message: "Resource not accessible by personal access token" },
    });
    const lines = captureLogs();
    const { handler } = await load();

    const result = await handler(payload, lambdaContext());

    expect(result.result).toBe("dispatch-failed");
    expect(
      lines.some((line) => line.includes("Resource not accessible by personal access token")),
    ).toBe(true);
    expect(counted(jsonLines(lines).metrics)).toEqual({ DispatchFailed: 1 });
    expect(lines.join("\n")).not.toContain(TEST_TOKEN);
  });
});

describe("lambda/dist/index.mjs in a plain Node process", () => {
  it("loads as an ES module with a handler export, as Lambda's runtime imports it", () => {
    const url = new URL("../dist/index.mjs", import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(url)}); process.stdout.write(typeof m.handler);`;

    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
    });

    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("function");
  });
});
