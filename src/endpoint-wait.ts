import type { DeployContext } from "./deploy-context.js";
import { formatDuration } from "./durations.js";
import { errorMessage } from "./shared/errors.js";
import { fixedSlotDelay, nextPollDelay } from "./shared/poll-schedule.js";
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
 * until shortly before it and densely around it. Without one, fixed slots of poll-interval with
 * a little jitter, so deploys started together spread out and none polls more often than asked.
 */
function pollDelay(ctx: DeployContext, expectedMs: number | undefined) {
  const capMs = ctx.config.pollIntervalMs;
  if (expectedMs === undefined) return (elapsedMs: number) => fixedSlotDelay({ elapsedMs, capMs });
  return (elapsedMs: number) => nextPollDelay({ elapsedMs, expectedMs, capMs });
}

/** Waits for the endpoint per the status table (or `judge`), logging each change. */
export function waitFor(ctx: DeployContext, options: WaitForOptions): Promise<WaitOutcome> {
  let lastDoubt: string | undefined;
  // Right after this run's own call the endpoint can only be Creating or Updating; while
  // SageMaker is throttling the account, that poll would only add to the load.
  const skipFirstPoll = options.change !== undefined && ctx.sagemaker.throttled();
  if (skipFirstPoll)
    ctx.log.info(
      "SageMaker is throttling this account's calls: the first poll waits one interval.",
    );
  return waitForEndpoint({
    gateway: ctx.sagemaker,
    endpointName: ctx.config.endpointName,
    expectedConfigName: options.expectedConfigName,
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.change ? { change: options.change } : {}),
    deadline: ctx.watchUntil,
    nextDelay: pollDelay(ctx, options.expectedMs),
    skipFirstPoll,
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
