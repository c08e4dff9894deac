import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createAutoScalingGateway,
  isAccessDenied,
  isObjectNotFound,
  variantResourceId,
} from "../src/autoscaling-gateway.js";
import { AwsCallError } from "../src/shared/errors.js";
import { configInput, modelInput } from "./emulator/fixtures.js";
import { TEST_CREDENTIALS } from "./emulator/sdk-client.js";
import { type Emulator, startEmulator } from "./emulator/server.js";

const RESOURCE_ID = variantResourceId("gw", "AllTraffic");

describe("Application Auto Scaling gateway", () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({
      models: [modelInput("m")],
      endpointConfigs: [configInput("c", "m")],
      endpoints: [{ EndpointName: "gw", EndpointConfigName: "c" }],
    });
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => emulator.close());

  const gateway = (signal?: AbortSignal) =>
    createAutoScalingGateway({
      region: "us-east-1",
      ...(signal ? { signal } : {}),
      clientConfig: { endpoint: emulator.url, credentials: TEST_CREDENTIALS },
    });

  it("reaches the endpoint AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING names", async () => {
    // prepare
    vi.stubEnv("AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING", emulator.url);
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    const aas = createAutoScalingGateway({ region: "us-east-1" });
    // act
    await aas.registerScalableTarget({ resourceId: RESOURCE_ID, minCapacity: 1, maxCapacity: 3 });
    const targets = await aas.describeScalableTargets([RESOURCE_ID]);
    aas.destroy();
    // assess
    expect(targets).toMatchObject([{ ResourceId: RESOURCE_ID, MinCapacity: 1, MaxCapacity: 3 }]);
  });

  it("asks nothing for no variants, rather than listing every target of the account", async () => {
    // prepare
    const aas = gateway();
    // act
    const targets = await aas.describeScalableTargets([]);
    aas.destroy();
    // assess
    expect(targets).toEqual([]);
    expect(emulator.requests).toEqual([]);
  });

  it("answers false for deleting what is already gone", async () => {
    // prepare
    const aas = gateway();
    // act
    const deregistered = await aas.deregisterScalableTarget(RESOURCE_ID);
    const deleted = await aas.deleteScalingPolicy(RESOURCE_ID, "nope");
    aas.destroy();
    // assess
    expect([deregistered, deleted]).toEqual([false, false]);
  });

  it("wraps a failure with the operation and the variant", async () => {
    // prepare
    const aas = gateway();
    // act
    const error = await aas
      .registerScalableTarget({ resourceId: RESOURCE_ID, minCapacity: 3, maxCapacity: 1 })
      .catch((e: unknown) => e);
    aas.destroy();
    // assess
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      message: `RegisterScalableTarget '${RESOURCE_ID}' failed: Maximum capacity cannot be less than minimum capacity`,
    });
  });

  it("starts no change once cancelled, still reads, and has an uncancellable twin for repairs", async () => {
    // prepare
    const controller = new AbortController();
    const aas = gateway(controller.signal);
    controller.abort();
    // act
    const refused = await aas
      .registerScalableTarget({ resourceId: RESOURCE_ID, minCapacity: 1, maxCapacity: 2 })
      .catch((e: unknown) => e);
    const sentBeforeRepair = emulator.requests.map((r) => r.operation);
    await aas.uncancellable().registerScalableTarget({
      resourceId: RESOURCE_ID,
      minCapacity: 1,
      maxCapacity: 2,
    });
    aas.destroy();
    // assess
    expect(refused).toMatchObject({ name: "CancelledError" });
    expect(sentBeforeRepair).toEqual([]);
    expect(emulator.mutatingRequests().map((r) => r.operation)).toEqual(["RegisterScalableTarget"]);
  });

  it.each([
    ["AccessDeniedException", "User: x is not authorized to perform: y", true, false],
    ["AccessDenied", "Access denied", true, false],
    ["ValidationException", "User: x is not authorized to perform: y", true, false],
    ["ObjectNotFoundException", "No scalable target registered for …", false, true],
    ["ValidationException", "Maximum capacity cannot be less than minimum capacity", false, false],
  ])("classifies %s '%s' (denied %s, not found %s)", (name, message, denied, notFound) => {
    // prepare
    const cause = Object.assign(new Error(message), { name });
    const wrapped = new AwsCallError("DescribeScalableTargets", RESOURCE_ID, cause);
    // act / assess
    expect([isAccessDenied(wrapped), isObjectNotFound(wrapped)]).toEqual([denied, notFound]);
  });
});
