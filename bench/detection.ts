/**
 * Bench: detection latency and DescribeEndpoint count for a 60 s creation at poll intervals of
 * 5 s and 15 s. Latency = the action process's exit minus the moment its endpoint turned
 * InService (the emulator's CreateEndpoint time + the creation time); count = its
 * DescribeEndpoints from CreateEndpoint on.
 *
 * The action polls right after CreateEndpoint and then every interval, each poll a little late
 * by the previous request's time; 60 s being a multiple of both intervals, the poll due at 60 s
 * comes just after a 60 s creation turns: its latency is the best case. A 60.5 s creation turns
 * just after that poll, the worst case; those runs go alongside, in the same figures' format.
 * All runs go at once (distinct endpoints), so the wall time stays near 75 s.
 * Usage: npx tsx bench/detection.ts [runs per case]   (default 3)
 */
import { demoInputs, runAction } from "../test/e2e/run-action.js";
import { type Emulator, startEmulator } from "../test/emulator/server.js";
import { recordFigure } from "./figures.js";
import { node24 } from "./node24.js";
import { median, ms } from "./stats.js";

const RUNS = Number(process.argv[2] ?? 3);
const INTERVALS_S = [5, 15] as const;
/** 60 s, as the budget is written; 60.5 s lands the turn just after the 60 s poll. */
const CREATIONS_MS = [60_000, 60_500] as const;
const BENCH = "detection";

interface Case {
  readonly intervalS: number;
  readonly creationMs: number;
}

interface Detection extends Case {
  readonly latencyMs: number;
  readonly describes: number;
}

function requestsOf(emulator: Emulator, operation: string, endpointName: string) {
  return emulator.requests.filter(
    (r) => r.operation === operation && r.input.EndpointName === endpointName,
  );
}

async function detect(emulator: Emulator, c: Case, endpointName: string): Promise<Detection> {
  emulator.setLifecycle(endpointName, { create: { status: "InService", afterMs: c.creationMs } });
  const run = await runAction({
    inputs: demoInputs({
      "endpoint-name": endpointName,
      "poll-interval": `${c.intervalS}s`,
      "wait-timeout": "3m",
    }),
    sagemakerUrl: emulator.url,
    node: node24().path,
    killAfterMs: 240_000,
  });
  const exitedAt = Date.now();
  if (run.exitCode !== 0) throw new Error(`${endpointName}: deploy failed: ${run.stdout}`);
  const created = requestsOf(emulator, "CreateEndpoint", endpointName)[0];
  if (created === undefined) throw new Error(`${endpointName}: no CreateEndpoint recorded`);
  const describes = requestsOf(emulator, "DescribeEndpoint", endpointName).filter(
    (r) => r.time >= created.time,
  );
  return { ...c, latencyMs: exitedAt - (created.time + c.creationMs), describes: describes.length };
}

function report(c: Case, runs: readonly Detection[]): void {
  const latencies = runs.map((r) => r.latencyMs);
  const counts = runs.map((r) => r.describes);
  const latencyBudget = c.intervalS * 1000 + 1000;
  const countBudget = c.creationMs / 1000 / c.intervalS + 3;
  const label = `${c.intervalS} s polls, ${c.creationMs / 1000} s creation`;
  const each = `median of ${runs.length}; each`;
  recordFigure({
    bench: BENCH,
    name: `detection latency, ${label}`,
    value: ms(median(latencies)),
    budget: `≤ ${c.intervalS + 1} s`,
    within: Math.max(...latencies) <= latencyBudget,
    note: `${each}: ${latencies.map(ms).join(", ")}; verdict on the worst`,
  });
  recordFigure({
    bench: BENCH,
    name: `DescribeEndpoint calls, ${label}`,
    value: String(median(counts)),
    budget: `≤ ${Math.floor(countBudget)}`,
    within: Math.max(...counts) <= countBudget,
    note: `${each}: ${counts.join(", ")}; verdict on the worst`,
  });
}

const cases: Case[] = INTERVALS_S.flatMap((intervalS) =>
  CREATIONS_MS.map((creationMs) => ({ intervalS, creationMs })),
);
const emulator = await startEmulator();
try {
  const started = performance.now();
  const runs = await Promise.all(
    cases.flatMap((c) =>
      Array.from({ length: RUNS }, (_, i) =>
        detect(emulator, c, `detect-${c.intervalS}s-${c.creationMs}ms-${i + 1}`),
      ),
    ),
  );
  const wall = ms(performance.now() - started);
  console.log(`${runs.length} deploys at once under ${node24().label}, wall ${wall}`);
  for (const c of cases) {
    report(
      c,
      runs.filter((r) => r.intervalS === c.intervalS && r.creationMs === c.creationMs),
    );
  }
} finally {
  await emulator.close();
}
