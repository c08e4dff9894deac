import { errorMessage, unlessNotFound } from "../../src/shared/errors.js";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import type { Endpoint, SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { type WaitOutcome, waitForEndpoint } from "../../src/shared/wait.js";
import { isRepositoryAllowed } from "./allowlist.js";
import { CONTINUATION_DELAY_MS, MAX_HOPS } from "./continuation.js";
import type { Dependencies, Invocation } from "./dependencies.js";
import { type Outcome, TIMED_OUT_REASON } from "./dispatch-inputs.js";
import { type HandlerResult, RESULT } from "./handler-result.js";
import { DISPATCH_MARGIN_MS, reportOutcome } from "./report-outcome.js";

/**
 * Time kept free at the end of an invocation for what follows the wait: ListTags, AddTags, the
 * dispatch with its retries, or scheduling the continuation. Lambda stops the function at its
 * timeout (900 s in the template), and an invocation stopped there is retried.
 */
export const SAFETY_MARGIN_MS = 120_000;

/**
 * How late past its deadline a continuation may still arrive: Lambda retries a failed async
 * event for up to an hour (MaximumEventAgeInSeconds in template.yaml), plus the schedule's delay.
 * A fresh hand-off always carries a future deadline, so one already past is refused outright.
 */
export const LATE_CONTINUATION_MS = 3_600_000 + 2 * CONTINUATION_DELAY_MS;

/** Status reported when the endpoint vanished before it was ever described. */
export const GONE_STATUS = "NotFound";

function sameArn(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

async function waitWithinInvocation(
  payload: HandoffPayload,
  gateway: SageMakerGateway,
  waitUntil: number,
  deps: Dependencies,
): Promise<WaitOutcome | "arn-mismatch"> {
  const { logger } = deps;
  // A payload naming one endpoint and carrying another's ARN would have us tag the wrong one.
  const mismatch = new AbortController();
  const outcome = await waitForEndpoint({
    gateway,
    endpointName: payload.endpointName,
    expectedConfigName: payload.expectedConfigName,
    deadline: waitUntil,
    nextDelay: () => deps.pollIntervalMs,
    clock: deps.clock,
    signal: mismatch.signal,
    onStatusChange: (endpoint, verdict) => {
      if (!sameArn(endpoint.EndpointArn, payload.endpointArn)) mismatch.abort();
      logger.info("Endpoint status", {
        endpoint: payload.endpointName,
        status: endpoint.EndpointStatus,
        verdict: verdict.kind,
      });
    },
    onPollError: (error) =>
      logger.warn("DescribeEndpoint failed; polling on", {
        endpoint: payload.endpointName,
        reason: errorMessage(error),
      }),
  });
  return mismatch.signal.aborted ? "arn-mismatch" : outcome;
}

function outcomeOf(
  payload: HandoffPayload,
  endpoint: Endpoint | undefined,
  status: string,
  failureReason: string,
): Outcome {
  return {
    endpointName: payload.endpointName,
    endpointArn: endpoint?.EndpointArn ?? payload.endpointArn,
    status,
    configName: endpoint?.EndpointConfigName ?? payload.expectedConfigName,
    failureReason,
    runId: payload.source.runId,
  };
}

/** The outcome to report for a finished wait, or undefined when the wait must go on. */
function finalOutcome(
  payload: HandoffPayload,
  wait: WaitOutcome,
  final: boolean,
): Outcome | undefined {
  const endpoint = wait.endpoint;
  if (wait.kind === "success") return outcomeOf(payload, endpoint, "InService", "");
  if (wait.kind === "failure") {
    return outcomeOf(
      payload,
      endpoint,
      endpoint ? (endpoint.EndpointStatus ?? "Unknown") : GONE_STATUS,
      wait.reason,
    );
  }
  if (!final) return undefined;
  return outcomeOf(payload, endpoint, endpoint?.EndpointStatus ?? "Unknown", TIMED_OUT_REASON);
}

async function report(
  payload: HandoffPayload,
  outcome: Outcome,
  gateway: SageMakerGateway,
  invocation: Invocation,
  deps: Dependencies,
): Promise<HandlerResult> {
  const tags = await unlessNotFound(() => gateway.listTags(outcome.endpointArn));
  return reportOutcome({
    outcome,
    callback: payload.callback,
    expectedConfigName: payload.expectedConfigName,
    gateway,
    tags,
    deadline: deps.clock.now() + invocation.remainingTimeMs() - DISPATCH_MARGIN_MS,
    deps,
  });
}

/**
 * Handles the action's hand-off (docs/architecture.md "Hand-off payload"): waits inside this invocation, then reports the final
 * status, or at the payload's deadline "timed out waiting", or arranges a continuation.
 */
export async function processHandoff(
  payload: HandoffPayload,
  hop: number,
  invocation: Invocation,
  deps: Dependencies,
): Promise<HandlerResult> {
  const { clock, logger } = deps;
  const context = { endpoint: payload.endpointName, repository: payload.callback.repository, hop };
  if (!isRepositoryAllowed(deps.config.allowlist, payload.callback.repository)) {
    logger.error("Refused: the callback repository is not in ALLOWED_REPOSITORIES", context);
    return { result: RESULT.refused };
  }
  const deadline = Date.parse(payload.deadline);
  const lateBy = clock.now() - deadline;
  if (lateBy > (hop === 0 ? 0 : LATE_CONTINUATION_MS)) {
    logger.error("Ignored: the payload's deadline had already passed when it arrived", {
      ...context,
      deadline: payload.deadline,
    });
    return { result: RESULT.invalid, detail: "deadline already passed" };
  }
  const lastHop = hop >= MAX_HOPS;
  const invocationEnd = clock.now() + invocation.remainingTimeMs() - SAFETY_MARGIN_MS;
  const waitUntil = lastHop ? clock.now() : Math.min(deadline, invocationEnd);
  logger.info("Waiting for the endpoint", {
    ...context,
    deadline: payload.deadline,
    until: new Date(waitUntil).toISOString(),
  });
  const gateway = deps.sagemaker(payload.region);
  const wait = await waitWithinInvocation(payload, gateway, waitUntil, deps);
  if (wait === "arn-mismatch") {
    logger.error("Ignored: endpointArn does not belong to endpointName", context);
    return { result: RESULT.invalid, detail: "endpointArn does not match the endpoint" };
  }
  const final = lastHop || clock.now() >= deadline;
  const outcome = finalOutcome(payload, wait, final);
  if (outcome) return report(payload, outcome, gateway, invocation, deps);
  await deps.scheduleContinuation({
    payload,
    hop: hop + 1,
    at: clock.now() + CONTINUATION_DELAY_MS,
    functionArn: invocation.functionArn,
  });
  logger.info("Still waiting; continues in a new invocation", {
    ...context,
    status: wait.endpoint?.EndpointStatus,
    deadline: payload.deadline,
  });
  return { result: RESULT.continued };
}
