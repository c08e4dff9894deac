import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../src/durations.js";

describe("parseDuration", () => {
  it.each([
    { text: "90s", ms: 90_000 },
    { text: "45m", ms: 2_700_000 },
    { text: "1h30m", ms: 5_400_000 },
    { text: "2h", ms: 7_200_000 },
    { text: "1h30m15s", ms: 5_415_000 },
    { text: "1h15s", ms: 3_615_000 },
    { text: "1h 30m", ms: 5_400_000 },
    { text: "90S", ms: 90_000 },
    { text: "  45m  ", ms: 2_700_000 },
    { text: "10", ms: 600_000 },
    { text: "1.5", ms: 90_000 },
    { text: "0.25", ms: 15_000 },
    { text: "0", ms: 0 },
  ])("reads $text as $ms ms", ({ text, ms }) => {
    // prepare: the text a user writes in wait-timeout or poll-interval

    // act
    const parsed = parseDuration(text);

    // assess
    expect(parsed).toBe(ms);
  });

  it.each([
    "",
    "   ",
    "-5m",
    "5x",
    "m",
    "h",
    "1h30",
    "1.5h",
    "1.5m",
    "30s1h",
    "1h1h",
    "500ms",
    "5 minutes",
    "ten",
    "1e3",
    ".5",
    "1,5",
    "PT1H",
    "Infinity",
    "0x10",
    "1 h",
  ])("rejects %j", (text) => {
    // prepare: a value that is not a duration

    // act
    const parsed = parseDuration(text);

    // assess
    expect(parsed).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it.each([
    { ms: 0, text: "0s" },
    { ms: 7_000, text: "7s" },
    { ms: 59_000, text: "59s" },
    { ms: 60_000, text: "1m00s" },
    { ms: 245_000, text: "4m05s" },
    { ms: 3_600_000, text: "1h00m00s" },
    { ms: 3_723_000, text: "1h02m03s" },
    { ms: 90_000_000, text: "25h00m00s" },
    { ms: 1_499, text: "1s" },
    { ms: 59_600, text: "1m00s" },
    { ms: -5_000, text: "0s" },
  ])("writes $ms ms as $text", ({ ms, text }) => {
    // prepare: an elapsed time in milliseconds

    // act
    const formatted = formatDuration(ms);

    // assess
    expect(formatted).toBe(text);
  });

  it.each([0, 7_000, 245_000, 3_723_000, 21_600_000])(
    "writes %i ms in a form parseDuration reads back",
    (ms) => {
      // prepare: a whole number of seconds

      // act
      const roundTrip = parseDuration(formatDuration(ms));

      // assess
      expect(roundTrip).toBe(ms);
    },
  );
});
