import type { ProductionVariant } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  applyAutoscaling,
  carryCapacity,
  liftForUpdate,
  readScaling,
  removedScaling,
  restoreLifted,
  type ScalingState,
  type SpecAutoscaling,
} from "../src/autoscaling.js";
import { type AutoScalingSession, createAutoScalingGateway } from "../src/autoscaling-gateway.js";
import { createSageMakerGateway, type SageMakerGateway } from "../src/shared/sagemaker-gateway.js";
import { configInput, manualClock, modelInput } from "./emulator/fixtures.js";
import { sageMakerClient, TEST_CREDENTIALS } from "./emulator/sdk-client.js";
import { type Emulator, startEmulator } from "./emulator/server.js";
import { type AwsCall, recordAwsCalls, sageMakerActions } from "./support/aws-calls.js";
import { recordingLog } from "./support/logs.js";

const ENDPOINT = "fleet";
const VARIANT = "AllTraffic";
const RESOURCE_ID = `endpoint/${ENDPOINT}/variant/${VARIANT}`;
const METRIC = "SageMakerVariantInvocationsPerInstance";

/** Config `<name>` serving model `m` with one variant on `instanceType`. */
function config(name: string, instanceType = "ml.m5.large", variantName = VARIANT) {
  const input = configInput(name, "m");
  const variant = { ...input.ProductionVariants?.[0], VariantName: variantName };
  return {
    ...input,
    ProductionVariants: [{ ...variant, InstanceType: instanceType }] as ProductionVariant[],
  };
}

function invocationsPolicy(target = 70) {
  return {
    ResourceId: RESOURCE_ID,
    PolicyName: "invocations",
    PolicyType: "TargetTrackingScaling" as const,
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: target,
      PredefinedMetricSpecification: { PredefinedMetricType: METRIC },
    },
  } as const;
}

describe("autoscaling around a deploy, against the emulator", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let sagemaker: SageMakerGateway;
  let aas: AutoScalingSession;
  let destroyClient: () => void;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    const client = sageMakerClient(emulator.url);
    destroyClient = () => client.destroy();
    sagemaker = createSageMakerGateway({ client });
    aas = gatewayFor(emulator.url);
  });
  // The Application Auto Scaling calls the lift, restore and apply code made, for the IAM check.
  const scalingCalls: AwsCall[] = [];
  const keepScalingCalls = () =>
    scalingCalls.push(
      ...sageMakerActions(emulator.requests).filter((c) =>
        c.action.startsWith("application-autoscaling:"),
      ),
    );
  beforeEach(() => {
    keepScalingCalls();
    emulator.reset();
    emulator.seed({
      models: [modelInput("m")],
      endpointConfigs: [
        config("c1"),
        config("c2-bigger", "ml.c5.xlarge"),
        config("c3-renamed", "ml.m5.large", "Blue"),
      ],
      // Deployed by the action, so its tag-scoped policy lets it change the endpoint's capacity.
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: "c1",
          Tags: [
            { Key: "sagemaker-deploy:deploy-id", Value: "0b7e3f0a-5d6c-4f1e-9a2b-3c4d5e6f7a8b" },
          ],
        },
      ],
    });
  });
  afterAll(async () => {
    keepScalingCalls();
    recordAwsCalls("autoscaling", "action", scalingCalls);
    aas.destroy();
    destroyClient();
    await emulator.close();
  });

  function gatewayFor(url: string, signal?: AbortSignal) {
    return createAutoScalingGateway({
      region: "us-east-1",
      ...(signal ? { signal } : {}),
      clientConfig: { endpoint: url, credentials: TEST_CREDENTIALS },
    });
  }

  /** AllTraffic autoscaled 1–4 with one target-tracking policy; autoscaling scaled it out to 4. */
  async function autoscaleTo4() {
    await aas.registerScalableTarget({ resourceId: RESOURCE_ID, minCapacity: 1, maxCapacity: 4 });
    await aas.putScalingPolicy(invocationsPolicy());
    emulator.setInstanceCount(ENDPOINT, VARIANT, 4);
  }

  async function read(variantNames = [VARIANT], log = recordingLog()) {
    return readScaling(aas, { endpointName: ENDPOINT, variantNames, log });
  }

  async function updateTo(configName: string) {
    await sagemaker.updateEndpoint({ EndpointName: ENDPOINT, EndpointConfigName: configName });
  }

  describe("readScaling", () => {
    it("reads the variants' targets and policies; a variant without a target is absent", async () => {
      // prepare
      await autoscaleTo4();
      // act
      const scaling = await read([VARIANT, "Blue"]);
      // assess
      expect(scaling).not.toBe("unknown");
      const variant = scaling === "unknown" ? undefined : scaling.get(VARIANT);
      expect(variant).toMatchObject({ resourceId: RESOURCE_ID, minCapacity: 1, maxCapacity: 4 });
      expect(variant?.policies.map((p) => p.PolicyName)).toEqual(["invocations"]);
      expect(scaling === "unknown" ? [] : [...scaling.keys()]).toEqual([VARIANT]);
    });

    it("answers unknown with one warning when the caller may not read autoscaling", async () => {
      // prepare
      emulator.failNext("DescribeScalableTargets", {
        type: "AccessDeniedException",
        message:
          "User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: application-autoscaling:DescribeScalableTargets",
      });
      const log = recordingLog();
      // act
      const scaling = await read([VARIANT], log);
      // assess
      expect(scaling).toBe("unknown");
      const warnings = log.lines.filter((l) => l.level === "warning").map((l) => l.text);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^Cannot read the autoscaling of endpoint fleet: .*not authorized.*Deploying without it/,
      );
    });

    it("throws any other failure, saying which call failed", async () => {
      // prepare
      emulator.failNext("DescribeScalingPolicies", {
        type: "ValidationException",
        message: "broken",
      });
      await autoscaleTo4();
      // act
      const error = await read().catch((e: unknown) => e);
      // assess
      expect(error).toMatchObject({
        message: `DescribeScalingPolicies '${RESOURCE_ID}' failed: broken`,
      });
    });
  });

  describe("carryCapacity", () => {
    it("keeps an autoscaled fleet of 4 through an update whose config says 1", async () => {
      // prepare
      await autoscaleTo4();
      const scaling = await read();
      const running = await sagemaker.describeEndpoint(ENDPOINT);
      const wanted = config("c-next");
      // act
      const carried = carryCapacity({ variants: wanted.ProductionVariants, running, scaling });
      await sagemaker.createEndpointConfig({
        ...wanted,
        ProductionVariants: [...carried.variants],
      });
      await updateTo("c-next");
      // assess
      expect(carried.notes).toEqual([
        "AllTraffic: keeps 4 instances (autoscaled; initial-instance-count 1 ignored)",
      ]);
      expect(carried.carried).toEqual(new Map([[VARIANT, 4]]));
      const after = await sagemaker.describeEndpoint(ENDPOINT);
      expect(after?.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(4);
    });

    it.each([
      [
        "raises to the spec's new min",
        { min: 6, max: 8 },
        6,
        "AllTraffic: starts with 6 instances (autoscaled: 4 running, raised to min 6; initial-instance-count 1 ignored)",
      ],
      [
        "lowers to the spec's new max",
        { min: 1, max: 2 },
        2,
        "AllTraffic: starts with 2 instances (autoscaled: 4 running, lowered to max 2; initial-instance-count 1 ignored)",
      ],
    ])("%s", async (_, range, count, note) => {
      // prepare
      await autoscaleTo4();
      const wanted: SpecAutoscaling = {
        [VARIANT]: { ...range, policies: [{ metric: METRIC, target: 70 }] },
      };
      // act
      const carried = carryCapacity({
        variants: config("c-next").ProductionVariants,
        running: await sagemaker.describeEndpoint(ENDPOINT),
        scaling: await read(),
        wanted,
      });
      // assess
      expect([carried.variants[0]?.InitialInstanceCount, carried.notes]).toEqual([count, [note]]);
    });

    it("starts a variant scaled in to 0 with 1 instance, the fewest SageMaker allows", async () => {
      // prepare
      await aas.registerScalableTarget({ resourceId: RESOURCE_ID, minCapacity: 0, maxCapacity: 4 });
      emulator.setInstanceCount(ENDPOINT, VARIANT, 0);
      // act
      const carried = carryCapacity({
        variants: config("c-next").ProductionVariants,
        running: await sagemaker.describeEndpoint(ENDPOINT),
        scaling: await read(),
      });
      // assess
      expect(carried.notes).toEqual([
        "AllTraffic: starts with 1 instance (autoscaled: 0 running, raised to 1, the fewest a production variant starts with)",
      ]);
    });

    it("leaves a variant alone that is not autoscaled, or when autoscaling is unknown", async () => {
      // prepare
      emulator.setInstanceCount(ENDPOINT, VARIANT, 4);
      const running = await sagemaker.describeEndpoint(ENDPOINT);
      const variants = config("c-next").ProductionVariants;
      // act
      const plain = carryCapacity({ variants, running, scaling: await read() });
      const unknown = carryCapacity({ variants, running, scaling: "unknown" });
      // assess
      expect([plain.variants, unknown.variants]).toEqual([variants, variants]);
      expect([plain.notes, unknown.notes]).toEqual([[], []]);
    });
  });

  describe("liftForUpdate and restoreLifted", () => {
    async function liftFor(configName: string, log = recordingLog()) {
      const runningConfig = await sagemaker.describeEndpointConfig("c1");
      const newConfig = await sagemaker.describeEndpointConfig(configName);
      if (!runningConfig || !newConfig) throw new Error("seeded configs are missing");
      return liftForUpdate(aas, {
        endpointName: ENDPOINT,
        runningConfig,
        newConfig,
        scaling: await read([VARIANT, "Blue"]),
        log,
      });
    }

    it("takes autoscaling off for an instance-type change the emulator otherwise refuses, and puts it back after", async () => {
      // prepare
      await autoscaleTo4();
      await aas.putScheduledAction({
        ResourceId: RESOURCE_ID,
        ScheduledActionName: "night",
        Schedule: "cron(0 22 * * ? *)",
        ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 2 },
      });
      const refused = await updateTo("c2-bigger").catch((e: unknown) => e);
      const log = recordingLog();
      // act
      const lifted = await liftFor("c2-bigger", log);
      const during = await aas.describeScalableTargets([RESOURCE_ID]);
      await updateTo("c2-bigger");
      const restored = await restoreLifted(aas, lifted, {
        endpoint: await sagemaker.describeEndpoint(ENDPOINT),
        log,
      });
      // assess
      expect(refused).toMatchObject({
        message: expect.stringContaining('scalable target exists for variant "AllTraffic"'),
      });
      expect(during).toEqual([]);
      expect(restored).toEqual({ restored: [VARIANT], skipped: [], failed: [] });
      const after = await read();
      const variant = after === "unknown" ? undefined : after.get(VARIANT);
      expect(variant).toMatchObject({ minCapacity: 1, maxCapacity: 4 });
      expect(variant?.policies.map((p) => p.TargetTrackingScalingPolicyConfiguration)).toEqual([
        invocationsPolicy().TargetTrackingScalingPolicyConfiguration,
      ]);
      expect((await aas.describeScheduledActions(RESOURCE_ID)).map((a) => a.Schedule)).toEqual([
        "cron(0 22 * * ? *)",
      ]);
      expect(log.lines.map((l) => l.text)).toEqual([
        expect.stringMatching(
          /^autoscaling AllTraffic: instance type ml.m5.large → ml.c5.xlarge, which SageMaker refuses while the variant is autoscaled; removed 1 policy and the scalable target \(min 1, max 4\)/,
        ),
        "autoscaling AllTraffic: put back the scalable target (min 1, max 4), 1 policy and 1 scheduled action.",
      ]);
    });

    it("puts autoscaling back when the update rolls back, and the old fleet keeps its 4 instances", async () => {
      // prepare
      await autoscaleTo4();
      emulator.setLifecycle(ENDPOINT, {
        update: { status: "RolledBack", afterMs: 60_000, failureReason: "ping health check" },
      });
      const lifted = await liftFor("c2-bigger");
      await updateTo("c2-bigger");
      clock.advance(120_000);
      const endpoint = await sagemaker.describeEndpoint(ENDPOINT);
      // act
      const restored = await restoreLifted(aas, lifted, { endpoint, log: recordingLog() });
      // assess
      expect([endpoint?.EndpointStatus, endpoint?.EndpointConfigName]).toEqual(["InService", "c1"]);
      expect(restored.restored).toEqual([VARIANT]);
      expect(await aas.describeScalableTargets([RESOURCE_ID])).toMatchObject([{ MaxCapacity: 4 }]);
      const after = await sagemaker.describeEndpoint(ENDPOINT);
      expect(after?.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(4);
    });

    it("does not put back a variant the update dropped", async () => {
      // prepare
      await autoscaleTo4();
      const lifted = await liftFor("c3-renamed");
      await updateTo("c3-renamed");
      // act
      const restored = await restoreLifted(aas, lifted, {
        endpoint: await sagemaker.describeEndpoint(ENDPOINT),
        log: recordingLog(),
      });
      // assess
      expect(restored).toEqual({ restored: [], skipped: [VARIANT], failed: [] });
      expect(await aas.describeScalableTargets([RESOURCE_ID])).toEqual([]);
    });

    it("lifts nothing when the instance type stays", async () => {
      // prepare
      await autoscaleTo4();
      await sagemaker.createEndpointConfig(config("c-same"));
      // act
      const lifted = await liftFor("c-same");
      // assess
      expect(lifted.variants).toEqual([]);
      expect(emulator.mutatingRequests().map((r) => r.operation)).not.toContain(
        "DeregisterScalableTarget",
      );
    });

    it("puts back what it took when a step of the lift fails, then throws", async () => {
      // prepare
      await autoscaleTo4();
      emulator.failNext("DeregisterScalableTarget", {
        type: "ConcurrentUpdateException",
        message: "busy",
      });
      // act
      const error = await liftFor("c2-bigger").catch((e: unknown) => e);
      // assess
      expect(error).toMatchObject({
        message: `DeregisterScalableTarget '${RESOURCE_ID}' failed: busy`,
      });
      const after = await read();
      expect(
        after === "unknown" ? [] : after.get(VARIANT)?.policies.map((p) => p.PolicyName),
      ).toEqual(["invocations"]);
    });

    it("puts autoscaling back even after the job was cancelled", async () => {
      // prepare
      await autoscaleTo4();
      const controller = new AbortController();
      const cancellable = gatewayFor(emulator.url, controller.signal);
      const runningConfig = await sagemaker.describeEndpointConfig("c1");
      const newConfig = await sagemaker.describeEndpointConfig("c2-bigger");
      if (!runningConfig || !newConfig) throw new Error("seeded configs are missing");
      const lifted = await liftForUpdate(cancellable, {
        endpointName: ENDPOINT,
        runningConfig,
        newConfig,
        scaling: await read(),
        log: recordingLog(),
      });
      controller.abort();
      const refused = await cancellable
        .registerScalableTarget({ resourceId: RESOURCE_ID, minCapacity: 1, maxCapacity: 4 })
        .catch((e: unknown) => e);
      // act
      const restored = await restoreLifted(cancellable, lifted, {
        endpoint: undefined,
        log: recordingLog(),
      });
      // assess
      expect(refused).toMatchObject({ name: "CancelledError" });
      expect(restored.restored).toEqual([VARIANT]);
      cancellable.destroy();
    });

    it("never throws: a failed restore is a warning that says how to put it back", async () => {
      // prepare
      await autoscaleTo4();
      const lifted = await liftFor("c2-bigger");
      emulator.failNext(
        "RegisterScalableTarget",
        { type: "ValidationException", message: "no" },
        20,
      );
      const log = recordingLog();
      // act
      const restored = await restoreLifted(aas, lifted, { endpoint: undefined, log });
      // assess
      expect(restored.failed).toEqual([
        { variant: VARIANT, reason: `RegisterScalableTarget '${RESOURCE_ID}' failed: no` },
      ]);
      expect(log.lines.find((l) => l.level === "warning")?.text).toContain(
        `register-scalable-target --service-namespace sagemaker --scalable-dimension sagemaker:variant:DesiredInstanceCount --resource-id ${RESOURCE_ID} --min-capacity 1 --max-capacity 4) and put back its policies (invocations)`,
      );
    });
  });

  describe("applyAutoscaling", () => {
    const wanted = (max = 4, target = 70): SpecAutoscaling => ({
      [VARIANT]: { min: 1, max, policies: [{ metric: METRIC, target, scaleInCooldown: 300 }] },
    });

    async function apply(spec: SpecAutoscaling, allowRemoval = false, log = recordingLog()) {
      return applyAutoscaling(aas, {
        endpointName: ENDPOINT,
        wanted: spec,
        current: await read(),
        allowRemoval,
        log,
      });
    }

    it("registers the target and puts a policy named <variant>-<metric>", async () => {
      // act
      const changes = await apply(wanted());
      // assess
      expect(changes.map((c) => [c.kind, c.description])).toEqual([
        ["registered", "registered scalable target (min 1, max 4)"],
        ["put-policy", `put target tracking policy AllTraffic-${METRIC} (${METRIC} at 70)`],
      ]);
      const [policy] = await aas.describeScalingPolicies(RESOURCE_ID);
      expect(policy?.TargetTrackingScalingPolicyConfiguration).toEqual({
        TargetValue: 70,
        PredefinedMetricSpecification: { PredefinedMetricType: METRIC },
        ScaleInCooldown: 300,
      });
    });

    it("changes nothing when the endpoint already has what the spec says", async () => {
      // prepare
      await apply(wanted());
      const before = emulator.mutatingRequests().length;
      // act
      const changes = await apply(wanted());
      // assess
      expect(changes).toEqual([]);
      expect(emulator.mutatingRequests()).toHaveLength(before);
    });

    it("updates the range and the policy that differ", async () => {
      // prepare
      await apply(wanted());
      // act
      const changes = await apply(wanted(8, 50));
      // assess
      expect(changes.map((c) => c.kind)).toEqual(["updated-target", "updated-policy"]);
      expect(await aas.describeScalableTargets([RESOURCE_ID])).toMatchObject([{ MaxCapacity: 8 }]);
      const [policy] = await aas.describeScalingPolicies(RESOURCE_ID);
      expect(policy?.TargetTrackingScalingPolicyConfiguration?.TargetValue).toBe(50);
    });

    it("leaves a policy the spec does not list, and says so, unless removal is allowed", async () => {
      // prepare
      await autoscaleTo4();
      const log = recordingLog();
      // act
      const kept = await apply(wanted(), false, log);
      const stillThere = (await aas.describeScalingPolicies(RESOURCE_ID)).map((p) => p.PolicyName);
      const removed = await apply(wanted(), true);
      // assess
      expect(kept.filter((c) => c.kind === "kept").map((c) => c.description)).toEqual([
        "scaling policy invocations of AllTraffic: the spec's autoscaling section leaves it out; left in place because removals are not allowed",
      ]);
      expect(log.lines.filter((l) => l.level === "warning")).toHaveLength(1);
      expect(stillThere).toContain("invocations");
      expect(removed.map((c) => c.kind)).toEqual(["deleted-policy"]);
      expect((await aas.describeScalingPolicies(RESOURCE_ID)).map((p) => p.PolicyName)).toEqual([
        `AllTraffic-${METRIC}`,
      ]);
    });

    it("deregisters a target the spec leaves out only when removal is allowed", async () => {
      // prepare
      await autoscaleTo4();
      const other: SpecAutoscaling = {};
      // act
      const kept = await apply(other);
      const targetsKept = await aas.describeScalableTargets([RESOURCE_ID]);
      const removed = await apply(other, true);
      // assess
      expect(kept.map((c) => c.kind)).toEqual(["kept"]);
      expect(targetsKept).toHaveLength(1);
      expect(removed.map((c) => c.kind)).toEqual(["deregistered"]);
      expect(await aas.describeScalableTargets([RESOURCE_ID])).toEqual([]);
    });

    it("refuses two policies of a variant that end up with one name, before any call", async () => {
      // prepare
      const twice: SpecAutoscaling = {
        [VARIANT]: {
          min: 1,
          max: 2,
          policies: [
            { metric: METRIC, target: 1 },
            { metric: METRIC, target: 2 },
          ],
        },
      };
      // act
      const error = await apply(twice).catch((e: unknown) => e);
      // assess
      expect(error).toMatchObject({
        name: "DeployError",
        message: expect.stringContaining(`both named AllTraffic-${METRIC}`),
      });
      expect(emulator.mutatingRequests()).toEqual([]);
    });
  });

  describe("removedScaling", () => {
    const target = {
      resourceId: RESOURCE_ID,
      minCapacity: 1,
      maxCapacity: 4,
      policies: [{ PolicyName: "invocations" }],
    } as const;
    const scaling: ScalingState = new Map([[VARIANT, target as never]]);
    const spec = (names: (string | undefined)[]): SpecAutoscaling => ({
      [VARIANT]: {
        min: 1,
        max: 4,
        policies: names.map((name) => ({ ...(name ? { name } : {}), metric: METRIC, target: 70 })),
      },
    });

    it.each([
      ["the spec has no autoscaling section and the variant stays", undefined, [VARIANT], []],
      [
        "the new config drops the variant",
        undefined,
        ["Blue"],
        [[VARIANT, undefined, "variant-dropped"]],
      ],
      [
        "the spec's section leaves the variant out",
        {},
        [VARIANT],
        [[VARIANT, undefined, "not-in-spec"]],
      ],
      [
        "the spec's section leaves a policy out",
        spec([undefined]),
        [VARIANT],
        [[VARIANT, "invocations", "not-in-spec"]],
      ],
      ["the spec lists the policy by name", spec(["invocations"]), [VARIANT], []],
    ] as const)("when %s", (_, wanted, variants, expected) => {
      // act
      const removals = removedScaling(scaling, wanted, variants);
      // assess
      expect(removals.map((r) => [r.variant, r.policyName, r.reason])).toEqual(expected);
    });

    it("lists nothing when autoscaling is unknown", () => {
      // act / assess
      expect(removedScaling("unknown", {}, [])).toEqual([]);
    });
  });
});
