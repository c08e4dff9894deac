/** The session's retry strategies: polls answered as throttled are not retried; the rest are. */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { sessionRetries } from "../src/shared/aws-client.js";

const token = (retries: number): RetryToken => ({
  getRetryCount: () => retries,
  getRetryDelay: () => 0,
});

/** A shared strategy that always grants a retry and counts what it was asked. */
function grantingStrategy() {
  const asked: string[] = [];
  const strategy: RetryStrategyV2 = {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous, info) => {
      asked.push(info.errorType);
      return token(previous.getRetryCount() + 1);
    },
    recordSuccess: () => {},
  };
  return { strategy, asked };
}

const info = (errorType: RetryErrorInfo["errorType"]): RetryErrorInfo => ({
  errorType,
  error: Object.assign(new Error(errorType), { $metadata: {} }) as RetryErrorInfo["error"],
});

describe("sessionRetries", () => {
  it("retries a throttled call, and counts it", async () => {
    const shared = grantingStrategy();
    const retries = sessionRetries(shared.strategy);
    const next = await retries.strategy.refreshRetryTokenForRetry(token(0), info("THROTTLING"));
    expect(next.getRetryCount()).toBe(1);
    expect(shared.asked).toEqual(["THROTTLING"]);
    expect(retries.throttles()).toBe(1);
  });

  it("gives a throttled poll back at once, still counting it, without asking the shared strategy", async () => {
    const shared = grantingStrategy();
    const retries = sessionRetries(shared.strategy);
    await expect(
      retries.pollStrategy.refreshRetryTokenForRetry(token(0), info("THROTTLING")),
    ).rejects.toThrow(/next poll/);
    expect(shared.asked).toEqual([]);
    expect(retries.throttles()).toBe(1);
  });

  it("retries a poll that failed for any other reason through the shared strategy", async () => {
    const shared = grantingStrategy();
    const retries = sessionRetries(shared.strategy);
    for (const type of ["TRANSIENT", "SERVER_ERROR"] as const)
      await retries.pollStrategy.refreshRetryTokenForRetry(token(0), info(type));
    expect(shared.asked).toEqual(["TRANSIENT", "SERVER_ERROR"]);
    expect(retries.throttles()).toBe(0);
  });
});
