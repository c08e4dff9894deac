import type { ResolvedLifecycle } from "./lifecycle.js";
import type { ResourceStore } from "./store.js";
import type { FaultKind } from "./types.js";

/** What every operation handler is given besides its input. */
export interface OperationContext {
  readonly store: ResourceStore;
  /** From the SigV4 credential scope of the request. */
  readonly region: string;
  readonly accountId: string;
  /** Epoch milliseconds at which the request is handled. */
  readonly now: number;
  readonly timeScale: number;
  lifecycleFor(endpointName: string): ResolvedLifecycle;
  /** Note something real AWS allows but a careful client never does. */
  recordViolation(message: string): void;
  /** Mark this request's record with a fault the handler played (e.g. a stale read). */
  noteFault(kind: FaultKind): void;
}

/** An operation: input in, output out, or an ApiError thrown. */
export type Handler = (
  ctx: OperationContext,
  input: Record<string, unknown>,
) => Record<string, unknown>;

/** ARN resource types, as they appear after the account id. */
export const ARN_KIND = {
  model: "model",
  endpointConfig: "endpoint-config",
  endpoint: "endpoint",
} as const;

/** One of the ARN_KIND values. */
export type ArnKind = (typeof ARN_KIND)[keyof typeof ARN_KIND];

/** A SageMaker ARN; the name is lower-cased as SageMaker does. */
export function arnOf(ctx: OperationContext, kind: ArnKind, name: string): string {
  return `arn:aws:sagemaker:${ctx.region}:${ctx.accountId}:${kind}/${name.toLowerCase()}`;
}

/** The input without its Tags, which Describe* calls never echo. */
export function withoutTags(input: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(input);
  delete copy.Tags;
  return copy;
}
