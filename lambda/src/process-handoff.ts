import { errorMessage } from "../../src/shared/errors.js";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import type { Endpoint, SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { type WaitOutcome, waitForEndpoint } from "../../src/shared/wait.js";
import { isRepositoryAllowed } from "./allowlist.js";
import type { Dependencies, Invocation } from "./dependencies.js";
import { setDeploymentStatus } from "./deployment-status.js";
import { type Outcome, TIMED_OUT_REASON } from "./dispatch-inputs.js";
import { deploymentOf } from "./endpoint-tags.js";
import { type HandlerResult, RESULT } from "./handler-result.js";
import {
  CONTINUATION_DELAY_MS,
  LATE_CONTINUATION_MS,
  MAX_DEADLINE_AHEAD_MS,
  MAX_HOPS,
  SAFETY_MARGIN_MS,
} from "./limits.js";
import { type PollPlan, planPolls } from "./poll-plan.js";
import { reportOutcome } from "./report-outcome.js";
import { foreignEndpoint, parseFunctionArn, verifyHandoffEndpoint } from "./trust.js";

/** Status reported when the endpoint vanished while it was awaited. */
export const GONE_STATUS = "NotFound";

function waitWithinInvocation(
  payload: HandoffPayload,
  gateway: SageMakerGateway,
  waitUntil: number,
  plan: PollPlan,
  deps: Dependencies,
): Promise<WaitOutcome> {
  const { logger } = deps;
  return waitForEndpoint({
    gateway,
    endpointName: payload.endpointName,
    expectedConfigName: payload.expectedConfigName,
    deadline: waitUntil,
    nextDelay: plan.nextDelay,
    clock: deps.clock,
    onStatusChange: (endpoint, verdict) => {
      plan.observe(endpoint);
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

function formatMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Why the payload is refused before any AWS call (a repository or an endpoint that is not ours
 * to report, or a deadline the action never sends), or undefined.
 */
function unacceptable(
  payload: HandoffPayload,
  invocation: Invocation,
  deps: Dependencies,
): string | undefined {
  if (!isRepositoryAllowed(deps.config.allowlist, payload.callback.repository)) {
    return "the callback repository is not in ALLOWED_REPOSITORIES";
  }
  const foreign = foreignEndpoint(payload, parseFunctionArn(invocation.functionArn));
  if (foreign) return foreign;
  // The action's handoff-timeout is at most 24 h: a deadline further ahead is not one it sent.
  if (Date.parse(payload.deadline) - deps.clock.now() > MAX_DEADLINE_AHEAD_MS) {
    return `the deadline lies more than ${formatMinutes(MAX_DEADLINE_AHEAD_MS)} ahead, longer than any handoff-timeout`;
  }
  return undefined;
}

/** Outcomes of this deployment's report, whoever dispatched it (a state-change event may have). */
const REPORTED: readonly string[] = [
  RESULT.dispatched,
  RESULT.dispatchFailed,
  RESULT.alreadyReported,
];

/**
 * After the report: sets the GitHub Deployment the action left in_progress, when the payload
 * names one. Only this path knows it (EventBridge events carry no payload), so it sets the
 * status even when an event dispatched first; a superseded deploy's Deployment is left alone.
 */
async function finishGithubDeployment(
  payload: HandoffPayload,
  outcome: Outcome,
  reported: HandlerResult,
  deps: Dependencies,
): Promise<void> {
  const deploymentId = payload.source.githubDeploymentId;
  if (deploymentId === undefined || !REPORTED.includes(reported.result)) return;
  let token: string;
  try {
    token = await deps.getToken();
  } catch (error) {
    deps.logger.warn("Could not read the GitHub token for the deployment status", {
      endpoint: payload.endpointName,
      reason: errorMessage(error),
    });
    return;
  }
  await setDeploymentStatus({
    apiUrl: deps.config.githubApiUrl,
    token,
    repository: payload.callback.repository,
    deploymentId,
    outcome,
    expectedConfigName: payload.expectedConfigName,
    region: payload.region,
    runId: payload.source.runId,
    fetch: deps.fetch,
    logger: deps.logger,
  });
}

/**
 * Handles the action's hand-off (docs/architecture.md "Hand-off payload"): checks that the
 * endpoint exists in this function's account and region and carries the tags of this very
 * deployment, waits inside this invocation, then reports the final status, or at the payload's
 * deadline "timed out waiting", or arranges a continuation.
 */
export async function processHandoff(
  payload: HandoffPayload,
  hop: number,
  invocation: Invocation,
  deps: Dependencies,
): Promise<HandlerResult> {
  const { clock, logger } = deps;
  const context = { endpoint: payload.endpointName, repository: payload.callback.repository, hop };
  const refuse = (reason: string): HandlerResult => {
    logger.error(`Refused: ${reason}`, context);
    return { result: RESULT.refused, detail: reason };
  };
  const refusal = unacceptable(payload, invocation, deps);
  if (refusal) return refuse(refusal);
  const deadline = Date.parse(payload.deadline);
  if (clock.now() - deadline > (hop === 0 ? 0 : LATE_CONTINUATION_MS)) {
    logger.error("Ignored: the payload's deadline had already passed when it arrived", {
      ...context,
      deadline: payload.deadline,
    });
    return { result: RESULT.invalid, detail: "deadline already passed" };
  }
  const gateway = deps.sagemaker(payload.region);
  const deployment = deploymentOf(payload);
  const evidence = await verifyHandoffEndpoint({ payload, deployment, gateway, hop, deps });
  if (!evidence.ok) return refuse(evidence.reason);
  const lastHop = hop >= MAX_HOPS;
  const invocationEnd = clock.now() + invocation.remainingTimeMs() - SAFETY_MARGIN_MS;
  const waitUntil = lastHop ? clock.now() : Math.min(deadline, invocationEnd);
  logger.info("Waiting for the endpoint", {
    ...context,
    deadline: payload.deadline,
    until: new Date(waitUntil).toISOString(),
  });
  const plan = planPolls({
    tags: evidence.tags,
    first: evidence.endpoint,
    clock,
    capMs: deps.pollCapMs,
    ...(deps.random ? { random: deps.random } : {}),
  });
  const wait = await waitWithinInvocation(payload, gateway, waitUntil, plan, deps);
  const outcome = finalOutcome(payload, wait, lastHop || clock.now() >= deadline);
  if (outcome) {
    const timing = wait.kind === "success" ? plan.timingAfter(wait.endpoint) : undefined;
    const reported = await reportOutcome({
      outcome,
      deployment,
      gateway,
      ...(timing ? { timing } : {}),
      invocation,
      deps,
    });
    await finishGithubDeployment(payload, outcome, reported, deps);
    return reported;
  }
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
