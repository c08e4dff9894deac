/** The callback workflow's inputs (docs/architecture.md "Callback dispatch"), all strings; ten at most so GHES accepts them. */
export const DISPATCH_INPUT_NAMES = [
  "endpoint-name",
  "endpoint-status",
  "endpoint-arn",
  "endpoint-config-name",
  "failure-reason",
  "source-run-id",
] as const;

export type DispatchInputName = (typeof DISPATCH_INPUT_NAMES)[number];

/** The `inputs` object of one workflow_dispatch. */
export type DispatchInputs = Readonly<Record<DispatchInputName, string>>;

/**
 * Longest `failure-reason` sent. SageMaker's FailureReason is at most 1024 characters; a reason
 * this long is already unreadable in a run's title or a chat message.
 */
export const MAX_FAILURE_REASON_LENGTH = 1000;

/** The `failure-reason` of a report made at the deadline. */
export const TIMED_OUT_REASON = "timed out waiting";

/** What is reported about one deployment. */
export interface Outcome {
  readonly endpointName: string;
  readonly endpointArn: string;
  /** DescribeEndpoint's status, e.g. `InService`, `Failed`, `Creating` (at the deadline). */
  readonly status: string;
  /** The config the endpoint is on now (after a rollback, the previous one). */
  readonly configName: string;
  /** Empty on success. */
  readonly failureReason: string;
  readonly runId: string;
}

function truncate(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}…`;
}

/** Builds the six dispatch inputs of an outcome. */
export function buildDispatchInputs(outcome: Outcome): DispatchInputs {
  return {
    "endpoint-name": outcome.endpointName,
    "endpoint-status": outcome.status,
    "endpoint-arn": outcome.endpointArn,
    "endpoint-config-name": outcome.configName,
    "failure-reason": truncate(outcome.failureReason.trim(), MAX_FAILURE_REASON_LENGTH),
    "source-run-id": outcome.runId,
  };
}
