/**
 * 50 deploys of distinct endpoints at once — 50 processes of dist/index.js under Node 24 — against
 * one emulator that throttles above 10 requests per second (docs/architecture.md "Budgets"): every deploy must end
 * InService with nothing orphaned, nothing created twice and nothing else touched.
 * `WRITE_RELIABILITY_DOC=1` writes the figures to docs/reliability.md.
 */

import { afterAll, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS } from "../../src/shared/aws-client.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import type { EmulatorState } from "../emulator/types.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import {
  auditRequests,
  type RequestAudit,
  writeReliabilitySection,
  writingReliabilityDoc,
} from "./reliability.js";
import { type ActionRun, demoInputs, nodeRuntimes, runAction } from "./run-action.js";

const runtime = nodeRuntimes().at(-1);
const node = runtime?.path ?? process.execPath;

const DEPLOYS = 50;
const RATE_LIMIT = 10;
const CREATE_MS = 5_000;
const POLL_INTERVAL = "5s";
const WAIT_TIMEOUT = "5m";

const names = Array.from({ length: DEPLOYS }, (_, i) => `load-${String(i).padStart(2, "0")}`);

/** Resources no endpoint needs: configs no endpoint runs, models no config names. */
function unreferenced(state: EmulatorState): string[] {
  const usedConfigs = new Set(state.endpoints.map((e) => e.configName));
  const usedModels = new Set(
    state.endpointConfigs.flatMap((c) =>
      ((c.input.ProductionVariants ?? []) as { ModelName?: string }[]).map((v) => v.ModelName),
    ),
  );
  return [
    ...state.endpointConfigs
      .filter((c) => !usedConfigs.has(c.name))
      .map((c) => `endpoint config ${c.name}`),
    ...state.models.filter((m) => !usedModels.has(m.name)).map((m) => `model ${m.name}`),
  ];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Figures {
  readonly wallMs: number;
  readonly runs: readonly ActionRun[];
  readonly audit: RequestAudit;
  readonly state: EmulatorState;
  readonly describeEndpointCalls: number;
  /** The highest SDK attempt number any request carried (the action allows MAX_ATTEMPTS). */
  readonly maxAttempt: number;
}

let figures: Figures | undefined;

describe(`${DEPLOYS} concurrent deploys on dist/index.js (${runtime?.label ?? "this Node"})`, () => {
  let emulator: Emulator;

  afterAll(async () => {
    if (emulator === undefined) return;
    recordAwsCalls("e2e-concurrency", "action", sageMakerActions(emulator.requests));
    await emulator.close();
  });

  it(`all end InService with nothing orphaned, the emulator throttling above ${RATE_LIMIT} requests/s`, async () => {
    // prepare
    emulator = await startEmulator({
      rateLimit: RATE_LIMIT,
      defaultLifecycle: { create: { status: "InService", afterMs: CREATE_MS } },
    });
    const deploy = (name: string) =>
      runAction({
        inputs: demoInputs({
          "endpoint-name": name,
          "poll-interval": POLL_INTERVAL,
          "wait-timeout": WAIT_TIMEOUT,
        }),
        sagemakerUrl: emulator.url,
        node,
        killAfterMs: 330_000,
      });
    const started = performance.now();
    // act
    const runs = await Promise.all(names.map(deploy));
    // assess
    const wallMs = performance.now() - started;
    const state = emulator.state();
    const audit = auditRequests(emulator.requests);
    const describeEndpointCalls = emulator.requests.filter(
      (r) => r.operation === "DescribeEndpoint",
    ).length;
    const maxAttempt = Math.max(...emulator.requests.map((r) => r.attempt ?? 1));
    figures = { wallMs, runs, audit, state, describeEndpointCalls, maxAttempt };
    console.log(
      `${DEPLOYS} concurrent deploys: ${audit.requests} requests, ${audit.faults["rate-limit"] ?? 0} throttled, ` +
        `${audit.retries} retries (at most attempt ${maxAttempt} of ${MAX_ATTEMPTS}), wall ${seconds(wallMs)} ` +
        `(per deploy: median ${seconds(median(runs.map((r) => r.durationMs)))}, ` +
        `max ${seconds(Math.max(...runs.map((r) => r.durationMs)))})`,
    );
    const outcomes = runs.map((run, i) => ({
      name: names[i],
      exitCode: run.exitCode,
      status: run.outputs["endpoint-status"],
      operation: run.outputs.operation,
      ...(run.exitCode === 0 ? {} : { error: /^::error::(.*)$/m.exec(run.stdout)?.[1] }),
    }));
    expect(outcomes).toEqual(
      names.map((name) => ({ name, exitCode: 0, status: "InService", operation: "created" })),
    );
    expect(state.endpoints.map((e) => `${e.name} ${e.status} ${e.configName}`).sort()).toEqual(
      runs.map((run, i) => `${names[i]} InService ${run.outputs["endpoint-config-name"]}`),
    );
    expect(state.endpointConfigs).toHaveLength(DEPLOYS);
    expect(state.models).toHaveLength(DEPLOYS);
    expect(unreferenced(state)).toEqual([]);
    expect(audit.duplicates).toEqual([]);
    expect(audit.strayAlreadyExisting).toEqual([]);
    expect(audit.collateral).toEqual([]);
    expect(emulator.violations).toEqual([]);
  }, 360_000);
});

afterAll(() => {
  if (!writingReliabilityDoc() || figures === undefined) return;
  const { wallMs, runs, audit, state, describeEndpointCalls, maxAttempt } = figures;
  const durations = runs.map((r) => r.durationMs);
  const succeeded = runs.filter(
    (run, i) =>
      run.exitCode === 0 &&
      state.endpoints.some(
        (e) =>
          e.name === names[i] &&
          e.status === "InService" &&
          e.configName === run.outputs["endpoint-config-name"],
      ),
  ).length;
  const falseSuccesses = runs.filter((r) => r.exitCode === 0).length - succeeded;
  const orphans = unreferenced(state);
  const rows: [string, string][] = [
    ["deploys (distinct endpoints, one process each, all started at once)", String(DEPLOYS)],
    ["ended exit 0, InService on their new config", `${succeeded} of ${DEPLOYS}`],
    ["wall time, first start to last exit", seconds(wallMs)],
    [
      "one deploy's time: min / median / max",
      `${seconds(Math.min(...durations))} / ${seconds(median(durations))} / ${seconds(Math.max(...durations))}`,
    ],
    ["requests made", String(audit.requests)],
    [
      "answered ThrottlingException (above the rate limit)",
      String(audit.faults["rate-limit"] ?? 0),
    ],
    ["retries (requests the SDK sent again)", String(audit.retries)],
    [`highest attempt any call needed (the action allows ${MAX_ATTEMPTS})`, String(maxAttempt)],
    ["DescribeEndpoint calls", String(describeEndpointCalls)],
    [
      "resources left: models / endpoint configs / endpoints",
      `${state.models.length} / ${state.endpointConfigs.length} / ${state.endpoints.length}`,
    ],
    ["orphans (configs no endpoint runs, models no config names)", String(orphans.length)],
    ["resources created twice", String(audit.duplicates.length)],
    ["resources touched that the run did not create", String(audit.collateral.length)],
  ];
  writeReliabilitySection(
    "concurrency",
    {
      runs: DEPLOYS,
      falseSuccesses,
      wrongOutcomes: runs.filter(
        (r) =>
          r.exitCode !== 0 ||
          r.outputs["endpoint-status"] !== "InService" ||
          r.outputs.operation !== "created",
      ).length,
      orphans: orphans.length,
      missing: DEPLOYS - state.endpoints.filter((e) => e.status === "InService").length,
      duplicates: audit.duplicates.length,
      collateral: audit.collateral.length,
    },
    [
      `${DEPLOYS} deploys of distinct endpoints at once, each a process of \`dist/index.js\` under`,
      `${runtime?.label ?? "this Node"}, against one emulator that answers ThrottlingException`,
      `above ${RATE_LIMIT} requests per second (a token bucket over all calls). Each endpoint turns`,
      `InService ${CREATE_MS / 1000} s after its CreateEndpoint; \`poll-interval: ${POLL_INTERVAL}\`,`,
      `\`wait-timeout: ${WAIT_TIMEOUT}\`. The action's client retries in the SDK's adaptive mode`,
      `(${MAX_ATTEMPTS} attempts, exponential backoff with jitter, and a sending rate that slows`,
      "after throttling). The wall time is bound by the rate limit: every deploy needs about",
      "seven accepted calls, so 50 of them need at least 35 s at 10 per second.",
      "",
      "| figure | value |",
      "|---|---:|",
      ...rows.map(([label, value]) => `| ${label} | ${value} |`),
    ].join("\n"),
  );
});
