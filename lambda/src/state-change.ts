import { judgeEndpoint } from "../../src/shared/status.js";
import { isRepositoryAllowed } from "./allowlist.js";
import type { Dependencies, Invocation } from "./dependencies.js";
import { readTaggedDeployment } from "./endpoint-tags.js";
import { type HandlerResult, RESULT } from "./handler-result.js";
import { DISPATCH_MARGIN_MS, reportOutcome } from "./report-outcome.js";

/** The parts of an EventBridge "SageMaker Endpoint State Change" event the function uses. */
export interface StateChange {
  readonly endpointName: string;
  readonly region: string;
  readonly eventStatus: string;
}

/**
 * Handles an EventBridge state change: the event only says "look again". The endpoint's own
 * DescribeEndpoint answer decides (events repeat and arrive out of order), and the callback
 * target comes from the tags the action wrote; untagged endpoints are not ours to report.
 */
export async function processStateChange(
  event: StateChange,
  invocation: Invocation,
  deps: Dependencies,
): Promise<HandlerResult> {
  const { logger } = deps;
  const context = { endpoint: event.endpointName, eventStatus: event.eventStatus };
  const gateway = deps.sagemaker(event.region);
  const endpoint = await gateway.describeEndpoint(event.endpointName);
  if (!endpoint?.EndpointArn) {
    logger.info("Ignored: the endpoint no longer exists", context);
    return { result: RESULT.ignored, detail: "endpoint not found" };
  }
  const tags = await gateway.listTags(endpoint.EndpointArn);
  const tagged = readTaggedDeployment(tags);
  if (!tagged.ok) {
    logger.info("Ignored: the endpoint has no sagemaker-deploy hand-off tags", {
      ...context,
      problems: tagged.problems,
    });
    return { result: RESULT.ignored, detail: "no hand-off tags" };
  }
  const { callback, expectedConfigName, runId, deadline } = tagged.deployment;
  if (deadline !== undefined && deps.clock.now() > deadline) {
    // The hand-off reported "timed out waiting" at its deadline; tags left by an old hand-off
    // must not turn a later deploy's events into callbacks nobody asked for.
    logger.info("Ignored: the hand-off's deadline has passed", {
      ...context,
      deadline: new Date(deadline).toISOString(),
    });
    return { result: RESULT.ignored, detail: "deadline passed" };
  }
  if (!isRepositoryAllowed(deps.config.allowlist, callback.repository)) {
    logger.error("Refused: the callback repository is not in ALLOWED_REPOSITORIES", {
      ...context,
      repository: callback.repository,
    });
    return { result: RESULT.refused };
  }
  const verdict = judgeEndpoint(endpoint, expectedConfigName);
  if (verdict.kind === "waiting") {
    logger.info("Endpoint still transitioning; a later event will tell", {
      ...context,
      status: verdict.status,
    });
    return { result: RESULT.stillWaiting };
  }
  return reportOutcome({
    outcome: {
      endpointName: event.endpointName,
      endpointArn: endpoint.EndpointArn,
      status: verdict.status,
      configName: endpoint.EndpointConfigName ?? expectedConfigName,
      failureReason: verdict.kind === "failure" ? verdict.reason : "",
      runId,
    },
    callback,
    expectedConfigName,
    gateway,
    tags,
    deadline: deps.clock.now() + invocation.remainingTimeMs() - DISPATCH_MARGIN_MS,
    deps,
  });
}
