import { type Clock, systemClock } from "./clock.js";
import { isCredentialError } from "./errors.js";
import type { Endpoint, SageMakerGateway } from "./sagemaker-gateway.js";
import { type ChangeMade, doubtRead, judgeEndpoint, type Verdict } from "./status.js";

/**
 * How long a read that contradicts this run's own CreateEndpoint or UpdateEndpoint (the endpoint
 * "not found", or InService on the config it had before) is doubted. SageMaker's Describe calls
 * are eventually consistent, so such a read may simply predate the call. It is believed once
 * both bounds are passed without any read showing the change.
 */
export const STALE_READ_GRACE = { reads: 3, ms: 60_000 } as const;

/** Options for {@link waitForEndpoint}. */
export interface WaitOptions {
  readonly gateway: SageMakerGateway;
  readonly endpointName: string;
  /** The config this deploy put on the endpoint; InService on another one is a rollback. */
  readonly expectedConfigName: string;
  /** Overrides the status table, e.g. {@link judgeSettled} to wait out someone else's update. */
  readonly judge?: (endpoint: Endpoint) => Verdict;
  /** The call this run made; reads that contradict it are doubted within {@link STALE_READ_GRACE}. */
  readonly change?: ChangeMade;
  /** Absolute deadline, epoch milliseconds. */
  readonly deadline: number;
  /** Milliseconds until the next poll, given the time since the wait began. */
  readonly nextDelay: (elapsedMs: number) => number;
  /**
   * Sleep one {@link nextDelay} before the first poll instead of polling at once: for a wait
   * whose first answer is already known (the status this run's own call just set).
   */
  readonly skipFirstPoll?: boolean;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /** Called with each answer whose status differs from the previous one. */
  readonly onStatusChange?: (endpoint: Endpoint, verdict: Verdict) => void;
  /** Called when a poll fails; the wait goes on at the next interval. */
  readonly onPollError?: (error: unknown) => void;
  /** Called when a read contradicts this run's own call and is not yet believed. */
  readonly onDoubt?: (why: string) => void;
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
  | { readonly kind: "cancelled"; readonly endpoint?: Endpoint; readonly polls: number }
  | {
      readonly kind: "credentials";
      readonly endpoint?: Endpoint;
      readonly error: unknown;
      readonly polls: number;
    };

/** Tracks whether reads have shown this run's change yet, and how long they have contradicted it. */
function createDoubt(options: WaitOptions, clock: Clock) {
  let confirmed = options.change === undefined;
  let contradictions = 0;
  return (endpoint: Endpoint | undefined): string | undefined => {
    if (confirmed || !options.change) return undefined;
    const why = doubtRead(endpoint, options.expectedConfigName, options.change);
    if (why === undefined) {
      confirmed = true;
      return undefined;
    }
    contradictions += 1;
    const waited = clock.now() - options.change.at;
    if (contradictions >= STALE_READ_GRACE.reads && waited >= STALE_READ_GRACE.ms) {
      confirmed = true;
      return undefined;
    }
    return why;
  };
}

/**
 * Polls DescribeEndpoint until the status table gives a verdict, the deadline passes or `signal`
 * aborts. A failed or throttled poll is reported and retried; an expired or invalid credential
 * ends the wait at once, since every later poll would fail the same way.
 */
export async function waitForEndpoint(options: WaitOptions): Promise<WaitOutcome> {
  const { gateway, endpointName, signal } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const doubt = createDoubt(options, clock);
  let endpoint: Endpoint | undefined;
  let lastStatus: string | undefined;
  let polls = 0;
  const untilNextPoll = () =>
    clock.sleep(
      Math.min(
        options.nextDelay(clock.now() - startedAt),
        Math.max(0, options.deadline - clock.now()),
      ),
      signal,
    );
  if (options.skipFirstPoll) await untilNextPoll();
  for (;;) {
    if (signal?.aborted) return { kind: "cancelled", endpoint, polls };
    let answered = false;
    let answer: Endpoint | undefined;
    try {
      polls += 1;
      answer = await gateway.pollEndpoint(endpointName);
      answered = true;
    } catch (error) {
      if (signal?.aborted) return { kind: "cancelled", endpoint, polls };
      if (isCredentialError(error)) return { kind: "credentials", endpoint, error, polls };
      options.onPollError?.(error);
    }
    if (answered) {
      const doubted = doubt(answer);
      if (doubted !== undefined) options.onDoubt?.(doubted);
      else if (!answer) {
        return {
          kind: "failure",
          endpoint,
          reason: `endpoint '${endpointName}' no longer exists`,
          polls,
        };
      } else {
        endpoint = answer;
        const verdict =
          options.judge?.(answer) ?? judgeEndpoint(answer, options.expectedConfigName);
        if (answer.EndpointStatus !== lastStatus) options.onStatusChange?.(answer, verdict);
        lastStatus = answer.EndpointStatus;
        if (verdict.kind === "success") return { kind: "success", endpoint: answer, polls };
        if (verdict.kind === "failure")
          return { kind: "failure", endpoint: answer, reason: verdict.reason, polls };
      }
    }
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) return { kind: "timeout", endpoint, polls };
    await untilNextPoll();
  }
}
