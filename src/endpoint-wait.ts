import type { DeployContext } from "./deploy-context.js";
import { formatDuration } from "./durations.js";
import { errorMessage } from "./shared/errors.js";
import { nextPollDelay, POLL_TUNING } from "./shared/poll-schedule.js";
import type { Endpoint } from "./shared/sagemaker-gateway.js";
import type { ChangeMade, Verdict } from "./shared/status.js";
import { type WaitOutcome, waitForEndpoint } from "./shared/wait.js";

/** Logs a status change with the time since the run started. */
function logStatus(ctx: DeployContext, endpoint: Endpoint, verdict: Verdict): void {
  ctx.log.debug(`DescribeEndpoint: ${JSON.stringify(endpoint)}`);
  const elapsedMs = ctx.clock.now() - ctx.report.startedAt;
  const status = endpoint.EndpointStatus ?? "Unknown";
  ctx.report.timeline.push({ elapsedMs, status });
  ctx.report.status = status;
  const reason = endpoint.FailureReason ? ` (${endpoint.FailureReason})` : "";
  ctx.log.info(
    `[${formatDuration(elapsedMs)}] endpoint ${ctx.config.endpointName}: ${status}${reason}`,
  );
  if (verdict.kind === "failure") ctx.report.failureReason = verdict.reason;
}

/** Largest shift of a poll from its slot when the endpoint has no timing history. */
export const NO_HISTORY_JITTER_MS = 500;

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** The config this run put on the endpoint ("" when waiting out someone else's operation). */
  readonly expectedConfigName: string;
  readonly judge?: (endpoint: Endpoint) => Verdict;
  readonly change?: ChangeMade;
  /** How long this kind of change took last time (the endpoint's timing tag), if known. */
  readonly expectedMs?: number | undefined;
}

/**
 * The gap before the next poll. With a learned duration, the shared schedule polls sparsely
 * until shortly before it and densely around it. Without one, poll-interval with ±10% jitter,
 * so deploys started together spread out and none polls more often than asked.
 */
function pollDelay(ctx: DeployContext, expectedMs: number | undefined) {
  const capMs = ctx.config.pollIntervalMs;
  if (expectedMs === undefined) {
    // Polls land within ±0.5 s of the slots k × poll-interval: enough to spread a matrix of
    // deploys started together, while no gap exceeds poll-interval + 1 s and jitter never adds up.
    const spread = Math.min(POLL_TUNING.jitterFraction * capMs, NO_HISTORY_JITTER_MS) / capMs;
    return (elapsedMs: number) => {
      const slot = Math.floor(elapsedMs / capMs + spread + 0.01) + 1;
      const jitter = spread * (2 * Math.random() - 1);
      return Math.max(POLL_TUNING.floorMs, Math.round((slot + jitter) * capMs - elapsedMs));
    };
  }
  return (elapsedMs: number) => nextPollDelay({ elapsedMs, expectedMs, capMs });
}

/** Waits for the endpoint per the status table (or `judge`), logging each change. */
export function waitFor(ctx: DeployContext, options: WaitForOptions): Promise<WaitOutcome> {
  let lastDoubt: string | undefined;
  return waitForEndpoint({
    gateway: ctx.sagemaker,
    endpointName: ctx.config.endpointName,
    expectedConfigName: options.expectedConfigName,
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.change ? { change: options.change } : {}),
    deadline: ctx.watchUntil,
    nextDelay: pollDelay(ctx, options.expectedMs),
    signal: ctx.signal,
    clock: ctx.clock,
    onStatusChange: (endpoint, verdict) => logStatus(ctx, endpoint, verdict),
    onPollError: (error) =>
      ctx.log.info(`DescribeEndpoint failed, retrying at the next poll: ${errorMessage(error)}`),
    onDoubt: (why) => {
      if (why !== lastDoubt) ctx.log.info(`${why}; not believed yet, polling on.`);
      lastDoubt = why;
    },
  });
}
