import {
  type HandoffPayload,
  isRegionName,
  isSageMakerName,
  parseHandoffPayload,
} from "../../src/shared/handoff-payload.js";
import { isRecord } from "../../src/shared/patterns.js";
import { readHop } from "./continuation.js";

/** EventBridge's source and detail-type for SageMaker endpoint status changes. */
export const STATE_CHANGE_EVENT = {
  source: "aws.sagemaker",
  detailType: "SageMaker Endpoint State Change",
} as const;

/** What the function was invoked with. */
export type ClassifiedEvent =
  | { readonly kind: "handoff"; readonly payload: HandoffPayload; readonly hop: number }
  | {
      readonly kind: "state-change";
      readonly endpointName: string;
      readonly region: string;
      /** The account the event says it is from; empty when it does not say. */
      readonly account: string;
      /** The event's own status (UPPER_SNAKE), for logs only: events repeat and arrive out of order. */
      readonly eventStatus: string;
    }
  | { readonly kind: "invalid"; readonly problems: readonly string[] };

function classifyStateChange(event: Record<string, unknown>): ClassifiedEvent {
  if (event["detail-type"] !== STATE_CHANGE_EVENT.detailType) {
    return { kind: "invalid", problems: ["unsupported aws.sagemaker event (detail-type)"] };
  }
  const detail = isRecord(event.detail) ? event.detail : {};
  const endpointName = typeof detail.EndpointName === "string" ? detail.EndpointName : "";
  const region = typeof event.region === "string" ? event.region : "";
  const problems: string[] = [];
  if (!isSageMakerName(endpointName)) problems.push("detail.EndpointName is not an endpoint name");
  if (!isRegionName(region)) problems.push("region is not an AWS region");
  if (problems.length > 0) return { kind: "invalid", problems };
  const status =
    typeof detail.EndpointStatus === "string" ? detail.EndpointStatus.slice(0, 64) : "";
  const account = typeof event.account === "string" ? event.account : "";
  return { kind: "state-change", endpointName, region, account, eventStatus: status };
}

/** Tells an EventBridge state-change event from a hand-off payload and checks it; never throws. */
export function classifyEvent(event: unknown): ClassifiedEvent {
  if (isRecord(event) && event.source === STATE_CHANGE_EVENT.source) {
    return classifyStateChange(event);
  }
  const parsed = parseHandoffPayload(event);
  if (!parsed.ok) return { kind: "invalid", problems: parsed.problems };
  const hop = readHop(event as Record<string, unknown>);
  if (typeof hop === "string") return { kind: "invalid", problems: [hop] };
  return { kind: "handoff", payload: parsed.payload, hop };
}
