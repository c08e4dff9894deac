/**
 * Bench: the size of dist/index.js and the whole-process time of a full deploy (endpoint
 * InService at once) against the local emulator, under this machine's Node and Node 24.
 * Usage: npx tsx bench/action-deploy.ts [runs]
 */
import { statSync } from "node:fs";
import { ACTION_BUNDLE, demoInputs, nodeRuntimes, runAction } from "../test/e2e/run-action.js";
import { startEmulator } from "../test/emulator/server.js";
import { bytes, median, ms } from "./stats.js";

const RUNS = Number(process.argv[2] ?? 15);
const SIZE_BUDGET = 1_800_000;
const TIME_BUDGET_MS = 500;

const size = statSync(ACTION_BUNDLE).size;
console.log(
  `dist/index.js: ${bytes(size)} (${size} bytes; budget ${bytes(SIZE_BUDGET)}) ${size <= SIZE_BUDGET ? "within" : "OVER"} budget`,
);

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
    console.log(
      `full deploy, ${runtime.label}: median ${ms(m)} over ${RUNS} runs (min ${ms(Math.min(...times))}, max ${ms(Math.max(...times))}; budget ${TIME_BUDGET_MS} ms) ${m <= TIME_BUDGET_MS ? "within" : "OVER"} budget`,
    );
  }
} finally {
  await emulator.close();
}
