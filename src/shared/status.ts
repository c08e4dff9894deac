/**
 * The one status table (docs/architecture.md, "Status table"), used by the action and the
 * companion Lambda alike.
 */

/** Statuses during which SageMaker is still working on the endpoint. */
export const TRANSITIONAL_STATUSES = [
  "Creating",
  "Updating",
  "SystemUpdating",
  "RollingBack",
] as const;

/** Statuses that end a deploy as a failure. */
export const FAILED_STATUSES = [
  "Failed",
  "UpdateRollbackFailed",
  "OutOfService",
  "Deleting",
] as const;

/** What a DescribeEndpoint answer means for the deploy that expects `expectedConfigName`. */
export type Verdict =
  | { readonly kind: "waiting"; readonly status: string }
  | { readonly kind: "success"; readonly status: string }
  | { readonly kind: "failure"; readonly status: string; readonly reason: string };

/** The fields of a DescribeEndpoint answer that decide a verdict. */
export interface EndpointView {
  readonly EndpointStatus?: string | undefined;
  readonly EndpointConfigName?: string | undefined;
  readonly FailureReason?: string | undefined;
}

/** Applies the status table to one DescribeEndpoint answer. */
export function judgeEndpoint(endpoint: EndpointView, expectedConfigName: string): Verdict {
  const status = endpoint.EndpointStatus ?? "Unknown";
  const reason = endpoint.FailureReason?.trim();
  if (status === "InService") {
    if (endpoint.EndpointConfigName === expectedConfigName) return { kind: "success", status };
    const detail = reason ? `: ${reason}` : "";
    return {
      kind: "failure",
      status,
      reason: `update rolled back: the endpoint is InService on '${endpoint.EndpointConfigName ?? "another config"}', not '${expectedConfigName}'${detail}`,
    };
  }
  if ((FAILED_STATUSES as readonly string[]).includes(status)) {
    return { kind: "failure", status, reason: reason || `the endpoint is ${status}` };
  }
  // Transitional statuses, and any status SageMaker adds later: keep waiting, bounded by the deadline.
  return { kind: "waiting", status };
}

/** True for statuses during which SageMaker is still working on the endpoint. */
export function isTransitional(status: string | undefined): boolean {
  return (TRANSITIONAL_STATUSES as readonly (string | undefined)[]).includes(status);
}

/** A verdict that only asks "has SageMaker finished its current operation?" (any status will do). */
export function judgeSettled(endpoint: EndpointView): Verdict {
  const status = endpoint.EndpointStatus ?? "Unknown";
  return isTransitional(status) ? { kind: "waiting", status } : { kind: "success", status };
}

/** A CreateEndpoint or UpdateEndpoint this run made, and when (epoch ms, the runner's clock). */
export interface ChangeMade {
  readonly kind: "create" | "update";
  readonly at: number;
}

/** The fields of a DescribeEndpoint answer that show whether it already reflects a change. */
export interface EndpointEvidence extends EndpointView {
  readonly LastModifiedTime?: Date | undefined;
  readonly PendingDeploymentSummary?:
    | { readonly EndpointConfigName?: string | undefined }
    | undefined;
}

/**
 * Why a read may predate this run's own change, or `undefined` when it shows the change (or
 * cannot be stale). "Not found" after a create, and InService on the old config after an update
 * with no sign of the update (no transitional status, no pending deployment of our config, not
 * modified since the call) are what an eventually consistent read returns just after the call.
 */
export function doubtRead(
  endpoint: EndpointEvidence | undefined,
  expectedConfigName: string,
  change: ChangeMade,
): string | undefined {
  if (!endpoint) {
    return change.kind === "create"
      ? "DescribeEndpoint does not find the endpoint yet, just after CreateEndpoint"
      : "DescribeEndpoint does not find the endpoint, just after UpdateEndpoint";
  }
  if (endpoint.EndpointStatus !== "InService") return undefined;
  if (endpoint.EndpointConfigName === expectedConfigName) return undefined;
  if (endpoint.PendingDeploymentSummary?.EndpointConfigName === expectedConfigName)
    return undefined;
  const modified = endpoint.LastModifiedTime?.getTime();
  if (modified !== undefined && modified >= change.at) return undefined;
  return `DescribeEndpoint still shows the endpoint InService on '${endpoint.EndpointConfigName ?? "another config"}', as before UpdateEndpoint`;
}
