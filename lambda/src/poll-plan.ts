import type { Clock } from "../../src/shared/clock.js";
import {
  nextPollDelay,
  parseTiming,
  recordTiming,
  type TransitionKind,
} from "../../src/shared/poll-schedule.js";
import type { Endpoint } from "../../src/shared/sagemaker-gateway.js";
import { TAG_KEYS } from "../../src/shared/tags.js";

/** Longest gap between two DescribeEndpoint calls, as the action's default poll-interval. */
export const POLL_CAP_MS = 30_000;

/** Within this, CreationTime and LastModifiedTime are the same instant (both are whole seconds). */
const SAME_INSTANT_MS = 1_000;

/** The create or update being waited for, and when it began (epoch ms). */
export interface Transition {
  readonly kind: TransitionKind;
  readonly startedAt: number;
}

/**
 * The transition an answer shows. Only while the endpoint is Creating or Updating does its
 * LastModifiedTime tell when the operation began; SageMaker moves it again when the status
 * changes. A create is the one whose LastModifiedTime is still its CreationTime.
 */
export function transitionOf(endpoint: Endpoint, now: number): Transition | undefined {
  const status = endpoint.EndpointStatus;
  if (status !== "Creating" && status !== "Updating") return undefined;
  const modified = endpoint.LastModifiedTime?.getTime();
  if (modified === undefined || !Number.isFinite(modified) || modified > now) return undefined;
  const created = endpoint.CreationTime?.getTime();
  const sameInstant = created !== undefined && Math.abs(modified - created) < SAME_INSTANT_MS;
  return { kind: status === "Creating" || sameInstant ? "create" : "update", startedAt: modified };
}

/** Options for {@link planPolls}. */
export interface PollPlanOptions {
  /** The endpoint's tags: `sagemaker-deploy:timing` holds how long its last create and update took. */
  readonly tags: Readonly<Record<string, string>>;
  /** The first answer of this invocation. */
  readonly first: Endpoint;
  readonly clock: Clock;
  readonly capMs: number;
  readonly random?: () => number;
}

/** The poll schedule of one invocation's wait, and the timing it learns. */
export interface PollPlan {
  /** `waitForEndpoint`'s `nextDelay`: elapsed time counts from when the transition began. */
  nextDelay(elapsedInWaitMs: number): number;
  /** Takes in an answer seen during the wait (the transition may show only then). */
  observe(endpoint: Endpoint): void;
  /** The timing tag after the transition ended InService with `endpoint`; undefined if unknown. */
  timingAfter(endpoint: Endpoint): string | undefined;
}

/**
 * Polls as the action does (src/shared/poll-schedule.ts): sparsely until shortly before the
 * endpoint's last create or update of the same kind took, densely around it. Counted from the
 * transition's start rather than this invocation's, so each hop picks the schedule up where the
 * last left it; without a transition in sight, from the invocation's start.
 */
export function planPolls(options: PollPlanOptions): PollPlan {
  const { clock } = options;
  const waitStartedAt = clock.now();
  const history = parseTiming(options.tags[TAG_KEYS.timing]);
  let transition = transitionOf(options.first, waitStartedAt);
  return {
    nextDelay: (elapsedInWaitMs) => {
      const origin = transition?.startedAt ?? waitStartedAt;
      return nextPollDelay({
        elapsedMs: waitStartedAt + elapsedInWaitMs - origin,
        expectedMs: transition ? history[transition.kind] : undefined,
        capMs: options.capMs,
        ...(options.random ? { random: options.random } : {}),
      });
    },
    observe: (endpoint) => {
      transition ??= transitionOf(endpoint, clock.now());
    },
    timingAfter: (endpoint) => {
      if (!transition) return undefined;
      const modified = endpoint.LastModifiedTime?.getTime() ?? Number.NaN;
      const endedAt = modified > transition.startedAt ? modified : clock.now();
      return recordTiming(history, transition.kind, endedAt - transition.startedAt);
    },
  };
}
