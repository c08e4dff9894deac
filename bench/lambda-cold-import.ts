/**
 * Bench: the companion Lambda's bundle size and cold import time. Each run is a fresh `node`
 * process that times `await import("lambda/dist/index.mjs")`, as Lambda's init phase does. The
 * bundle holds the SageMaker client; for context, a third run set times importing the unbundled
 * `@aws-sdk/client-sagemaker` from node_modules, as the runtime's own SDK would load. Scheduler
 * and Secrets Manager clients load on first use, not at import.
 * Usage: npx tsx bench/lambda-cold-import.ts [runs]   (default 11)
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { nodeRuntimes, ROOT } from "../test/e2e/run-action.js";
import { recordFigure } from "./figures.js";
import { bytes, median, ms } from "./stats.js";

const RUNS = Number(process.argv[2] ?? 11);
const BENCH = "lambda-cold-import";
const BUNDLE = join(ROOT, "lambda/dist/index.mjs");
/** docs/architecture.md, "Budgets": 400 KB applies only to a bundle that leaves the SageMaker client to the runtime. */
const SIZE_BUDGET_BYTES = 400_000;
const IMPORT_BUDGET_MS = 150;

/** Milliseconds one fresh process takes to import `specifier` (and check `handler` when asked). */
function importOnce(node: string, specifier: string, expectHandler: boolean): number {
  const script = [
    "const started = performance.now();",
    `const module = await import(${JSON.stringify(specifier)});`,
    "const elapsed = performance.now() - started;",
    expectHandler
      ? 'if (typeof module.handler !== "function") throw new Error("no handler export");'
      : "",
    "process.stdout.write(String(elapsed));",
  ].join("\n");
  const run = spawnSync(node, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`import of ${specifier} failed: ${run.stderr}`);
  return Number(run.stdout);
}

function medianImport(node: string, specifier: string, expectHandler: boolean): number {
  return median(Array.from({ length: RUNS }, () => importOnce(node, specifier, expectHandler)));
}

const size = statSync(BUNDLE).size;
recordFigure({
  bench: BENCH,
  name: "lambda/dist/index.mjs size (SageMaker client bundled)",
  value: bytes(size),
  note: `the ${bytes(SIZE_BUDGET_BYTES)} budget is for a bundle that leaves the SDK to the runtime; this one is judged by its cold import`,
});

for (const runtime of nodeRuntimes()) {
  const bundle = medianImport(runtime.path, pathToFileURL(BUNDLE).href, true);
  recordFigure({
    bench: BENCH,
    name: `cold import of lambda/dist/index.mjs, ${runtime.label}`,
    value: ms(bundle),
    budget: ms(IMPORT_BUDGET_MS),
    within: bundle <= IMPORT_BUDGET_MS,
    note: `median of ${RUNS} fresh processes`,
  });
  const sdk = medianImport(runtime.path, "@aws-sdk/client-sagemaker", false);
  recordFigure({
    bench: BENCH,
    name: `unbundled @aws-sdk/client-sagemaker alone, ${runtime.label}`,
    value: ms(sdk),
    note: `median of ${RUNS} fresh processes; what loading the runtime's own copy would cost`,
  });
}
