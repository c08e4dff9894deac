/**
 * The one status table (DESIGN §3), used by the action and the companion Lambda alike.
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

export type TransitionalStatus = (typeof TRANSITIONAL_STATUSES)[number];
export type FailedStatus = (typeof FAILED_STATUSES)[number];

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

/** True when a verdict ends the wait. */
export function isTerminal(verdict: Verdict): verdict is Exclude<Verdict, { kind: "waiting" }> {
  return verdict.kind !== "waiting";
}

/**
 * Maps an EventBridge "SageMaker Endpoint State Change" status (`IN_SERVICE`, `ROLLING_BACK`,
 * `UPDATE_ROLLBACK_FAILED`, …) onto DescribeEndpoint's spelling (`InService`, …).
 */
export function statusFromEvent(eventStatus: string): string {
  if (!/^[A-Z_]+$/.test(eventStatus)) return eventStatus;
  return eventStatus
    .toLowerCase()
    .split("_")
    .filter((word) => word.length > 0)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");
}
