import { nodeRuntimes } from "../test/e2e/run-action.js";

/** Node 24 from the npm package `node` (the runner's `node24`), which every bench runs the action under. */
export function node24(): { label: string; path: string } {
  const runtime = nodeRuntimes().find((r) => r.path.includes("node_modules"));
  if (runtime === undefined || !runtime.label.startsWith("node v24.")) {
    throw new Error("Node 24 not found: run `npm ci` (the devDependency `node` carries it).");
  }
  return runtime;
}
