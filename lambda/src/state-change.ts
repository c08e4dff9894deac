import { judgeEndpoint } from "../../src/shared/status.js";
import { isRepositoryAllowed } from "./allowlist.js";
import type { Dependencies, Invocation } from "./dependencies.js";
import { readTaggedDeployment } from "./endpoint-tags.js";
import { type HandlerResult, RESULT } from "./handler-result.js";
import { MAX_TAGGED_DEADLINE_AHEAD_MS } from "./limits.js";
import { reportOutcome } from "./report-outcome.js";
import { parseFunctionArn } from "./trust.js";

/** The parts of an EventBridge "SageMaker Endpoint State Change" event the function uses. */
export interface StateChange {
  readonly endpointName: string;
  readonly region: string;
  /** The event's account; empty when the event does not say. */
  readonly account: string;
  readonly eventStatus: string;
}

/** Why an event is not this function's to act on (another account or region), or undefined. */
function foreignEvent(event: StateChange, functionArn: string): string | undefined {
  const location = parseFunctionArn(functionArn);
  if (!location) return "the function's own ARN cannot be read";
  if (event.region !== location.region)
    return `the event is from ${event.region}, not ${location.region}`;
  if (event.account !== "" && event.account !== location.account) {
    return "the event is from another AWS account";
  }
  return undefined;
}

/**
 * Handles an EventBridge state change: the event only says "look again". The endpoint's own
 * DescribeEndpoint answer decides (events repeat and arrive out of order), and the deployment
 * and its callback come from the tags the action wrote for a hand-off: all of them, with a
 * deadline not yet passed. Endpoints without them are not ours to report.
 */
export async function processStateChange(
  event: StateChange,
  invocation: Invocation,
  deps: Dependencies,
): Promise<HandlerResult> {
  const { logger } = deps;
  const context = { endpoint: event.endpointName, eventStatus: event.eventStatus };
  const ignore = (detail: string, extra: Record<string, unknown> = {}): HandlerResult => {
    logger.info(`Ignored: ${detail}`, { ...context, ...extra });
    return { result: RESULT.ignored, detail };
  };
  const foreign = foreignEvent(event, invocation.functionArn);
  if (foreign) {
    logger.error(`Refused: ${foreign}`, context);
    return { result: RESULT.refused, detail: foreign };
  }
  const gateway = deps.sagemaker(event.region);
  const endpoint = await gateway.describeEndpoint(event.endpointName);
  if (!endpoint?.EndpointArn) return ignore("endpoint not found");
  const tags = await gateway.listTags(endpoint.EndpointArn);
  const tagged = readTaggedDeployment(tags);
  if (!tagged.ok) return ignore("no hand-off tags", { problems: tagged.problems });
  const { deployment } = tagged;
  const { deadline } = deployment;
  // Without hand-off the action writes the callback tags empty; only a hand-off sets a deadline.
  if (deadline === undefined) return ignore("no hand-off deadline");
  // The hand-off reported "timed out waiting" at its deadline; tags left by an old hand-off
  // must not turn a later deploy's events into callbacks nobody asked for.
  if (deps.clock.now() > deadline) {
    return ignore("deadline passed", { deadline: new Date(deadline).toISOString() });
  }
  const modified = endpoint.LastModifiedTime?.getTime();
  if (modified !== undefined && deadline - modified > MAX_TAGGED_DEADLINE_AHEAD_MS) {
    return ignore("deadline further ahead than the action writes", {
      deadline: new Date(deadline).toISOString(),
    });
  }
  if (!isRepositoryAllowed(deps.config.allowlist, deployment.callback.repository)) {
    logger.error("Refused: the callback repository is not in ALLOWED_REPOSITORIES", {
      ...context,
      repository: deployment.callback.repository,
    });
    return { result: RESULT.refused, detail: "repository not allowed" };
  }
  const verdict = judgeEndpoint(endpoint, deployment.expectedConfigName);
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
      configName: endpoint.EndpointConfigName ?? deployment.expectedConfigName,
      failureReason: verdict.kind === "failure" ? verdict.reason : "",
      runId: deployment.runId,
    },
    deployment,
    gateway,
    invocation,
    deps,
  });
}
