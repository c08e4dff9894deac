import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { type Clock, systemClock } from "./clock.js";
import { callAws, isNotFound, unlessNotFound } from "./errors.js";
import { judgeEndpoint, type Verdict } from "./status.js";

/** A DescribeEndpoint answer. */
export type Endpoint = Omit<DescribeEndpointCommandOutput, "$metadata">;

/** DescribeEndpoint, or `undefined` when the endpoint does not exist; other failures are wrapped. */
export async function describeEndpointIfExists(
  client: SageMakerClient,
  endpointName: string,
): Promise<Endpoint | undefined> {
  const answer = await unlessNotFound(() =>
    callAws("DescribeEndpoint", endpointName, () =>
      client.send(new DescribeEndpointCommand({ EndpointName: endpointName })),
    ),
  );
  if (!answer) return undefined;
  const { $metadata: _, ...endpoint } = answer;
  return endpoint;
}

/** Options for {@link waitForEndpoint}. */
export interface WaitOptions {
  readonly client: SageMakerClient;
  readonly endpointName: string;
  /** The config this deploy put on the endpoint; InService on another one is a rollback. */
  readonly expectedConfigName: string;
  /** Overrides the status table, e.g. {@link judgeSettled} to wait out someone else's update. */
  readonly judge?: (endpoint: Endpoint) => Verdict;
  /** Absolute deadline, epoch milliseconds. */
  readonly deadline: number;
  readonly pollIntervalMs: number;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Called with each answer whose status differs from the previous one. */
  readonly onStatusChange?: (endpoint: Endpoint, verdict: Verdict) => void;
  /** Called when a poll fails; the wait goes on at the next interval. */
  readonly onPollError?: (error: unknown) => void;
}

/** How a wait ended. `endpoint` is the last answer seen, if any. */
export type WaitOutcome =
  | { readonly kind: "success"; readonly endpoint: Endpoint; readonly polls: number }
  | {
      readonly kind: "failure";
      readonly endpoint?: Endpoint;
      readonly reason: string;
      readonly polls: number;
    }
  | { readonly kind: "timeout"; readonly endpoint?: Endpoint; readonly polls: number }
  | { readonly kind: "cancelled"; readonly endpoint?: Endpoint; readonly polls: number };

/**
 * Polls DescribeEndpoint every `pollIntervalMs` until the status table gives a verdict, the
 * deadline passes or `signal` aborts. A failed or throttled poll is reported and retried; only
 * "the endpoint no longer exists" ends the wait early.
 */
export async function waitForEndpoint(options: WaitOptions): Promise<WaitOutcome> {
  const { client, endpointName, signal } = options;
  const clock = options.clock ?? systemClock;
  let endpoint: Endpoint | undefined;
  let lastStatus: string | undefined;
  let polls = 0;
  for (;;) {
    if (signal?.aborted) return { kind: "cancelled", endpoint, polls };
    try {
      polls += 1;
      const { $metadata: _, ...answer } = await client.send(
        new DescribeEndpointCommand({ EndpointName: endpointName }),
        { abortSignal: signal },
      );
      endpoint = answer;
    } catch (error) {
      if (signal?.aborted) return { kind: "cancelled", endpoint, polls };
      if (isNotFound(error)) {
        return {
          kind: "failure",
          endpoint,
          reason: `endpoint '${endpointName}' no longer exists`,
          polls,
        };
      }
      options.onPollError?.(error);
    }
    if (endpoint) {
      const verdict =
        options.judge?.(endpoint) ?? judgeEndpoint(endpoint, options.expectedConfigName);
      if (endpoint.EndpointStatus !== lastStatus) options.onStatusChange?.(endpoint, verdict);
      lastStatus = endpoint.EndpointStatus;
      if (verdict.kind === "success") return { kind: "success", endpoint, polls };
      if (verdict.kind === "failure")
        return { kind: "failure", endpoint, reason: verdict.reason, polls };
    }
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) return { kind: "timeout", endpoint, polls };
    await clock.sleep(Math.min(options.pollIntervalMs, remaining), signal);
  }
}
