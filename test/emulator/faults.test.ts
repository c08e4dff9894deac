import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseFaults, seedForDraws } from "./faults.js";
import { configInput, createEndpointStack, manualClock, modelInput } from "./fixtures.js";
import { QuickRetries, sageMakerClient } from "./sdk-client.js";
import type { Emulator } from "./server.js";
import { startEmulator } from "./server.js";

describe("SageMaker emulator faults", () => {
  let emulator: Emulator;
  let once: SageMakerClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    once = sageMakerClient(emulator.url, { maxAttempts: 1 });
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({ models: [modelInput("m")] });
  });
  afterAll(async () => {
    once.destroy();
    await emulator.close();
  });

  function retryingClient(maxAttempts = 6) {
    const retries = new QuickRetries(maxAttempts);
    return { retries, client: sageMakerClient(emulator.url, { retryStrategy: retries }) };
  }

  async function describeModelTimes(client: SageMakerClient, times: number) {
    for (let i = 0; i < times; i++) await client.send(new DescribeModelCommand({ ModelName: "m" }));
  }

  it("answers throttling as ThrottlingException, which the SDK reads", async () => {
    // prepare
    emulator.setFaults({ throttleRate: 1 });
    // act
    const error = await once.send(new DescribeModelCommand({ ModelName: "m" })).catch((e) => e);
    // assess
    expect(error).toMatchObject({
      name: "ThrottlingException",
      message: "Rate exceeded",
      $metadata: { httpStatusCode: 400 },
    });
    expect(emulator.requests.at(-1)).toMatchObject({ fault: "throttle", status: 400 });
  });

  it.each([
    { fault: "throttle", faults: { throttleRate: 0.3 }, retriedOn: "THROTTLING" },
    { fault: "server-error", faults: { serverErrorRate: 0.3 }, retriedOn: "TRANSIENT" },
    { fault: "drop", faults: { dropRate: 0.3 }, retriedOn: "TRANSIENT" },
  ])("lets the SDK's retries get through $fault faults", async ({ fault, faults, retriedOn }) => {
    // prepare
    emulator.setFaults({ ...faults, seed: 42 });
    const { client, retries } = retryingClient();
    // act
    await describeModelTimes(client, 20);
    // assess
    const faulted = emulator.requests.filter((r) => r.fault === fault);
    expect(faulted.length).toBeGreaterThan(0);
    expect(retries.retriedOn.length).toBe(faulted.length);
    expect(new Set(retries.retriedOn)).toEqual(new Set([retriedOn]));
    client.destroy();
  });

  it("lets the SDK's default retry strategy recover from a 500", async () => {
    // prepare
    const client = sageMakerClient(emulator.url);
    emulator.failNext("DescribeModel", { type: "InternalFailure", message: "boom", status: 500 });
    // act
    const model = await client.send(new DescribeModelCommand({ ModelName: "m" }));
    // assess
    expect(model.$metadata.attempts).toBe(2);
    expect(emulator.requests.map((r) => r.status)).toEqual([500, 200]);
    client.destroy();
  });

  it("replays the same faults for the same seed", async () => {
    // prepare
    const pattern = async () => {
      emulator.reset();
      emulator.seed({ models: [modelInput("m")] });
      emulator.setFaults({ throttleRate: 0.2, serverErrorRate: 0.2, seed: 99 });
      const { client } = retryingClient(20);
      await describeModelTimes(client, 10);
      client.destroy();
      return emulator.requests.map((r) => r.fault ?? "-").join(",");
    };
    // act
    const first = await pattern();
    const second = await pattern();
    // assess
    expect(first).toBe(second);
    expect(first).toMatch(/throttle|server-error/);
  });

  it("limits faults to the listed operations", async () => {
    // prepare
    emulator.setFaults({ throttleRate: 1, operations: ["CreateModel"] });
    // act
    const described = await once.send(new DescribeModelCommand({ ModelName: "m" }));
    const created = once.send(new CreateModelCommand(modelInput("m2")));
    // assess
    expect(described.ModelName).toBe("m");
    await expect(created).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(emulator.state().models.map((m) => m.name)).toEqual(["m"]);
  });

  it("delays answers by delayMs", async () => {
    // prepare
    emulator.setFaults({ delayMs: 60 });
    const started = performance.now();
    // act
    await once.send(new DescribeModelCommand({ ModelName: "m" }));
    // assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(emulator.requests.at(-1)).toMatchObject({ fault: "delay", status: 200 });
  });

  it("answers failNext errors the given number of times, creating nothing", async () => {
    // prepare
    const message = "The account-level service limit 'Number of endpoint configs' is 100.";
    emulator.failNext("CreateEndpointConfig", { type: "ResourceLimitExceeded", message }, 2);
    const create = () => once.send(new CreateEndpointConfigCommand(configInput("c", "m")));
    // act
    const first = await create().catch((e) => e);
    const second = await create().catch((e) => e);
    const third = await create();
    // assess
    expect(first).toMatchObject({ name: "ResourceLimitExceeded", message });
    expect(second).toMatchObject({ name: "ResourceLimitExceeded", message });
    expect(third.EndpointConfigArn).toContain("endpoint-config/c");
    expect(emulator.requests.map((r) => r.fault)).toEqual(["injected", "injected", undefined]);
    expect(emulator.mutatingRequests()).toHaveLength(1);
  });

  it("serves 50 concurrent clients each deploying its own endpoint", async () => {
    // prepare
    const clients = Array.from({ length: 50 }, () => sageMakerClient(emulator.url));
    // act
    await Promise.all(clients.map((client, i) => createEndpointStack(client, `ep${i}`)));
    // assess
    expect(emulator.state().endpoints).toHaveLength(50);
    expect(emulator.requests.every((r) => r.status === 200)).toBe(true);
    for (const client of clients) client.destroy();
  });
});

describe("SageMaker emulator credentials that expire", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let client: SageMakerClient;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    client = sageMakerClient(emulator.url);
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({ models: [modelInput("m")] });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  const describeModel = () =>
    client.send(new DescribeModelCommand({ ModelName: "m" })).then(
      () => "ok",
      (error) => error,
    );

  const EXPIRED = {
    name: "ExpiredTokenException",
    message: "The security token included in the request is expired",
    $metadata: { httpStatusCode: 400, attempts: 1 },
  };

  it("answers every call from the Nth on with ExpiredTokenException, which the SDK does not retry", async () => {
    // prepare
    emulator.setFaults({ credentialsExpire: { afterRequests: 2 } });
    // act
    const answers = [await describeModel(), await describeModel(), await describeModel()];
    const create = await client.send(new CreateModelCommand(modelInput("m2"))).catch((e) => e);
    // assess
    expect(answers.slice(0, 2)).toEqual(["ok", "ok"]);
    expect(answers[2]).toMatchObject(EXPIRED);
    expect(create).toMatchObject(EXPIRED);
    expect(emulator.state().models.map((m) => m.name)).toEqual(["m"]);
    expect(emulator.requests.map((r) => r.fault)).toEqual([
      undefined,
      undefined,
      "expired-token",
      "expired-token",
    ]);
    expect(emulator.requests.at(-1)).toMatchObject({
      status: 400,
      errorType: "ExpiredTokenException",
    });
  });

  it("counts only the listed operations towards the expiry", async () => {
    // prepare
    emulator.setFaults({ credentialsExpire: { afterRequests: 1, counting: ["CreateModel"] } });
    // act
    const before = [await describeModel(), await describeModel()];
    await client.send(new CreateModelCommand(modelInput("m2")));
    const after = await describeModel();
    // assess
    expect(before).toEqual(["ok", "ok"]);
    expect(after).toMatchObject(EXPIRED);
  });

  it("expires at a time on the emulator's clock", async () => {
    // prepare
    emulator.setFaults({ credentialsExpire: { at: clock.now() + 60_000 } });
    // act
    const early = await describeModel();
    clock.advance(60_000);
    const late = await describeModel();
    // assess
    expect(early).toBe("ok");
    expect(late).toMatchObject(EXPIRED);
  });

  it("expires at once on expireCredentials(), until reset", async () => {
    // prepare
    const before = await describeModel();
    // act
    emulator.expireCredentials();
    const expired = await describeModel();
    emulator.reset();
    emulator.seed({ models: [modelInput("m")] });
    const renewed = await describeModel();
    // assess
    expect(before).toBe("ok");
    expect(expired).toMatchObject(EXPIRED);
    expect(renewed).toBe("ok");
  });
});

describe("SageMaker emulator holds and slow answers", () => {
  let emulator: Emulator;
  let client: SageMakerClient;
  const DESCRIBES = ["DescribeEndpoint", "DescribeModel", "DescribeEndpointConfig"];

  beforeAll(async () => {
    emulator = await startEmulator();
    client = sageMakerClient(emulator.url, { maxAttempts: 1 });
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({ models: [modelInput("m")], endpointConfigs: [configInput("c", "m")] });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  const inspect = () =>
    Promise.all([
      client.send(new DescribeEndpointCommand({ EndpointName: "e" })).catch((e) => e.name),
      client.send(new DescribeModelCommand({ ModelName: "m" })).then((m) => m.ModelName),
      client
        .send(new DescribeEndpointConfigCommand({ EndpointConfigName: "c" }))
        .then((c) => c.EndpointConfigName),
    ]);

  it("holds matching calls, recorded but unanswered, until released", async () => {
    // prepare
    const hold = emulator.hold({ operations: DESCRIBES, count: 3 });
    // act
    const answers = inspect();
    await hold.arrived();
    const whileHeld = emulator.requests.map((r) => `${r.operation}:${r.status}`).sort();
    const heldCount = hold.held;
    hold.release();
    // assess
    expect(heldCount).toBe(3);
    expect(whileHeld).toEqual([
      "DescribeEndpoint:0",
      "DescribeEndpointConfig:0",
      "DescribeModel:0",
    ]);
    expect(await answers).toEqual(["ValidationException", "m", "c"]);
    expect(emulator.requests.map((r) => r.fault)).toEqual(["held", "held", "held"]);
  });

  it("holds no more than count calls, and nothing else", async () => {
    // prepare
    const hold = emulator.hold({ operations: ["DescribeModel"], count: 1 });
    const first = client.send(new DescribeModelCommand({ ModelName: "m" }));
    await hold.arrived();
    // act
    const second = await client.send(new DescribeModelCommand({ ModelName: "m" }));
    const other = await client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "c" }));
    hold.release();
    // assess
    expect(second.ModelName).toBe("m");
    expect(other.EndpointConfigName).toBe("c");
    expect((await first).ModelName).toBe("m");
  });

  it("answers a held call whose client gave up without harm, and serves on", async () => {
    // prepare
    const hold = emulator.hold({ operations: ["DescribeModel"], count: 1 });
    const controller = new AbortController();
    const abandoned = client
      .send(new DescribeModelCommand({ ModelName: "m" }), { abortSignal: controller.signal })
      .catch((e) => e.name);
    await hold.arrived();
    // act
    controller.abort();
    const gaveUp = await abandoned;
    hold.release();
    const next = await client.send(new DescribeModelCommand({ ModelName: "m" }));
    // assess
    expect(gaveUp).toBe("AbortError");
    expect(next.ModelName).toBe("m");
  });

  it("releases every hold on reset", async () => {
    // prepare
    const hold = emulator.hold({ operations: ["DescribeModel"] });
    const held = client.send(new DescribeModelCommand({ ModelName: "m" })).then(
      (m) => m.ModelName,
      (e) => e.name,
    );
    await hold.arrived();
    // act
    emulator.reset();
    // assess
    expect(await held).toBe("ValidationException");
    expect(hold.held).toBe(0);
  });

  it("delays only the Describe answers when faults list them", async () => {
    // prepare
    emulator.setFaults({ delayMs: 20, operations: DESCRIBES });
    // act
    await inspect();
    await client.send(new CreateModelCommand(modelInput("m2")));
    // assess
    expect(emulator.requests.map((r) => `${r.operation}:${r.fault ?? "-"}`).sort()).toEqual([
      "CreateModel:-",
      "DescribeEndpoint:delay",
      "DescribeEndpointConfig:delay",
      "DescribeModel:delay",
    ]);
  });
});

describe("SageMaker emulator drop-after-handler faults", () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.close());

  it("runs the handler, then cuts the answer, so the SDK's retry meets 'already existing'", async () => {
    // prepare: the first CreateModel is cut after the handler ran, its retry goes through
    const seed = seedForDraws(0.5, [true, false]);
    emulator.setFaults({ dropAfterHandlerRate: 0.5, operations: ["CreateModel"], seed });
    const retries = new QuickRetries(3);
    const client = sageMakerClient(emulator.url, { retryStrategy: retries });
    // act
    const error = await client.send(new CreateModelCommand(modelInput("m"))).catch((e) => e);
    // assess
    const arn = "arn:aws:sagemaker:us-east-1:123456789012:model/m";
    expect(error).toMatchObject({
      name: "ValidationException",
      message: `Cannot create already existing model "${arn}".`,
    });
    expect(retries.retriedOn).toEqual(["TRANSIENT"]);
    expect(emulator.state().models.map((m) => m.name)).toEqual(["m"]);
    expect(emulator.requests).toEqual([
      expect.objectContaining({ operation: "CreateModel", status: 200, fault: "drop-after" }),
      expect.objectContaining({
        operation: "CreateModel",
        status: 400,
        errorType: "ValidationException",
        errorMessage: `Cannot create already existing model "${arn}".`,
      }),
    ]);
    expect(emulator.requests[1]?.fault).toBeUndefined();
    expect(emulator.mutatingRequests()).toHaveLength(2);
    client.destroy();
  });

  it("records the SDK's attempt number of each request", async () => {
    // prepare
    const seed = seedForDraws(0.5, [true, false]);
    emulator.setFaults({ dropAfterHandlerRate: 0.5, seed });
    emulator.seed({ models: [modelInput("m")] });
    const client = sageMakerClient(emulator.url, { retryStrategy: new QuickRetries(3) });
    // act
    await client.send(new DescribeModelCommand({ ModelName: "m" }));
    // assess
    expect(emulator.requests.map((r) => [r.fault, r.attempt])).toEqual([
      ["drop-after", 1],
      [undefined, 2],
    ]);
    client.destroy();
  });

  it("cuts error answers too, which the SDK retries as transient", async () => {
    // prepare: every attempt is cut; the second meets the model the first created
    emulator.setFaults({ dropAfterHandlerRate: 1 });
    const retries = new QuickRetries(2);
    const client = sageMakerClient(emulator.url, { retryStrategy: retries });
    // act
    const error = await client.send(new CreateModelCommand(modelInput("m"))).catch((e) => e);
    // assess
    expect(error.name).not.toBe("ValidationException");
    expect(retries.retriedOn).toEqual(["TRANSIENT"]);
    expect(emulator.requests.map((r) => [r.status, r.errorType, r.fault])).toEqual([
      [200, undefined, "drop-after"],
      [400, "ValidationException", "drop-after"],
    ]);
    expect(emulator.state().models).toHaveLength(1);
    client.destroy();
  });

  it("draws drop-after after the other faults, so existing seeds replay unchanged", async () => {
    // prepare
    const pattern = async (faults: object) => {
      emulator.reset();
      emulator.seed({ models: [modelInput("m")] });
      emulator.setFaults({ throttleRate: 0.2, serverErrorRate: 0.2, seed: 99, ...faults });
      const client = sageMakerClient(emulator.url, { maxAttempts: 1 });
      for (let i = 0; i < 20; i++) {
        await client.send(new DescribeModelCommand({ ModelName: "m" })).catch(() => undefined);
      }
      client.destroy();
      return emulator.requests.map((r) => r.fault ?? "-");
    };
    // act
    const without = await pattern({});
    const withDropAfter = await pattern({ dropAfterHandlerRate: 0.3 });
    // assess
    expect(withDropAfter.map((f) => (f === "drop-after" ? "-" : f))).toEqual(without);
    expect(withDropAfter).toContain("drop-after");
  });

  it.each([
    { faults: { dropAfterHandlerRate: 0.1 }, valid: true },
    { faults: { dropAfterHandlerRate: 1.5 }, valid: false },
    { faults: { dropAfterHandlerRate: "0.1" }, valid: false },
  ])("parseFaults checks dropAfterHandlerRate: $faults", ({ faults, valid }) => {
    // act
    const parse = () => parseFaults(faults);
    // assess
    if (valid) expect(parse()).toEqual(faults);
    else expect(parse).toThrow("faults.dropAfterHandlerRate must be a number from 0 to 1");
  });
});

describe("SageMaker emulator rate limit", () => {
  it("throttles requests beyond rateLimit per second", async () => {
    // prepare: time stands still, so only the first second's tokens exist
    const clock = manualClock();
    const emulator = await startEmulator({ rateLimit: 5, now: clock.now });
    const client = sageMakerClient(emulator.url, { maxAttempts: 1 });
    const describe = () => client.send(new DescribeEndpointCommand({ EndpointName: "none" }));
    // act
    const results = await Promise.allSettled(Array.from({ length: 20 }, describe));
    // assess
    const names = results.map((r) => (r.status === "rejected" ? r.reason.name : "ok"));
    expect(names.filter((n) => n === "ThrottlingException")).toHaveLength(15);
    expect(names.filter((n) => n === "ValidationException")).toHaveLength(5);
    expect(emulator.requests.filter((r) => r.fault === "rate-limit")).toHaveLength(15);
    client.destroy();
    await emulator.close();
  });

  it("lets requests through again once the bucket refills", async () => {
    // prepare
    const clock = manualClock();
    const emulator = await startEmulator({ rateLimit: 20, now: clock.now });
    const client = sageMakerClient(emulator.url, { maxAttempts: 1 });
    const describe = () =>
      client.send(new DescribeEndpointCommand({ EndpointName: "none" })).catch((e) => e.name);
    await Promise.all(Array.from({ length: 25 }, describe));
    const drained = await describe();
    // act
    clock.advance(100);
    const after = await describe();
    // assess
    expect(drained).toBe("ThrottlingException");
    expect(after).toBe("ValidationException");
    client.destroy();
    await emulator.close();
  });
});
