/**
 * Bench: the size of dist/index.js and the whole-process time of a full deploy (endpoint
 * InService at once) against the local emulator, under this machine's Node and Node 24.
 * With a baseline bundle (e.g. a build of the previous release), the two run interleaved under
 * Node 24 in this one process and the ratio of their medians is printed.
 * Usage: npx tsx bench/action-deploy.ts [runs] [baseline-bundle.js] (or BENCH_BASELINE_BUNDLE=…)
 */
import { statSync } from "node:fs";
import { ACTION_BUNDLE, demoInputs, nodeRuntimes, runAction } from "../test/e2e/run-action.js";
import { startEmulator } from "../test/emulator/server.js";
import { recordFigure } from "./figures.js";
import { bytes, median, ms } from "./stats.js";

const RUNS = Number(process.argv[2] ?? 15);
const BENCH = "action-deploy";
const SIZE_BUDGET = 1_800_000;
const TIME_BUDGET_MS = 500;

const size = statSync(ACTION_BUNDLE).size;
recordFigure({
  bench: BENCH,
  name: "dist/index.js size",
  value: bytes(size),
  budget: `≤ ${bytes(SIZE_BUDGET)}`,
  within: size <= SIZE_BUDGET,
  note: `${size} bytes`,
});

const emulator = await startEmulator();
try {
  for (const runtime of nodeRuntimes()) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      emulator.reset();
      const run = await runAction({
        inputs: demoInputs({ "poll-interval": "1s" }),
        sagemakerUrl: emulator.url,
        node: runtime.path,
      });
      if (run.exitCode !== 0)
        throw new Error(`deploy failed under ${runtime.label}: ${run.stdout}`);
      times.push(run.durationMs);
    }
    const m = median(times);
    recordFigure({
      bench: BENCH,
      name: `full deploy, ${runtime.label}`,
      value: ms(m),
      budget: `≤ ${TIME_BUDGET_MS} ms`,
      within: m <= TIME_BUDGET_MS,
      note: `median of ${RUNS} runs; min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}`,
    });
  }
  const baseline = process.argv[3] ?? process.env.BENCH_BASELINE_BUNDLE;
  if (baseline) await compareWith(baseline);
} finally {
  await emulator.close();
}

/** Whole-process deploys of the baseline and of this build, interleaved, under Node 24. */
async function compareWith(baseline: string): Promise<void> {
  const node = nodeRuntimes().at(-1)?.path ?? process.execPath;
  const times: Record<"baseline" | "current", number[]> = { baseline: [], current: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const which of ["baseline", "current"] as const) {
      emulator.reset();
      const run = await runAction({
        inputs: demoInputs({ "poll-interval": "1s" }),
        sagemakerUrl: emulator.url,
        node,
        ...(which === "baseline" ? { bundle: baseline } : {}),
      });
      if (run.exitCode !== 0) throw new Error(`${which} deploy failed: ${run.stdout}`);
      times[which].push(run.durationMs);
    }
  }
  const before = median(times.baseline);
  const after = median(times.current);
  recordFigure({
    bench: BENCH,
    name: "full deploy, this build against the baseline (Node 24, interleaved)",
    value: `${ms(after)} vs ${ms(before)}`,
    note: `ratio ${(after / before).toFixed(2)}; medians of ${RUNS} runs each; baseline ${baseline} (${bytes(statSync(baseline).size)})`,
  });
}
