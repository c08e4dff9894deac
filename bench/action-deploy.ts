/**
 * Bench: the size of dist/index.js and the whole-process time of a full deploy (endpoint
 * InService at once) against the local emulator, under this machine's Node and Node 24.
 * Usage: npx tsx bench/action-deploy.ts [runs]
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
} finally {
  await emulator.close();
}
