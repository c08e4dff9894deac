/**
 * Runs every bench in turn, each in its own process, prints their output and then one markdown
 * table of the figures; with --write also rewrites docs/benchmarks.md from this one run.
 * BENCH_BASELINE_BUNDLE names an earlier build of the action (e.g. the previous release's
 * dist/index.js): the deploy and concurrency benches then measure it beside this build.
 * Usage: npm run bench [-- --write]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../test/e2e/run-action.js";
import { type Figure, RESULTS_FILE_ENV } from "./figures.js";
import { readBenchHeader } from "./header.js";
import { describeMachine } from "./machine.js";
import { type BenchRun, renderDocument, renderTable } from "./report.js";

/** In run order; a bench whose file is missing is skipped (lambda-cold-import is written elsewhere). */
const BENCHES = [
  "action-deploy",
  "aws-cli",
  "detection",
  "polling",
  "handoff-runner-time",
  "concurrent-deploys",
  "lambda-cold-import",
] as const;

const DOC = join(ROOT, "docs/benchmarks.md");

function readFigures(file: string): Figure[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Figure);
}

async function runBench(name: string, file: string, dir: string): Promise<BenchRun> {
  const resultsFile = join(dir, `${name}.jsonl`);
  console.log(`\n## ${name}\n`);
  const started = performance.now();
  // tsx as a loader of this same Node, so every bench runs under the harness's runtime.
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: ROOT,
    env: { ...process.env, [RESULTS_FILE_ENV]: resultsFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    stdout += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((done) => child.on("close", done));
  const durationMs = performance.now() - started;
  const header = readBenchHeader(join(ROOT, file));
  return { name, file, header, exitCode, stdout, figures: readFigures(resultsFile), durationMs };
}

const write = process.argv.includes("--write");
const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
const dir = mkdtempSync(join(tmpdir(), "bench-"));
const runs: BenchRun[] = [];
try {
  for (const name of BENCHES) {
    const file = `bench/${name}.ts`;
    if (!existsSync(join(ROOT, file))) {
      console.log(`\n## ${name}\n\n(skipped: ${file} does not exist)`);
      continue;
    }
    runs.push(await runBench(name, file, dir));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\n## Results (${date})\n\n${renderTable(runs)}`);
if (write) {
  writeFileSync(DOC, renderDocument({ date, machine: describeMachine(), runs }));
  console.log(`\nwrote ${DOC}`);
}
if (runs.some((run) => run.exitCode !== 0)) process.exitCode = 1;
