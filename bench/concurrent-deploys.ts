/**
 * Bench: 50 deploys of distinct new endpoints at once (50 processes of the bundle under Node 24)
 * against one emulator throttling above 10 requests per second: total requests, throttled
 * requests and wall time. With a second bundle path (e.g. a build of an earlier commit) both run
 * in this one process, the earlier first, so the ratio compares like with like.
 * Usage: npx tsx bench/concurrent-deploys.ts [baseline-bundle.js]
 */
import { ACTION_BUNDLE, demoInputs, nodeRuntimes, runAction } from "../test/e2e/run-action.js";
import { startEmulator } from "../test/emulator/server.js";
import { recordFigure } from "./figures.js";

const BENCH = "concurrent-deploys";
const DEPLOYS = 50;
const RATE_LIMIT = 10;
const CREATE_MS = 5_000;
const node = nodeRuntimes().at(-1)?.path ?? process.execPath;

interface Result {
  readonly requests: number;
  readonly throttled: number;
  readonly wallMs: number;
  readonly failed: number;
  /** Per operation: requests sent, and how many of them were throttled. */
  readonly byOperation: ReadonlyMap<string, { sent: number; throttled: number }>;
}

async function measure(bundle: string): Promise<Result> {
  const emulator = await startEmulator({
    rateLimit: RATE_LIMIT,
    defaultLifecycle: { create: { status: "InService", afterMs: CREATE_MS } },
  });
  try {
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: DEPLOYS }, (_, i) =>
        runAction({
          inputs: demoInputs({
            "endpoint-name": `load-${String(i).padStart(2, "0")}`,
            "poll-interval": "5s",
            "wait-timeout": "5m",
          }),
          sagemakerUrl: emulator.url,
          node,
          bundle,
        }),
      ),
    );
    const requests = emulator.requests;
    const byOperation = new Map<string, { sent: number; throttled: number }>();
    for (const r of requests) {
      const counts = byOperation.get(r.operation) ?? { sent: 0, throttled: 0 };
      counts.sent += 1;
      if (r.fault === "rate-limit") counts.throttled += 1;
      byOperation.set(r.operation, counts);
    }
    return {
      byOperation,
      requests: requests.length,
      throttled: requests.filter((r) => r.fault === "rate-limit").length,
      wallMs: performance.now() - started,
      failed: runs.filter((run) => run.exitCode !== 0).length,
    };
  } finally {
    await emulator.close();
  }
}

const baseline = process.argv[2] ?? process.env.BENCH_BASELINE_BUNDLE;
const candidate = process.argv[3] ?? ACTION_BUNDLE;
const before = baseline ? await measure(baseline) : undefined;
const after = await measure(candidate);
const line = (label: string, r: Result) => {
  console.log(
    `${label}: ${r.requests} requests, ${r.throttled} throttled, ${(r.wallMs / 1000).toFixed(1)} s wall, ${r.failed} failed`,
  );
  const rows = [...r.byOperation].sort(([a], [b]) => a.localeCompare(b));
  for (const [operation, { sent, throttled }] of rows)
    console.log(
      `  ${operation.padEnd(24)} ${String(sent).padStart(4)} sent, ${String(throttled).padStart(4)} throttled`,
    );
};
if (before) line(`baseline (${baseline})`, before);
line(candidate === ACTION_BUNDLE ? "this build" : `candidate (${candidate})`, after);
recordFigure({
  bench: BENCH,
  name: `requests of ${DEPLOYS} concurrent deploys at ${RATE_LIMIT} requests/s`,
  value: String(after.requests),
  ...(before
    ? {
        budget: `≤ 60% of the baseline's ${before.requests}`,
        within: after.requests <= 0.6 * before.requests,
        note: `${(after.requests / before.requests).toFixed(2)}× the baseline; throttled ${after.throttled} vs ${before.throttled}; all ${DEPLOYS - after.failed} InService`,
      }
    : { note: `${after.throttled} throttled; ${DEPLOYS - after.failed} of ${DEPLOYS} InService` }),
});
