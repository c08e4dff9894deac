/**
 * Bench: DescribeEndpoint calls and detection latency of the poll schedule
 * (src/shared/poll-schedule.ts) with and without the endpoint's timing history, against fixed
 * 15 s polls (the action's default poll-interval), fixed 30 s polls (AWS CLI `sagemaker wait
 * endpoint-in-service`, SageMaker Python SDK) and the AWS SDK v3 `waitUntilEndpointInService`
 * (minDelay 30 s, maxDelay 3600 s, the exponential backoff with jitter of @smithy/core's
 * util-waiter, maxWaitTime 6 h). Everything runs on a simulated clock: no sleep, no network.
 *
 * Each scenario draws the true duration of a create uniformly within ±5% or ±10% of the one the
 * timing tag recorded, in seeded trials; every schedule sees the same durations. A poll is
 * instant and sees the status of its moment; latency = the first poll at or after the change
 * minus the change; calls count the poll made right after CreateEndpoint. Schedules other than
 * the waiter use poll-interval 15 s and an ml.m5.large variant. Two stress rows show what the
 * schedule costs when the history is off by up to 30% and when the create fails early.
 * Usage: npx tsx bench/polling.ts [trials]   (default 2000)
 */
import { pathToFileURL } from "node:url";
import { nextPollDelay } from "../src/shared/poll-schedule.js";
import { recordFigure } from "./figures.js";

const BENCH = "polling";
const MINUTE = 60_000;
const POLL_INTERVAL_MS = 15_000;
const INSTANCE_TYPE = "ml.m5.large";
/** The action's longest wait-timeout, as the waiter's maxWaitTime. */
const WAITER_MAX_WAIT_MS = 6 * 60 * MINUTE;
/** waitUntilEndpointInService's own defaults in @aws-sdk/client-sagemaker. */
const WAITER_DELAY_MS = { min: 30_000, max: 3_600_000 } as const;

/** One poll about to be scheduled: how long since the create, and how many polls so far. */
interface PollState {
  readonly elapsedMs: number;
  readonly polls: number;
  readonly recordedMs: number;
  readonly random: () => number;
}

/** A polling strategy: the delay before the next poll, or `undefined` when it gives up. */
interface Strategy {
  readonly name: string;
  delay(state: PollState): number | undefined;
}

interface Scenario {
  readonly label: string;
  readonly recordedMs: number;
  /** The true time of the change, from a uniform draw. */
  readonly draw: (u: number) => number;
}

/** Calls and detection latency of one strategy over one scenario's trials. */
export interface PollingRow {
  readonly scenario: string;
  readonly schedule: string;
  readonly calls: number;
  readonly meanLatencyMs: number;
  readonly worstLatencyMs: number;
}

/**
 * The waiter's delay before poll `attempt` (1 for the second poll), as `runPolling` and
 * `exponentialBackoffWithJitter` compute it; `undefined` where the waiter would time out.
 */
function waiterDelay(attempt: number, elapsedMs: number, random: () => number) {
  const { min, max } = WAITER_DELAY_MS;
  const attemptCeiling = Math.log(max / min) / Math.log(2) + 1;
  let delay: number = max;
  if (attempt <= attemptCeiling) {
    const capped = Math.min(min * 2 ** (attempt - 1), max);
    delay = min + random() * (capped - min);
    if (elapsedMs + delay > WAITER_MAX_WAIT_MS)
      delay = Math.max(0, WAITER_MAX_WAIT_MS - elapsedMs - 500);
  }
  return elapsedMs + delay > WAITER_MAX_WAIT_MS ? undefined : delay;
}

const STRATEGIES: readonly Strategy[] = [
  {
    name: "schedule, with history",
    delay: ({ elapsedMs, recordedMs, random }) =>
      nextPollDelay({
        elapsedMs,
        expectedMs: recordedMs,
        instanceType: INSTANCE_TYPE,
        capMs: POLL_INTERVAL_MS,
        random,
      }),
  },
  {
    name: "schedule, no history",
    delay: ({ elapsedMs, random }) =>
      nextPollDelay({ elapsedMs, instanceType: INSTANCE_TYPE, capMs: POLL_INTERVAL_MS, random }),
  },
  { name: "fixed 15 s (poll-interval default)", delay: () => 15_000 },
  { name: "fixed 30 s (AWS CLI, Python SDK)", delay: () => 30_000 },
  {
    name: "SDK v3 waitUntilEndpointInService",
    delay: ({ polls, elapsedMs, random }) => waiterDelay(polls, elapsedMs, random),
  },
];

function create(minutes: number, spread: number): Scenario {
  const recordedMs = minutes * MINUTE;
  return {
    label: `${minutes} min create, history ±${spread * 100}%`,
    recordedMs,
    draw: (u) => recordedMs * (1 + spread * (2 * u - 1)),
  };
}

const SCENARIOS: readonly Scenario[] = [
  ...[3, 10, 30].flatMap((minutes) => [0.05, 0.1].map((spread) => create(minutes, spread))),
  { ...create(10, 0.3), label: "stress: 10 min create, history off by up to ±30%" },
  {
    label: "stress: 10 min on record, fails after 1–3 min",
    recordedMs: 10 * MINUTE,
    draw: (u) => (1 + 2 * u) * MINUTE,
  },
];

/** mulberry32: a small seeded generator, so the table is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Polls from the create on until one sees the change at `changeMs`. */
function detect(strategy: Strategy, recordedMs: number, changeMs: number, random: () => number) {
  let elapsedMs = 0;
  let polls = 1;
  while (elapsedMs < changeMs) {
    const delay = strategy.delay({ elapsedMs, polls, recordedMs, random });
    if (delay === undefined) throw new Error(`${strategy.name} gave up before ${changeMs} ms`);
    elapsedMs += delay;
    polls += 1;
  }
  return { polls, latencyMs: elapsedMs - changeMs };
}

/** Runs every scenario against every strategy, `trials` seeded draws each. */
export function simulatePolling(trials: number): PollingRow[] {
  return SCENARIOS.flatMap((scenario, s) => {
    const truth = seeded(1_000 + s);
    const changes = Array.from({ length: trials }, () => scenario.draw(truth()));
    return STRATEGIES.map((strategy, k) => {
      const jitter = seeded(10_000 + 100 * s + k);
      const runs = changes.map((c) => detect(strategy, scenario.recordedMs, c, jitter));
      const latencies = runs.map((r) => r.latencyMs);
      return {
        scenario: scenario.label,
        schedule: strategy.name,
        calls: runs.reduce((sum, r) => sum + r.polls, 0) / trials,
        meanLatencyMs: latencies.reduce((a, b) => a + b, 0) / trials,
        worstLatencyMs: Math.max(...latencies),
      };
    });
  });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The rows as one markdown table. */
export function renderPollingTable(rows: readonly PollingRow[]): string {
  return [
    "| scenario | schedule | DescribeEndpoint calls (mean) | latency (mean) | latency (worst) |",
    "|---|---|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.schedule} | ${r.calls.toFixed(1)} | ${seconds(r.meanLatencyMs)} | ${seconds(r.worstLatencyMs)} |`,
    ),
  ].join("\n");
}

function rowOf(rows: readonly PollingRow[], scenario: string, schedule: string): PollingRow {
  const row = rows.find((r) => r.scenario === scenario && r.schedule.startsWith(schedule));
  if (!row) throw new Error(`no result for ${schedule} in ${scenario}`);
  return row;
}

/** The 10-minute create figures, judged against the aims and the baselines of the same run. */
export function recordPollingFigures(rows: readonly PollingRow[], trials: number): void {
  const note = `${trials} seeded trials, simulated clock`;
  for (const spread of [5, 10]) {
    const scenario = `10 min create, history ±${spread}%`;
    const ours = rowOf(rows, scenario, "schedule, with history");
    const fixed30 = rowOf(rows, scenario, "fixed 30 s");
    recordFigure({
      bench: BENCH,
      name: `mean detection latency with history, ${scenario}`,
      value: seconds(ours.meanLatencyMs),
      budget: "≤ 3.0 s",
      within: ours.meanLatencyMs <= 3_000,
      note,
    });
    recordFigure({
      bench: BENCH,
      name: `DescribeEndpoint calls with history, ${scenario}`,
      value: ours.calls.toFixed(1),
      budget: `≤ fixed 30 s (${fixed30.calls.toFixed(1)})`,
      within: ours.calls <= fixed30.calls,
      note,
    });
  }
  const scenario = "10 min create, history ±10%";
  const ours = rowOf(rows, scenario, "schedule, no history");
  const fixed15 = rowOf(rows, scenario, "fixed 15 s");
  recordFigure({
    bench: BENCH,
    name: "mean detection latency without history, 10 min create",
    value: seconds(ours.meanLatencyMs),
    budget: `≤ fixed 15 s (${seconds(fixed15.meanLatencyMs)})`,
    within: ours.meanLatencyMs <= fixed15.meanLatencyMs,
    note: `${note}; ${INSTANCE_TYPE}`,
  });
  recordFigure({
    bench: BENCH,
    name: "DescribeEndpoint calls without history, 10 min create",
    value: ours.calls.toFixed(1),
    budget: `≤ fixed 15 s (${fixed15.calls.toFixed(1)})`,
    within: ours.calls <= fixed15.calls,
    note: `${note}; ${INSTANCE_TYPE}`,
  });
}

/** Prints the table and records the headline figures: what bench/index.ts runs. */
export function runPollingBench(trials = 2_000): void {
  if (!Number.isInteger(trials) || trials < 1)
    throw new Error(`trials must be a whole number above 0, got ${trials}`);
  const rows = simulatePolling(trials);
  console.log(renderPollingTable(rows));
  console.log("");
  recordPollingFigures(rows, trials);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runPollingBench(process.argv[2] === undefined ? undefined : Number(process.argv[2]));
}
