import { describe, expect, it } from "vitest";
import {
  fixedSlotDelay,
  instanceFamily,
  nextPollDelay,
  POLL_TUNING,
  type PollScheduleOptions,
  parseTiming,
  recordTiming,
  type Timing,
} from "../../src/shared/poll-schedule.js";

const SECOND = 1_000;
const MINUTE = 60_000;
/** SageMaker's pattern for tag values. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** A small seeded generator (mulberry32), so every run draws the same jitter. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const RANDOMS = {
  "always low": () => 0,
  "always high": () => 0.999_999,
  seeded: seeded(7),
} as const;

/** The times of every poll a wait makes up to `untilMs`, the caller's own poll at 0 included. */
function pollTimes(schedule: PollScheduleOptions, untilMs: number, random: () => number) {
  const times = [0];
  for (let t = 0; ; ) {
    t += nextPollDelay({ ...schedule, elapsedMs: t, random });
    if (t > untilMs) return times;
    times.push(t);
  }
}

/** The gaps between consecutive polls that both fall in `[fromMs, toMs]`. */
function gapsWithin(times: readonly number[], fromMs: number, toMs: number): number[] {
  const inside = times.filter((t) => t >= fromMs && t <= toMs);
  return inside.slice(1).map((t, i) => t - (inside[i] ?? t));
}

/** Calls until a transition at `truthMs` is seen, and how late it is seen. */
function detect(schedule: PollScheduleOptions, truthMs: number, random: () => number) {
  let t = 0;
  let calls = 1;
  while (t < truthMs) {
    t += nextPollDelay({ ...schedule, elapsedMs: t, random });
    calls += 1;
  }
  return { calls, latencyMs: t - truthMs };
}

/** Means of {@link detect} over transitions spread evenly across `[fromMs, toMs]`. */
function meanDetection(
  schedule: PollScheduleOptions,
  fromMs: number,
  toMs: number,
  random: () => number,
) {
  const runs = Array.from({ length: 401 }, (_, i) =>
    detect(schedule, fromMs + ((toMs - fromMs) * i) / 400, random),
  );
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    calls: mean(runs.map((r) => r.calls)),
    latencyMs: mean(runs.map((r) => r.latencyMs)),
  };
}

describe("parseTiming", () => {
  it.each<{ value: string | undefined; timing: Timing }>([
    { value: "create=612 update=380", timing: { create: 612_000, update: 380_000 } },
    { value: "update=380", timing: { update: 380_000 } },
    { value: "create=612", timing: { create: 612_000 } },
    { value: "  update=380   create=612 ", timing: { create: 612_000, update: 380_000 } },
    { value: "create=600 create=612", timing: { create: 612_000 } },
    { value: "create=612 update=soon", timing: { create: 612_000 } },
    { value: "delete=90 create=612", timing: { create: 612_000 } },
    { value: "create=86400", timing: { create: 86_400_000 } },
  ])("reads $value", ({ value, timing }) => {
    // prepare: a value of the sagemaker-deploy:timing tag

    // act
    const parsed = parseTiming(value);

    // assess
    expect(parsed).toEqual(timing);
  });

  it.each([
    undefined,
    "",
    "   ",
    "create=612;update=380",
    "create=0",
    "create=-5",
    "create=1.5",
    "create=10m",
    "create=86401",
    "create=9999999",
    "CREATE=612",
    "create = 612",
    '{"create":612}',
    "x".repeat(300),
    `create=612 ${"x".repeat(300)}`,
  ])("reads %j as no history", (value) => {
    // prepare: garbage where the tag should be

    // act
    const parsed = parseTiming(value);

    // assess
    expect(parsed).toEqual({});
  });
});

describe("recordTiming", () => {
  it.each<{ previous: Timing; kind: "create" | "update"; durationMs: number; value: string }>([
    { previous: {}, kind: "create", durationMs: 612_000, value: "create=612" },
    { previous: {}, kind: "update", durationMs: 380_400, value: "update=380" },
    {
      previous: { create: 612_000 },
      kind: "update",
      durationMs: 380_000,
      value: "create=612 update=380",
    },
    {
      previous: { update: 380_000 },
      kind: "create",
      durationMs: 611_600,
      value: "create=612 update=380",
    },
    { previous: { create: 600_000 }, kind: "create", durationMs: 612_000, value: "create=612" },
    { previous: { create: 600_000 }, kind: "update", durationMs: Number.NaN, value: "create=600" },
    { previous: {}, kind: "create", durationMs: -1, value: "" },
    { previous: {}, kind: "create", durationMs: 200, value: "create=1" },
    { previous: {}, kind: "create", durationMs: 1e12, value: "create=86400" },
    {
      previous: { create: 1e15 },
      kind: "update",
      durationMs: 5_000,
      value: "create=86400 update=5",
    },
  ])("records $kind of $durationMs ms over $previous as '$value'", (c) => {
    // prepare: the history read from the tag and the transition just finished

    // act
    const value = recordTiming(c.previous, c.kind, c.durationMs);

    // assess
    expect(value).toBe(c.value);
    expect(value).toMatch(TAG_VALUE);
  });

  it.each([
    { kind: "create", durationMs: 1_000 },
    { kind: "update", durationMs: 7_654_000 },
    { kind: "create", durationMs: 86_400_000 },
  ] as const)("reads back a $kind of $durationMs ms as written", ({ kind, durationMs }) => {
    // prepare
    const previous = { create: 300_000, update: 200_000 };

    // act
    const timing = parseTiming(recordTiming(previous, kind, durationMs));

    // assess
    expect(timing).toEqual({ ...previous, [kind]: durationMs });
  });
});

describe("instanceFamily", () => {
  it.each([
    { instanceType: "ml.m5.large", family: "cpu" },
    { instanceType: "ml.c7i.xlarge", family: "cpu" },
    { instanceType: "ml.t2.medium", family: "cpu" },
    { instanceType: "ml.r6i.2xlarge", family: "cpu" },
    { instanceType: "ml.g5.xlarge", family: "accelerator" },
    { instanceType: "ml.p4d.24xlarge", family: "accelerator" },
    { instanceType: "ml.inf2.xlarge", family: "accelerator" },
    { instanceType: "ml.trn1.2xlarge", family: "accelerator" },
    { instanceType: undefined, family: "serverless" },
    { instanceType: "ml.x9.large", family: "unknown" },
  ])("puts $instanceType in $family", ({ instanceType, family }) => {
    // prepare: the variant's instance type (none for serverless)

    // act
    const found = instanceFamily(instanceType);

    // assess
    expect(found).toBe(family);
  });
});

describe("nextPollDelay with history", () => {
  const tenMinutes: PollScheduleOptions = {
    expectedMs: 10 * MINUTE,
    instanceType: "ml.m5.large",
    capMs: 15 * SECOND,
  };
  const { denseMs, jitterFraction, sparseMaxMs } = POLL_TUNING;

  it("polls every few seconds from shortly before the expected time to shortly after", () => {
    // prepare
    const random = seeded(1);

    // act
    const gaps = gapsWithin(pollTimes(tenMinutes, 20 * MINUTE, random), 9 * MINUTE, 11 * MINUTE);

    // assess
    expect(gaps.length).toBeGreaterThan(20);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(denseMs * (1 + 2 * jitterFraction));
  });

  it("polls sparsely, but at least every two minutes, long before the expected time", () => {
    // prepare
    const random = seeded(2);

    // act
    const times = pollTimes(tenMinutes, 20 * MINUTE, random);

    // assess
    const gaps = gapsWithin(times, 0, 8 * MINUTE);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(60 * SECOND);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(sparseMaxMs * (1 + 2 * jitterFraction));
    expect(times.filter((t) => t < 9 * MINUTE).length).toBeLessThanOrEqual(7);
  });

  it("widens back to poll-interval once well past the expected time", () => {
    // prepare
    const random = seeded(3);

    // act
    const gaps = gapsWithin(pollTimes(tenMinutes, 40 * MINUTE, random), 15 * MINUTE, 40 * MINUTE);

    // assess
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeCloseTo(15 * SECOND, -2);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(15 * SECOND * (1 + 2 * jitterFraction));
  });

  it("never polls the dense window slower than a shorter poll-interval", () => {
    // prepare
    const schedule = { ...tenMinutes, capMs: 3 * SECOND };
    const random = seeded(4);

    // act
    const gaps = gapsWithin(pollTimes(schedule, 20 * MINUTE, random), 9 * MINUTE, 11 * MINUTE);

    // assess
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeLessThanOrEqual(3 * SECOND * 1.01);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(3 * SECOND * (1 + 2 * jitterFraction));
  });

  it("keeps a longer poll-interval for the sparse gaps", () => {
    // prepare
    const schedule = { ...tenMinutes, capMs: 5 * MINUTE };
    const random = seeded(5);

    // act
    const gaps = gapsWithin(pollTimes(schedule, 20 * MINUTE, random), 0, 8 * MINUTE);

    // assess
    for (const gap of gaps)
      expect(gap).toBeGreaterThanOrEqual(5 * MINUTE * (1 - 2 * jitterFraction));
  });

  it("notices a 10-minute create within 3 s on average, with no more calls than 30 s polls", () => {
    // prepare: the create takes 10 minutes ±10%, as last time
    const random = seeded(6);
    const fixed30 = { calls: 600 / 30 + 1.5, latencyMs: 15 * SECOND };

    // act
    const ours = meanDetection(tenMinutes, 9 * MINUTE, 11 * MINUTE, random);

    // assess
    expect(ours.latencyMs).toBeLessThan(3 * SECOND);
    expect(ours.calls).toBeLessThanOrEqual(fixed30.calls);
  });

  it("treats an expected time that is not a positive number as no history", () => {
    // prepare
    const none = { instanceType: "ml.m5.large", capMs: 15 * SECOND, random: () => 0.5 };

    // act
    const delays = [0, -1, Number.NaN].map((expectedMs) =>
      nextPollDelay({ ...none, expectedMs, elapsedMs: 0 }),
    );

    // assess
    for (const delay of delays) expect(delay).toBe(nextPollDelay({ ...none, elapsedMs: 0 }));
  });
});

describe("nextPollDelay jitter", () => {
  // Serverless without history at 15 s: one poll every 15 s from the start.
  const plain: PollScheduleOptions = { capMs: 15 * SECOND };

  it.each([
    { random: 0, delay: 13_500 },
    { random: 0.5, delay: 15_000 },
    { random: 0.999_999, delay: 16_500 },
  ])("moves a poll by at most a tenth of its gap (random $random)", ({ random, delay }) => {
    // prepare: the poll just made was on time

    // act
    const next = nextPollDelay({ ...plain, elapsedMs: 30 * SECOND, random: () => random });

    // assess
    expect(next).toBe(delay);
  });

  it("does not let the jitter add up over a long wait", () => {
    // prepare
    const low = pollTimes(plain, 60 * MINUTE, RANDOMS["always low"]);
    const high = pollTimes(plain, 61 * MINUTE, RANDOMS["always high"]);

    // act
    const drift = (high[200] ?? 0) - (low[200] ?? 0);

    // assess
    expect(Math.abs((low[200] ?? 0) - 200 * 15 * SECOND)).toBeLessThanOrEqual(1_500);
    expect(drift).toBeLessThanOrEqual(3 * SECOND);
  });

  it("spreads the polls of a matrix of deploys started together", () => {
    // prepare
    const deploys = Array.from({ length: 20 }, (_, i) => seeded(100 + i));

    // act
    const tenth = deploys.map((random) => pollTimes(plain, 5 * MINUTE, random)[10] ?? 0);

    // assess
    expect(new Set(tenth).size).toBe(20);
    expect(Math.max(...tenth) - Math.min(...tenth)).toBeGreaterThan(1_500);
  });

  it.each([
    { name: "with history", expectedMs: 2 * MINUTE },
    { name: "without history", expectedMs: undefined },
  ])("never waits less than a second, $name", ({ expectedMs }) => {
    // prepare: the shortest poll-interval and jitter always pulling polls early
    const schedule = { capMs: SECOND, instanceType: "ml.m5.large", expectedMs };

    // act
    const times = pollTimes(schedule, 10 * MINUTE, RANDOMS["always low"]);

    // assess
    for (const gap of gapsWithin(times, 0, 10 * MINUTE)) expect(gap).toBeGreaterThanOrEqual(SECOND);
  });
});

describe("nextPollDelay without history", () => {
  const cases = [1, 3, 10, 30, 60].flatMap((minutes) =>
    [SECOND, 15 * SECOND, 5 * MINUTE].flatMap((capMs) =>
      ["ml.m5.large", "ml.g5.xlarge", undefined, "ml.x9.large"].flatMap((instanceType) =>
        Object.keys(RANDOMS).map((jitter) => ({
          minutes,
          capMs,
          instanceType,
          jitter: jitter as keyof typeof RANDOMS,
        })),
      ),
    ),
  );

  it.each(cases)(
    "makes at most T / poll-interval + 3 calls over $minutes min at $capMs ms ($instanceType, $jitter)",
    ({ minutes, capMs, instanceType, jitter }) => {
      // prepare
      const schedule = { capMs, instanceType };

      // act
      const times = pollTimes(schedule, minutes * MINUTE, RANDOMS[jitter]);

      // assess
      expect(times.length).toBeLessThanOrEqual((minutes * MINUTE) / capMs + 3);
    },
  );

  it.each(["ml.m5.large", "ml.g5.xlarge"])(
    "beats fixed 15 s polls on calls and latency for a 10-minute create (%s)",
    (instanceType) => {
      // prepare: the create takes 9 to 11 minutes; 15 s polls see it 7.5 s late on average
      const schedule = { capMs: 15 * SECOND, instanceType };
      const fixed15 = meanDetection({ capMs: 15 * SECOND }, 9 * MINUTE, 11 * MINUTE, () => 0.5);

      // act
      const ours = meanDetection(schedule, 9 * MINUTE, 11 * MINUTE, seeded(8));

      // assess
      expect(ours.calls).toBeLessThan(fixed15.calls);
      expect(ours.latencyMs).toBeLessThan(fixed15.latencyMs);
    },
  );

  it.each([undefined, "ml.x9.large"])(
    "polls on the slots of fixed 15 s polls when little is known (%s)",
    (instanceType) => {
      // prepare: a serverless or unknown variant has too short a quiet time to save calls
      const schedule = { capMs: 15 * SECOND, instanceType };

      // act: jitter at its midpoint, so only the slots show
      const times = pollTimes(schedule, 10 * MINUTE, () => 0.5);

      // assess
      expect(times).toEqual(Array.from({ length: 41 }, (_, i) => i * 15 * SECOND));
    },
  );
});

describe("fixedSlotDelay", () => {
  it.each([1_000, 5_000, 15_000, 300_000])(
    "keeps every gap within poll-interval + 1 s and a wait of T within T / %i + 2 calls",
    (capMs) => {
      // prepare: the worst jitter either way, alternating, over an hour's wait
      const waitMs = 3_600_000;
      let elapsed = 0;
      let calls = 1;
      let widest = 0;
      // act
      while (elapsed < waitMs) {
        const gap = fixedSlotDelay({
          elapsedMs: elapsed,
          capMs,
          random: () => (calls % 2 ? 0 : 0.999),
        });
        widest = Math.max(widest, gap);
        elapsed += gap;
        if (elapsed <= waitMs) calls += 1;
      }
      // assess
      expect(widest).toBeLessThanOrEqual(capMs + 1_000);
      expect(calls).toBeLessThanOrEqual(waitMs / capMs + 2);
    },
  );
});
