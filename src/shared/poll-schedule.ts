/**
 * When to ask DescribeEndpoint next. A fixed interval trades calls against latency (calls × mean
 * latency ≈ duration / 2); knowing roughly when the endpoint will turn breaks that trade. The
 * endpoint's tag (TAG_KEYS.timing) remembers how long its last create and update took, because
 * the next one usually takes about as long: we poll sparsely until shortly before that, densely
 * around it. Without that history we poll sparsely only while no endpoint of the instance family
 * plausibly finishes, and never make more calls than a fixed poll-interval would.
 *
 * The schedule is a function of the time since the create or update began, not of poll count,
 * so the Lambda can pick it up after a hop knowing only when the operation started.
 */

/** The two operations whose duration the timing tag records. */
export const TRANSITION_KINDS = ["create", "update"] as const;

/** A create or an update. */
export type TransitionKind = (typeof TRANSITION_KINDS)[number];

/** How long the endpoint's last create and last update took, in milliseconds (absent: unknown). */
export type Timing = Readonly<Partial<Record<TransitionKind, number>>>;

/** Tunables of the schedule; durations in milliseconds, fractions of the expected duration. */
export const POLL_TUNING = {
  /** No gap is shorter: the lowest poll-interval the action accepts. */
  floorMs: 1_000,
  /** Gap around the expected time: a 2.5 s mean delay in noticing the change, ~12 polls a minute. */
  denseMs: 5_000,
  /**
   * Dense polling starts this share of the expected duration early and lasts as long after it.
   * The history is one sample; ±10% is the spread we plan for, and a wider one costs latency on
   * the early side (see bench/polling.ts), never a missed change.
   */
  windowFraction: 0.1,
  /** The dense window reaches at least this far either side, for transitions of a few minutes. */
  windowMinMs: 30_000,
  /**
   * Before the window a change is a surprise (a failure, or a much faster deploy than the last),
   * so the quiet time gets about five polls however long it is, up to the ceiling below.
   */
  sparseFraction: 0.2,
  /**
   * Ceiling on sparse gaps (unless poll-interval is longer): an early failure is noticed within
   * two minutes, the order of a Lambda continuation hop (one minute) and far below the SDK
   * waiter's gaps (up to an hour), while a 30-minute create spends ~14 calls before its window.
   */
  sparseMaxMs: 120_000,
  /**
   * Without history, the calls saved while quiet are spent on gaps this much shorter than
   * poll-interval until the count is back at a fixed poll-interval's, never ahead of it.
   */
  tightFraction: 0.9,
  /**
   * Each poll lands up to this share of a gap either side of its slot, so a matrix of deploys
   * started together does not poll in lockstep. Slots stay fixed, so jitter never accumulates.
   */
  jitterFraction: 0.1,
  /**
   * On a fixed poll-interval (no history), jitter is capped at this, so no gap exceeds
   * poll-interval + 1 s: the detection budget of a fixed interval still holds.
   */
  fixedJitterMaxMs: 500,
} as const;

/**
 * Without history, how long after the call no create or update of the family plausibly
 * finishes: the schedule stays sparse until then. Set low on purpose: a figure too low costs a
 * few calls, one too high up to a sparse gap of latency. Updates get the creates' figures, as
 * SageMaker provisions a new fleet for an update too.
 */
export const QUIET_MS = {
  /** ml.m, ml.c, ml.t, ml.r: an instance, an image pull and a health check take minutes. */
  cpu: 180_000,
  /** ml.g, ml.p, ml.inf, ml.trn: accelerator hosts and their multi-GB images take longer still. */
  accelerator: 300_000,
  /** No instance of our own to provision (though serverless creates can still take minutes). */
  serverless: 60_000,
  /** A family not listed here: assume as little as for the quickest one. */
  unknown: 60_000,
} as const;

/** The families {@link QUIET_MS} tells apart. */
export type InstanceFamily = keyof typeof QUIET_MS;

const FAMILY_PATTERNS: readonly (readonly [InstanceFamily, RegExp])[] = [
  ["accelerator", /^ml\.(?:g|p|inf|trn)\d/],
  ["cpu", /^ml\.(?:m|c|t|r)\d/],
];

/** Longest duration the tag holds, in seconds; a larger figure is not one the action wrote. */
const MAX_RECORDED_S = 86_400;

/** SageMaker's longest tag value. */
const MAX_TAG_VALUE_LENGTH = 256;

/** Slack, in slots, for rounding; 2 × jitterFraction plus this must stay below 1. */
const SLOT_TOLERANCE = 0.01;

const TIMING_ENTRY = /^(create|update)=(\d{1,6})$/;

/**
 * Reads the timing tag, e.g. `create=612 update=380` (whole seconds; `;` is not allowed in tag
 * values). Lenient: entries it does not understand are skipped, so garbage means no history.
 */
export function parseTiming(value: string | undefined): Timing {
  const timing: Partial<Record<TransitionKind, number>> = {};
  if (value === undefined || value.length > MAX_TAG_VALUE_LENGTH) return timing;
  for (const entry of value.trim().split(/\s+/)) {
    const [, kind, seconds] = TIMING_ENTRY.exec(entry) ?? [];
    const s = Number(seconds);
    if (kind === "create" || kind === "update")
      if (s >= 1 && s <= MAX_RECORDED_S) timing[kind] = s * 1000;
  }
  return timing;
}

/**
 * The timing tag value after a `kind` that reached InService in `durationMs`. A duration that
 * is not a positive number leaves the history as it was.
 */
export function recordTiming(previous: Timing, kind: TransitionKind, durationMs: number): string {
  const next: Partial<Record<TransitionKind, number>> = { ...previous };
  if (Number.isFinite(durationMs) && durationMs > 0) next[kind] = durationMs;
  return TRANSITION_KINDS.flatMap((k) => {
    const ms = next[k];
    if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return [];
    const seconds = Math.min(MAX_RECORDED_S, Math.max(1, Math.round(ms / 1000)));
    return [`${k}=${seconds}`];
  }).join(" ");
}

/** The family an instance type belongs to; `undefined` (no instance type) is serverless. */
export function instanceFamily(instanceType: string | undefined): InstanceFamily {
  if (instanceType === undefined) return "serverless";
  return FAMILY_PATTERNS.find(([, pattern]) => pattern.test(instanceType))?.[0] ?? "unknown";
}

/** What the schedule is built from. */
export interface PollScheduleOptions {
  /** How long this kind of transition took last time (`parseTiming(tag)[kind]`), if known. */
  readonly expectedMs?: number;
  /** The variant's instance type; `undefined` for a serverless variant. */
  readonly instanceType?: string;
  /** The user's poll-interval: caps the dense gap; without history, calls never outnumber its. */
  readonly capMs: number;
}

/** Options for {@link nextPollDelay}. */
export interface NextPollOptions extends PollScheduleOptions {
  /** Time since the create or update call, at the poll just made. */
  readonly elapsedMs: number;
  /** Uniform in [0, 1); tests and the bench pass a seeded one. */
  readonly random?: () => number;
}

/** From `startMs` on (until the next segment), one poll every `gapMs`. */
export interface PollSegment {
  readonly startMs: number;
  readonly gapMs: number;
}

/**
 * How long to sleep after the poll made at `elapsedMs`. The poll at 0 is the caller's; then
 * the n-th poll is due where the schedule's segments add up to n gaps, moved by the jitter.
 */
export function nextPollDelay(options: NextPollOptions): number {
  const { jitterFraction, floorMs } = POLL_TUNING;
  const segments = pollSegments(options);
  const elapsed = Number.isFinite(options.elapsedMs) ? Math.max(0, options.elapsedMs) : 0;
  // The slot the poll just made served: it may have come up to a jitter early, and a little
  // more once its delay was rounded to whole milliseconds.
  const slot = Math.floor(slotsAt(segments, elapsed) + jitterFraction + SLOT_TOLERANCE);
  const jitter = jitterFraction * (2 * (options.random ?? Math.random)() - 1);
  return Math.max(floorMs, Math.round(timeOfSlot(segments, slot + 1 + jitter) - elapsed));
}

/** The schedule as segments of constant gap, the first starting at 0 and the last open-ended. */
export function pollSegments(options: PollScheduleOptions): readonly PollSegment[] {
  const t = POLL_TUNING;
  const capMs = Math.max(t.floorMs, options.capMs);
  const expected = options.expectedMs;
  if (expected === undefined || !Number.isFinite(expected) || expected <= 0) {
    return quietSegments(QUIET_MS[instanceFamily(options.instanceType)], capMs);
  }
  const margin = Math.max(t.windowFraction * expected, t.windowMinMs);
  const windowStart = Math.max(0, expected - margin);
  const windowEnd = expected + margin;
  const dense = Math.min(t.denseMs, capMs);
  const segments: PollSegment[] = [];
  if (windowStart > 0) segments.push({ startMs: 0, gapMs: sparseGap(windowStart, capMs) });
  segments.push({ startMs: windowStart, gapMs: dense });
  // Well past the expected time the history was wrong: widen, doubling each margin, back to cap.
  let start = windowEnd;
  for (let gap = dense * 2; gap < capMs; gap *= 2) {
    segments.push({ startMs: start, gapMs: gap });
    start += margin;
  }
  segments.push({ startMs: start, gapMs: capMs });
  return segments;
}

function sparseGap(quietMs: number, capMs: number): number {
  const t = POLL_TUNING;
  const ceiling = Math.max(capMs, t.sparseMaxMs);
  return Math.min(ceiling, Math.max(capMs, t.sparseFraction * quietMs));
}

/**
 * No history: sparse while quiet, then the calls saved on slightly tighter gaps until the count
 * has caught up with a fixed `capMs`, then `capMs`. The slot count never runs ahead of
 * elapsed / capMs, so a wait of T makes at most T / capMs + 2 calls whatever the jitter draws.
 */
function quietSegments(quietMs: number, capMs: number): PollSegment[] {
  const sparse = sparseGap(quietMs, capMs);
  const saved = quietMs / capMs - quietMs / sparse;
  const tight = Math.max(POLL_TUNING.floorMs, POLL_TUNING.tightFraction * capMs);
  const segments: PollSegment[] = [{ startMs: 0, gapMs: sparse }];
  if (saved > 0 && tight < capMs) {
    segments.push({ startMs: quietMs, gapMs: tight });
    // The stretch after which tight gaps have made exactly the saved number of extra polls.
    const stretch = saved / (1 / tight - 1 / capMs);
    segments.push({ startMs: quietMs + stretch, gapMs: capMs });
  } else {
    segments.push({ startMs: quietMs, gapMs: capMs });
  }
  return segments;
}

/** How many gaps of the schedule fit in `[0, timeMs]`, fractions included. */
function slotsAt(segments: readonly PollSegment[], timeMs: number): number {
  let slots = 0;
  segments.forEach((segment, i) => {
    const end = Math.min(timeMs, segments[i + 1]?.startMs ?? Number.POSITIVE_INFINITY);
    if (end > segment.startMs) slots += (end - segment.startMs) / segment.gapMs;
  });
  return slots;
}

/** The inverse of {@link slotsAt}: when the schedule has added up `slots` gaps. */
function timeOfSlot(segments: readonly PollSegment[], slots: number): number {
  let remaining = Math.max(0, slots);
  for (const [i, segment] of segments.entries()) {
    const next = segments[i + 1];
    const span = next ? (next.startMs - segment.startMs) / segment.gapMs : Number.POSITIVE_INFINITY;
    if (remaining <= span) return segment.startMs + remaining * segment.gapMs;
    remaining -= span;
  }
  return Number.POSITIVE_INFINITY;
}

/** Options for {@link fixedSlotDelay}. */
export interface FixedSlotOptions {
  /** Time since the wait began, at the poll just made. */
  readonly elapsedMs: number;
  /** The poll-interval: one slot every `capMs`. */
  readonly capMs: number;
  /** Uniform in [0, 1); tests pass a seeded one. */
  readonly random?: () => number;
}

/**
 * How long to sleep on a fixed poll-interval: polls land on the slots k × `capMs`, each shifted
 * by at most ±10% of the interval and never more than {@link POLL_TUNING}.fixedJitterMaxMs, so a
 * matrix of deploys started together spreads out while jitter never adds up and a wait of T
 * makes at most T / `capMs` + 2 calls.
 */
export function fixedSlotDelay(options: FixedSlotOptions): number {
  const { capMs } = options;
  const { jitterFraction, fixedJitterMaxMs, floorMs } = POLL_TUNING;
  const spread = Math.min(jitterFraction * capMs, fixedJitterMaxMs) / capMs;
  const elapsed = Number.isFinite(options.elapsedMs) ? Math.max(0, options.elapsedMs) : 0;
  const slot = Math.floor(elapsed / capMs + spread + SLOT_TOLERANCE) + 1;
  const jitter = spread * (2 * (options.random ?? Math.random)() - 1);
  return Math.max(floorMs, Math.round((slot + jitter) * capMs - elapsed));
}
