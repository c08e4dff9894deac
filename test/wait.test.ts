import {
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  SageMakerClient,
  SageMakerServiceException,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-vitest/extend";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Clock } from "../src/shared/clock.js";
import { createSageMakerGateway, type Endpoint } from "../src/shared/sagemaker-gateway.js";
import { judgeSettled } from "../src/shared/status.js";
import { waitForEndpoint } from "../src/shared/wait.js";
import { endpointAnswer } from "./support/endpoint-answer.js";
import { fakeClock } from "./support/fake-clock.js";

const ENDPOINT = "churn-model";
const CONFIG = "churn-model-f5e4d3c2b1a0";
const INTERVAL = 15_000;
const START = 1_700_000_000_000;

const sagemaker = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: "us-east-1" });

beforeEach(() => {
  sagemaker.reset();
});

afterAll(() => {
  sagemaker.restore();
  client.destroy();
});

function answer(
  EndpointStatus: string,
  extra: Partial<DescribeEndpointCommandOutput> = {},
): Partial<DescribeEndpointCommandOutput> {
  return endpointAnswer(ENDPOINT, CONFIG, EndpointStatus, extra);
}

function awsError(name: string, message: string, httpStatusCode = 400): SageMakerServiceException {
  return new SageMakerServiceException({
    name,
    message,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
  });
}

function waitOptions(clock: Clock, timeoutMs = 3_600_000) {
  return {
    gateway: createSageMakerGateway({ client }),
    endpointName: ENDPOINT,
    expectedConfigName: CONFIG,
    deadline: clock.now() + timeoutMs,
    nextDelay: () => INTERVAL,
    clock,
  };
}

describe("waitForEndpoint", () => {
  it("succeeds on the poll after the endpoint turns InService (Creating ×3, then InService)", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Creating"))
      .resolvesOnce(answer("Creating"))
      .resolvesOnce(answer("Creating"))
      .resolves(answer("InService"));

    // act
    const outcome = await waitForEndpoint(waitOptions(clock));

    // assess
    expect(outcome).toMatchObject({
      kind: "success",
      polls: 4,
      endpoint: { EndpointStatus: "InService" },
    });
    expect(sagemaker).toHaveReceivedCommandTimes(DescribeEndpointCommand, 4);
    expect(sagemaker).toHaveReceivedCommandWith(DescribeEndpointCommand, {
      EndpointName: ENDPOINT,
    });
    expect(clock.elapsed()).toBe(3 * INTERVAL);
  });

  it.each([1_000, 14_999, 40_000, 600_001])(
    "notices within one poll interval an endpoint that turns InService at %i ms",
    async (turnsAt) => {
      // prepare
      const clock = fakeClock(START);
      sagemaker
        .on(DescribeEndpointCommand)
        .callsFake(() => answer(clock.elapsed() >= turnsAt ? "InService" : "Creating"));

      // act
      const outcome = await waitForEndpoint(waitOptions(clock));

      // assess
      expect(outcome.kind).toBe("success");
      expect(clock.elapsed()).toBeGreaterThanOrEqual(turnsAt);
      expect(clock.elapsed() - turnsAt).toBeLessThanOrEqual(INTERVAL);
    },
  );

  it("fails with SageMaker's FailureReason when the endpoint ends Failed", async () => {
    // prepare
    const clock = fakeClock(START);
    const reason =
      "The primary container for production variant AllTraffic did not pass the ping health check.";
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Creating"))
      .resolves(answer("Failed", { FailureReason: reason }));

    // act
    const outcome = await waitForEndpoint(waitOptions(clock));

    // assess
    expect(outcome).toMatchObject({
      kind: "failure",
      reason,
      endpoint: { EndpointStatus: "Failed" },
    });
  });

  it("fails saying the update rolled back when the endpoint is InService on another config", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Updating", { EndpointConfigName: "churn-model-old000000000" }))
      .resolvesOnce(answer("RollingBack", { EndpointConfigName: "churn-model-old000000000" }))
      .resolves(
        answer("InService", {
          EndpointConfigName: "churn-model-old000000000",
          FailureReason: "Alarm churn-5xx fired during the canary step.",
        }),
      );

    // act
    const outcome = await waitForEndpoint(waitOptions(clock));

    // assess
    expect(outcome.kind).toBe("failure");
    const reason = outcome.kind === "failure" ? outcome.reason : "";
    expect(reason).toContain("rolled back");
    expect(reason).toContain("Alarm churn-5xx fired during the canary step.");
  });

  it("takes any settled status as the end when given judgeSettled", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Updating", { EndpointConfigName: "someone-elses-config" }))
      .resolves(answer("InService", { EndpointConfigName: "someone-elses-config" }));

    // act
    const outcome = await waitForEndpoint({ ...waitOptions(clock), judge: judgeSettled });

    // assess
    expect(outcome).toMatchObject({ kind: "success", polls: 2 });
  });

  it.each([
    { timeoutMs: 60_000, intervalMs: 15_000 },
    { timeoutMs: 100_000, intervalMs: 15_000 },
    { timeoutMs: 3_600_000, intervalMs: 15_000 },
    { timeoutMs: 10_000, intervalMs: 60_000 },
    { timeoutMs: 1_000, intervalMs: 1_000 },
  ])(
    "times out at a $timeoutMs ms deadline polling every $intervalMs ms, within the DescribeEndpoint budget",
    async ({ timeoutMs, intervalMs }) => {
      // prepare
      const clock = fakeClock(START);
      sagemaker.on(DescribeEndpointCommand).resolves(answer("Creating"));

      // act
      const outcome = await waitForEndpoint({
        ...waitOptions(clock, timeoutMs),
        nextDelay: () => intervalMs,
      });

      // assess
      expect(outcome).toMatchObject({ kind: "timeout", endpoint: { EndpointStatus: "Creating" } });
      expect(sagemaker.commandCalls(DescribeEndpointCommand).length).toBeLessThanOrEqual(
        timeoutMs / intervalMs + 3,
      );
      expect(clock.elapsed()).toBe(timeoutMs);
    },
  );

  it("retries a throttled poll instead of failing, and reports it", async () => {
    // prepare
    const clock = fakeClock(START);
    const throttled = awsError("ThrottlingException", "Rate exceeded");
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Creating"))
      .rejectsOnce(throttled)
      .rejectsOnce(awsError("InternalFailure", "We encountered an internal error.", 500))
      .resolves(answer("InService"));
    const onPollError = vi.fn();

    // act
    const outcome = await waitForEndpoint({ ...waitOptions(clock), onPollError });

    // assess
    expect(outcome).toMatchObject({ kind: "success", polls: 4 });
    expect(onPollError).toHaveBeenCalledWith(expect.objectContaining({ cause: throttled }));
    expect(onPollError).toHaveBeenCalledWith(
      expect.objectContaining({ cause: expect.objectContaining({ name: "InternalFailure" }) }),
    );
  });

  it("retries when the very first poll is throttled", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolves(answer("InService"));

    // act
    const outcome = await waitForEndpoint(waitOptions(clock));

    // assess
    expect(outcome).toMatchObject({ kind: "success", polls: 2 });
  });

  it("keeps retrying failed polls until the deadline, then times out", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker.on(DescribeEndpointCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));

    // act
    const outcome = await waitForEndpoint(waitOptions(clock, 120_000));

    // assess
    expect(outcome.kind).toBe("timeout");
    expect(sagemaker.commandCalls(DescribeEndpointCommand).length).toBeLessThanOrEqual(
      120_000 / INTERVAL + 3,
    );
  });

  it("fails when SageMaker says it could not find the endpoint", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Creating"))
      .rejects(awsError("ValidationException", `Could not find endpoint "${ENDPOINT}".`));
    const onPollError = vi.fn();

    // act
    const outcome = await waitForEndpoint({ ...waitOptions(clock), onPollError });

    // assess
    expect(outcome.kind).toBe("failure");
    expect(outcome.kind === "failure" && outcome.reason).toContain(ENDPOINT);
    expect(sagemaker).toHaveReceivedCommandTimes(DescribeEndpointCommand, 2);
    expect(onPollError).not.toHaveBeenCalled();
  });

  it("is cancelled without a call when the signal has already fired", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker.on(DescribeEndpointCommand).resolves(answer("Creating"));

    // act
    const outcome = await waitForEndpoint({ ...waitOptions(clock), signal: AbortSignal.abort() });

    // assess
    expect(outcome.kind).toBe("cancelled");
    expect(sagemaker).not.toHaveReceivedCommand(DescribeEndpointCommand);
  });

  it("is cancelled promptly when the signal fires between polls", { timeout: 5_000 }, async () => {
    // prepare: a clock whose sleep only ends early, on abort, so a sleep that ignored the signal would hang
    const controller = new AbortController();
    let asleep: () => void = () => {};
    const sleeping = new Promise<void>((resolve) => {
      asleep = resolve;
    });
    const clock: Clock = {
      now: () => START,
      sleep: (_ms, signal) =>
        new Promise((resolve) => {
          signal?.addEventListener("abort", () => resolve(), { once: true });
          asleep();
        }),
    };
    sagemaker.on(DescribeEndpointCommand).resolves(answer("Creating"));
    const waiting = waitForEndpoint({ ...waitOptions(clock), signal: controller.signal });
    await sleeping;

    // act
    controller.abort();
    const outcome = await waiting;

    // assess
    expect(outcome).toMatchObject({
      kind: "cancelled",
      polls: 1,
      endpoint: { EndpointStatus: "Creating" },
    });
    expect(sagemaker).toHaveReceivedCommandTimes(DescribeEndpointCommand, 1);
  });

  it("is cancelled, not failed, when the signal fires during a poll that then errors", async () => {
    // prepare
    const clock = fakeClock(START);
    const controller = new AbortController();
    sagemaker.on(DescribeEndpointCommand).callsFake(() => {
      controller.abort();
      throw Object.assign(new Error("Request aborted"), { name: "AbortError" });
    });
    const onPollError = vi.fn();

    // act
    const outcome = await waitForEndpoint({
      ...waitOptions(clock),
      signal: controller.signal,
      onPollError,
    });

    // assess
    expect(outcome.kind).toBe("cancelled");
    expect(onPollError).not.toHaveBeenCalled();
  });

  it("reports each status change once, not each poll", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Creating"))
      .resolvesOnce(answer("Creating"))
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolvesOnce(answer("Creating"))
      .resolvesOnce(answer("Updating"))
      .resolvesOnce(answer("Updating"))
      .resolves(answer("InService"));
    const seen: { status: string | undefined; at: number }[] = [];
    const onStatusChange = (endpoint: Endpoint) =>
      seen.push({ status: endpoint.EndpointStatus, at: clock.elapsed() });

    // act
    const outcome = await waitForEndpoint({ ...waitOptions(clock), onStatusChange });

    // assess
    expect(outcome.kind).toBe("success");
    expect(seen).toEqual([
      { status: "Creating", at: 0 },
      { status: "Updating", at: 4 * INTERVAL },
      { status: "InService", at: 6 * INTERVAL },
    ]);
  });

  it("hands the verdict with each status change", async () => {
    // prepare
    const clock = fakeClock(START);
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(answer("Creating"))
      .resolves(answer("Failed", { FailureReason: "Image not found." }));
    const onStatusChange = vi.fn();

    // act
    await waitForEndpoint({ ...waitOptions(clock), onStatusChange });

    // assess
    expect(onStatusChange.mock.calls.map(([, verdict]) => verdict)).toEqual([
      { kind: "waiting", status: "Creating" },
      { kind: "failure", status: "Failed", reason: "Image not found." },
    ]);
  });
});
