import type { Clock } from "../../src/shared/clock.js";

/** A clock whose sleeps return at once and move time on (unless the signal already aborted). */
export interface FakeClock extends Clock {
  /** Milliseconds since the clock started. */
  elapsed(): number;
  /** Moves time on without a sleep (e.g. while "another process" works). */
  advance(ms: number): void;
}

/** A fake clock starting at `start` (epoch ms). */
export function fakeClock(start = 0): FakeClock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms, signal) => {
      if (!signal?.aborted) now += ms;
    },
    elapsed: () => now - start,
    advance: (ms) => {
      now += ms;
    },
  };
}
