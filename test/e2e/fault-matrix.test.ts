/**
 * The fault matrix: every fault × every lifecycle it can meet, end to end on dist/index.js under
 * Node 24, each cell against its own emulator (so each cell's seeded faults replay alike,
 * whatever runs beside it). For every cell: the outcome is right (success only when truly
 * InService on the new config), nothing is created twice, the emulator ends holding exactly what
 * should exist, and nothing the run did not create is touched. `WRITE_RELIABILITY_DOC=1` writes
 * the table to docs/reliability.md.
 */
import { afterAll, describe, it, vi } from "vitest";
import { seedForDraws } from "../emulator/faults.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import type { EmulatorState, Faults, Lifecycle } from "../emulator/types.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { seedExistingEndpoint } from "./existing-endpoint.js";
import {
  auditRequests,
  formatFaults,
  resourceLabels,
  writeReliabilitySection,
  writingReliabilityDoc,
} from "./reliability.js";
import { type ActionRun, demoInputs, nodeRuntimes, runAction } from "./run-action.js";

const runtime = nodeRuntimes().at(-1);
const node = runtime?.path ?? process.execPath;

const ENDPOINT = "fraud-scorer";

/** Every call that changes state, for the cell that cuts each of them once. */
const MUTATING = [
  "CreateModel",
  "CreateEndpointConfig",
  "CreateEndpoint",
  "UpdateEndpoint",
  "AddTags",
  "DeleteEndpoint",
  "DeleteEndpointConfig",
  "DeleteModel",
];

/** The Describe calls an inspection and a wait make. */
const DESCRIBES = ["DescribeEndpoint", "DescribeModel", "DescribeEndpointConfig"];

/** What a lifecycle's cells are: an update of a seeded endpoint, or a create of a new one. */
type Kind = "create" | "update";

interface Expected {
  readonly exitCode: number;
  /** The `endpoint-status` output; undefined when the run never read a status. */
  readonly status: string | undefined;
  readonly operation: "created" | "updated";
  /** Part of the `failure-reason` output. */
  readonly failureReason?: string;
  /** The run's own resources that remain: all of them, its model and config only, or none. */
  readonly keeps: "all" | "model-and-config" | "nothing";
  /** The endpoint afterwards, `<status> on <config>` ("new": the run's config), or "none". */
  readonly endpoint: string;
}

const ROLLBACK_REASON = "Alarm fraud-scorer-5xx fired during the canary.";
const FAILED_REASON = "The primary container did not pass the ping health check.";
const ROLLBACK_FAILED_REASON = "Rollback failed: the previous instances could not be restored.";

/** One lifecycle: how the create or update ends, what a clean run shows, how it settles. */
interface LifecycleRow {
  readonly name: string;
  readonly kind: Kind;
  readonly lifecycle: Lifecycle;
  readonly expected: Expected;
  /** The endpoint once the lifecycle has run its course, whatever the action did. */
  readonly endsAs: string;
}

/** Short lifecycles (3 s), so the 2 s delay cells dominate the wall time. */
const LIFECYCLES: readonly LifecycleRow[] = [
  {
    name: "create → InService",
    kind: "create",
    lifecycle: { create: { status: "InService", afterMs: 3_000 } },
    expected: {
      exitCode: 0,
      status: "InService",
      operation: "created",
      keeps: "all",
      endpoint: "InService on new",
    },
    endsAs: "InService on new",
  },
  {
    name: "update → InService",
    kind: "update",
    lifecycle: { update: { status: "InService", afterMs: 3_000 } },
    expected: {
      exitCode: 0,
      status: "InService",
      operation: "updated",
      keeps: "all",
      endpoint: "InService on new",
    },
    endsAs: "InService on new",
  },
  {
    name: "update → RolledBack",
    kind: "update",
    lifecycle: { update: { status: "RolledBack", afterMs: 3_000, failureReason: ROLLBACK_REASON } },
    expected: {
      exitCode: 1,
      status: "InService",
      operation: "updated",
      failureReason: "rolled back",
      keeps: "nothing",
      endpoint: "InService on legacy-config",
    },
    endsAs: "InService on legacy-config",
  },
  {
    name: "create → Failed",
    kind: "create",
    lifecycle: { create: { status: "Failed", afterMs: 3_000, failureReason: FAILED_REASON } },
    expected: {
      exitCode: 1,
      status: "Failed",
      operation: "created",
      failureReason: FAILED_REASON,
      keeps: "nothing",
      endpoint: "none",
    },
    endsAs: "Failed on new",
  },
  {
    name: "update → UpdateRollbackFailed",
    kind: "update",
    lifecycle: {
      update: {
        status: "UpdateRollbackFailed",
        afterMs: 3_000,
        failureReason: ROLLBACK_FAILED_REASON,
      },
    },
    expected: {
      exitCode: 1,
      status: "UpdateRollbackFailed",
      operation: "updated",
      failureReason: ROLLBACK_FAILED_REASON,
      // The endpoint may serve a mix of old and new: nothing is deleted.
      keeps: "model-and-config",
      endpoint: "UpdateRollbackFailed on legacy-config",
    },
    endsAs: "UpdateRollbackFailed on legacy-config",
  },
];

/** A fault column: its emulator faults, the lifecycles it can meet, and how it changes the outcome. */
interface FaultColumn {
  readonly name: string;
  readonly faults: Faults;
  /** Only cells of this kind can meet the fault (default: both). */
  readonly only?: Kind;
  /** The outcome under this fault, when it is not the lifecycle's own. */
  readonly outcome?: (row: LifecycleRow) => Expected;
}

/**
 * The faults, each with a fixed seed so a cell replays exactly. The 500, drop and drop-after
 * seeds are chosen to hit a create or update call (a deploy's 4th to 6th call) as well as
 * others; every cell asserts that it met its fault at least once.
 */
const FAULTS: readonly FaultColumn[] = [
  { name: "30% ThrottlingException", faults: { throttleRate: 0.3, seed: 101 } },
  { name: "10% HTTP 500", faults: { serverErrorRate: 0.1, seed: 131 } },
  { name: "every answer 2 s late", faults: { delayMs: 2_000 } },
  { name: "10% dropped mid-response (before the handler)", faults: { dropRate: 0.1, seed: 121 } },
  { name: "10% dropped after the handler ran", faults: { dropAfterHandlerRate: 0.1, seed: 104 } },
  {
    name: "throttle 30% + HTTP 500 10% + dropped 10%",
    faults: { throttleRate: 0.3, serverErrorRate: 0.1, dropRate: 0.1, seed: 105 },
  },
  {
    // Deterministic: the draws alternate hit, miss, so each mutating call's first attempt goes
    // through and its answer is lost, and the SDK's retry gets the real answer to a repeat.
    name: "every mutating call dropped once after the handler ran",
    faults: {
      dropAfterHandlerRate: 0.5,
      operations: MUTATING,
      seed: seedForDraws(0.5, [true, false, true, false, true, false, true, false, true, false]),
    },
  },
  {
    // Eventually consistent reads: the update looks undone, which must not read as a rollback.
    name: "first 2 reads after UpdateEndpoint show the old config InService",
    faults: { staleReads: { afterUpdate: 2 } },
    only: "update",
  },
  {
    name: "first 2 reads after CreateEndpoint answer 'Could not find endpoint'",
    faults: { staleReads: { afterCreate: 2 } },
    only: "create",
  },
  {
    name: "Describe answers 3 s late (longer than poll-interval)",
    faults: { delayMs: 3_000, operations: DESCRIBES },
  },
  {
    // The session runs out right after the create or update (its 2nd counted call), so the first
    // poll is refused: the run stops at once, saying how to fix it, and deletes nothing (it
    // could not, and the endpoint is still provisioning).
    name: "credentials expire mid-wait (ExpiredTokenException from the first poll on)",
    faults: {
      credentialsExpire: {
        afterRequests: 2,
        counting: ["DescribeEndpoint", "CreateEndpoint", "UpdateEndpoint"],
      },
    },
    outcome: (row) => ({
      exitCode: 1,
      status: undefined,
      operation: row.expected.operation,
      failureReason: "role-duration-seconds",
      keeps: "all",
      endpoint: row.endsAs,
    }),
  },
];

/** One row of the table in docs/reliability.md. */
interface Row {
  readonly fault: string;
  readonly lifecycle: string;
  readonly expected: string;
  readonly observed: string;
  readonly correct: boolean;
  readonly falseSuccess: boolean;
  readonly requests: number;
  readonly faults: string;
  readonly faultsInjected: number;
  readonly retries: number;
  readonly left: string;
  readonly orphans: readonly string[];
  readonly missing: readonly string[];
  readonly duplicates: readonly string[];
  readonly collateral: readonly string[];
  readonly wallMs: number;
  /** The action's `::error::` line, if it failed. */
  readonly error?: string;
}

const rows: Row[] = [];
/** The AWS calls the cells saw, for the IAM check. */
const seen: ReturnType<typeof sageMakerActions> = [];

const BUSY = ["Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"];

/**
 * The state once any operation the run left going has finished (at most 10 s), so a cell is
 * judged by what stays, not by a moment in the middle of an update.
 */
async function settledState(emulator: Emulator): Promise<EmulatorState> {
  const until = performance.now() + 10_000;
  for (;;) {
    const state = emulator.state();
    const busy = state.endpoints.some((e) => BUSY.includes(e.status));
    if (!busy || performance.now() > until) return state;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const describeOutcome = (exitCode: number | null, status?: string, operation?: string) =>
  `exit ${exitCode}, ${status ?? "—"}, ${operation ?? "—"}`;

/** What must exist afterwards: the seeded resources, plus what of the run's own it keeps. */
function expectedLabels(before: EmulatorState, run: ActionRun, expected: Expected): string[] {
  const labels = new Set(resourceLabels(before));
  if (expected.keeps !== "nothing") {
    labels.add(`model ${run.outputs["model-name"]}`);
    labels.add(`endpoint config ${run.outputs["endpoint-config-name"]}`);
  }
  if (expected.keeps === "all") labels.add(`endpoint ${ENDPOINT}`);
  return [...labels].sort();
}

/** The endpoint as a user would check it: status and the config it runs. */
function endpointView(state: EmulatorState): string {
  const endpoint = state.endpoints.find((e) => e.name === ENDPOINT);
  return endpoint ? `${endpoint.status} on ${endpoint.configName}` : "none";
}

/** The endpoint a correct run leaves, with "new" spelled as the run's config. */
function expectedEndpointView(expected: Expected, newConfig?: string): string {
  return expected.endpoint.replace(/ on new$/, ` on ${newConfig}`);
}

/** What stayed, against what should: orphans, missing resources and the endpoint's state. */
function judgeLeft(wanted: string[], state: EmulatorState, wantedView: string) {
  const actual = resourceLabels(state);
  const orphans = actual.filter((label) => !wanted.includes(label));
  const missing = wanted.filter((label) => !actual.includes(label));
  const view = endpointView(state);
  const problems = [
    ...(view === wantedView ? [] : [`endpoint ${view}`]),
    ...(orphans.length > 0 ? [`orphans: ${orphans.join(", ")}`] : []),
    ...(missing.length > 0 ? [`missing: ${missing.join(", ")}`] : []),
  ];
  return {
    orphans,
    missing,
    view,
    left: problems.length === 0 ? "yes" : `no: ${problems.join("; ")}`,
  };
}

/** Judges one cell and appends its row to the table. */
function recordRow(
  cell: { fault: string; lifecycle: string; expected: Expected; kind: Kind },
  run: ActionRun,
  emulator: Emulator,
  states: { before: EmulatorState; after: EmulatorState },
): Row {
  const { expected } = cell;
  const audit = auditRequests(emulator.requests, {
    allowed:
      cell.kind === "update"
        ? [`UpdateEndpoint endpoint ${ENDPOINT}`, `AddTags endpoint ${ENDPOINT}`]
        : [],
  });
  const newConfig = run.outputs["endpoint-config-name"];
  const { orphans, missing, view, left } = judgeLeft(
    expectedLabels(states.before, run, expected),
    states.after,
    expectedEndpointView(expected, newConfig),
  );
  const status = run.outputs["endpoint-status"];
  const operation = run.outputs.operation;
  const row: Row = {
    fault: cell.fault,
    lifecycle: cell.lifecycle,
    expected: describeOutcome(expected.exitCode, expected.status, expected.operation),
    observed: describeOutcome(run.exitCode, status, operation),
    correct:
      run.exitCode === expected.exitCode &&
      status === expected.status &&
      operation === expected.operation,
    falseSuccess: run.exitCode === 0 && view !== `InService on ${newConfig}`,
    requests: audit.requests,
    faults: formatFaults(audit.faults),
    faultsInjected: Object.values(audit.faults).reduce((sum, n) => sum + n, 0),
    retries: audit.retries,
    left,
    orphans,
    missing,
    duplicates: [...audit.duplicates, ...audit.strayAlreadyExisting],
    collateral: audit.collateral,
    wallMs: run.durationMs,
    ...(run.exitCode === 0 ? {} : { error: errorLine(run) }),
  };
  rows.push(row);
  return row;
}

/** The action's `::error::` line (or the first line of stderr, if it crashed). */
function errorLine(run: ActionRun): string {
  return /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? run.stderr.trim().split("\n")[0] ?? "";
}

/** The README's quick start, polling every second, as the runner runs it. */
function deploy(emulator: Emulator): Promise<ActionRun> {
  return runAction({
    inputs: demoInputs({ "endpoint-name": ENDPOINT, "poll-interval": "1s", "wait-timeout": "2m" }),
    sagemakerUrl: emulator.url,
    node,
    killAfterMs: 170_000,
  });
}

/** Every fault with every lifecycle it can meet (a stale create read needs a create). */
const CELLS = FAULTS.flatMap((column) =>
  LIFECYCLES.filter((row) => column.only === undefined || column.only === row.kind).map((row) => ({
    ...row,
    fault: column.name,
    faults: column.faults,
    expected: column.outcome?.(row) ?? row.expected,
  })),
);

// The cells mostly wait (on the emulator's delays and lifecycles, and the SDK's backoff), so all
// of them run at once; one process each costs little CPU.
vi.setConfig({ maxConcurrency: CELLS.length + 3 });

describe(`fault matrix on dist/index.js (${runtime?.label ?? "this Node"})`, () => {
  it.concurrent.for(CELLS)(
    "$fault × $name",
    { timeout: 200_000 },
    async ({ fault, faults, name, kind, lifecycle, expected }, { expect }) => {
      // prepare
      const emulator = await startEmulator({ faults });
      try {
        emulator.setLifecycle(ENDPOINT, lifecycle);
        if (kind === "update") seedExistingEndpoint(emulator, { endpointName: ENDPOINT });
        const before = emulator.state();
        // act
        const run = await deploy(emulator);
        // assess
        seen.push(...sageMakerActions(emulator.requests));
        const after = await settledState(emulator);
        const cell = { fault, lifecycle: name, expected, kind };
        const row = recordRow(cell, run, emulator, { before, after });
        const log = `${run.stdout}\n${run.stderr}`;
        expect(
          {
            exitCode: run.exitCode,
            status: run.outputs["endpoint-status"],
            operation: run.outputs.operation,
          },
          log,
        ).toEqual({
          exitCode: expected.exitCode,
          status: expected.status,
          operation: expected.operation,
        });
        if (expected.failureReason)
          expect(run.outputs["failure-reason"]).toContain(expected.failureReason);
        expect(row.faultsInjected).toBeGreaterThan(0);
        expect(row.falseSuccess).toBe(false);
        expect(row.duplicates).toEqual([]);
        expect(row.collateral).toEqual([]);
        expect({ orphans: row.orphans, missing: row.missing, left: row.left }, log).toEqual({
          orphans: [],
          missing: [],
          left: "yes",
        });
        expect(emulator.violations).toEqual([]);
      } finally {
        await emulator.close();
      }
    },
  );
});

describe("a cleanup call that went through but whose answer was lost", () => {
  it.concurrent.for(["DeleteEndpoint", "DeleteEndpointConfig", "DeleteModel"])(
    "%s: the retry's 'Could not find' means deleted, so nothing is left behind",
    { timeout: 60_000 },
    async (operation, { expect }) => {
      // prepare: a create that ends Failed; the first `operation` runs, its answer is cut
      const faults = {
        dropAfterHandlerRate: 0.5,
        operations: [operation],
        seed: seedForDraws(0.5, [true, false]),
      };
      const emulator = await startEmulator({ faults });
      try {
        emulator.setLifecycle(ENDPOINT, {
          create: { status: "Failed", afterMs: 1_000, failureReason: FAILED_REASON },
        });
        // act
        const run = await deploy(emulator);
        // assess
        expect(run.exitCode).toBe(1);
        expect(emulator.requests.filter((r) => r.fault === "drop-after")).toHaveLength(1);
        expect(resourceLabels(emulator.state()), run.stdout).toEqual([]);
        expect(run.stdout).not.toMatch(/Left in place|delete failed|could not check/i);
      } finally {
        await emulator.close();
      }
    },
  );
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function matrixMarkdown(): string {
  const ordered = CELLS.flatMap(
    (cell) => rows.find((r) => r.fault === cell.fault && r.lifecycle === cell.name) ?? [],
  );
  const header =
    "| fault | lifecycle | expected (exit, endpoint-status, operation) | observed | requests | faults injected | retries | resources left = expected? | created twice | touched, not ours | wall |";
  const rule = "|---|---|---|---|---:|---|---:|---|---|---|---:|";
  const lines = ordered.map((r) =>
    [
      r.fault,
      r.lifecycle,
      r.expected,
      r.correct ? `${r.observed} ✓` : `**${r.observed} ✗**`,
      r.requests,
      r.faults,
      r.retries,
      r.left === "yes" ? "yes" : `**${r.left}**`,
      r.duplicates.length === 0 ? "0" : `**${r.duplicates.join(", ")}**`,
      r.collateral.length === 0 ? "0" : `**${r.collateral.join(", ")}**`,
      seconds(r.wallMs),
    ].join(" | "),
  );
  const fault = FAULTS.map(
    (f) =>
      `- **${f.name}**${f.only ? ` (${f.only} lifecycles only)` : ""}: \`${JSON.stringify(f.faults)}\``,
  ).join("\n");
  const wrong = ordered.filter((r) => !r.correct || r.left !== "yes" || r.falseSuccess);
  const findings =
    wrong.length === 0
      ? ["Every cell ended as expected."]
      : [
          `${wrong.length} cell${wrong.length === 1 ? "" : "s"} went wrong (the action's error, then what stayed):`,
          "",
          ...wrong.map(
            (r) =>
              `- ${r.fault} × ${r.lifecycle}: ${r.observed}; \`${r.error ?? "no error"}\`; left as expected: ${r.left}.`,
          ),
        ];
  return [
    `${ordered.length} cells: ${FAULTS.length} faults × the ${LIFECYCLES.length} lifecycles each can meet, each`,
    `cell one process of \`dist/index.js\` under ${runtime?.label ?? "this Node"} against its own`,
    "emulator, all cells at once. Inputs: the README's quick start with `poll-interval: 1s`,",
    "`wait-timeout: 2m`. Lifecycles end 3 s after the create or update; the update cells start",
    "from an InService endpoint another team deployed (model `legacy-model`, config",
    "`legacy-config`). A rollback spends 1.5 s RollingBack and ends InService on `legacy-config`;",
    "after UpdateRollbackFailed the run deletes nothing (the endpoint may serve a mix of old and",
    "new), so its model and config stay. When the credentials expire, the run stops at the first",
    "refused poll and deletes nothing; the endpoint goes on as its lifecycle says, and what the",
    "run made stays with it. *Retries* are requests the SDK sent again (attempt > 1). Faults",
    "(emulator `faults` option; seeds fixed):",
    "",
    fault,
    "",
    `Wall time of the slowest cell, i.e. of the whole matrix: ${seconds(Math.max(0, ...ordered.map((r) => r.wallMs)))}.`,
    "",
    header,
    rule,
    ...lines.map((line) => `| ${line} |`),
    "",
    ...findings,
  ].join("\n");
}

afterAll(() => {
  recordAwsCalls("e2e-fault-matrix", "action", seen);
  if (!writingReliabilityDoc() || rows.length === 0) return;
  writeReliabilitySection(
    "fault-matrix",
    {
      runs: rows.length,
      falseSuccesses: rows.filter((r) => r.falseSuccess).length,
      wrongOutcomes: rows.filter((r) => !r.correct).length,
      orphans: rows.reduce((n, r) => n + r.orphans.length, 0),
      missing: rows.reduce((n, r) => n + r.missing.length, 0),
      duplicates: rows.reduce((n, r) => n + r.duplicates.length, 0),
      collateral: rows.reduce((n, r) => n + r.collateral.length, 0),
    },
    matrixMarkdown(),
  );
});
