import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  type PutScalingPolicyCommandInput,
  PutScheduledActionCommand,
  paginateDescribeScalingPolicies,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  type SageMakerClient,
  UpdateEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configInput, manualClock, modelInput } from "./fixtures.js";
import { iamActionOf } from "./operations.js";
import { sageMakerClient, TEST_CREDENTIALS } from "./sdk-client.js";
import type { Emulator } from "./server.js";
import { startEmulator } from "./server.js";

const ENDPOINT = "scaled";
const VARIANT = "AllTraffic";
const RESOURCE_ID = `endpoint/${ENDPOINT}/variant/${VARIANT}`;
const KEY = {
  ServiceNamespace: "sagemaker",
  ScalableDimension: "sagemaker:variant:DesiredInstanceCount",
  ResourceId: RESOURCE_ID,
} as const;

function policy(name: string, target = 70): PutScalingPolicyCommandInput {
  return {
    ...KEY,
    PolicyName: name,
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: target,
      PredefinedMetricSpecification: {
        PredefinedMetricType: "SageMakerVariantInvocationsPerInstance",
      },
      ScaleInCooldown: 300,
    },
  };
}

/** Config `<name>` serving model `m` on `instanceType` with `count` instances. */
function config(name: string, instanceType = "ml.m5.large", count = 1) {
  const input = configInput(name, "m");
  const [variant] = input.ProductionVariants ?? [];
  return {
    ...input,
    ProductionVariants: [
      { ...variant, InstanceType: instanceType, InitialInstanceCount: count },
    ] as typeof input.ProductionVariants,
  };
}

describe("Application Auto Scaling in the emulator, through the real SDK client", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let sagemaker: SageMakerClient;
  let aas: ApplicationAutoScalingClient;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    sagemaker = sageMakerClient(emulator.url);
    aas = new ApplicationAutoScalingClient({
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: TEST_CREDENTIALS,
    });
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({
      models: [modelInput("m")],
      endpointConfigs: [
        config("c1"),
        config("c2-other-model"),
        config("c3-bigger", "ml.c5.xlarge"),
        {
          ...config("c4-renamed"),
          ProductionVariants: [{ ...config("x").ProductionVariants?.[0], VariantName: "Other" }],
        },
      ],
      endpoints: [{ EndpointName: ENDPOINT, EndpointConfigName: "c1" }],
    });
  });
  afterAll(async () => {
    sagemaker.destroy();
    aas.destroy();
    await emulator.close();
  });

  const register = (min = 1, max = 4) =>
    aas.send(new RegisterScalableTargetCommand({ ...KEY, MinCapacity: min, MaxCapacity: max }));
  const targets = async () =>
    (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "sagemaker" })))
      .ScalableTargets ?? [];
  const policies = async () =>
    (await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker" })))
      .ScalingPolicies ?? [];
  const variantOf = async () =>
    (await sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT })))
      .ProductionVariants?.[0];
  const update = (configName: string) =>
    sagemaker.send(
      new UpdateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: configName }),
    );

  describe("scalable targets", () => {
    it("registers a variant and describes it with its range, role and ARN", async () => {
      // act
      const answer = await register(1, 4);
      const [target] = await targets();
      // assess
      expect(answer.ScalableTargetARN).toMatch(
        /^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/\w+$/,
      );
      expect(target).toMatchObject({
        ...KEY,
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: expect.stringContaining(
          "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
        ),
        ScalableTargetARN: answer.ScalableTargetARN,
        SuspendedState: { DynamicScalingInSuspended: false },
      });
      expect(target?.CreationTime).toBeInstanceOf(Date);
    });

    it("updates an existing target with only the members given", async () => {
      // prepare
      await register(1, 4);
      // act
      await aas.send(new RegisterScalableTargetCommand({ ...KEY, MaxCapacity: 8 }));
      // assess
      expect(await targets()).toMatchObject([{ MinCapacity: 1, MaxCapacity: 8 }]);
    });

    it("filters by ResourceIds", async () => {
      // prepare
      await register();
      // act
      const other = await aas.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: "sagemaker",
          ResourceIds: [`endpoint/${ENDPOINT}/variant/Other`],
        }),
      );
      // assess
      expect(other.ScalableTargets).toEqual([]);
    });

    it.each([
      [
        "a new target without a range",
        { ...KEY, MinCapacity: 1 },
        "MinCapacity and MaxCapacity are required when registering a new scalable target",
      ],
      [
        "max below min",
        { ...KEY, MinCapacity: 3, MaxCapacity: 2 },
        "Maximum capacity cannot be less than minimum capacity",
      ],
      [
        "another namespace",
        { ...KEY, ServiceNamespace: "ecs" as const, MinCapacity: 1, MaxCapacity: 2 },
        "Unsupported service namespace, resource type or scalable dimension",
      ],
      [
        "a missing endpoint",
        {
          ...KEY,
          ResourceId: `endpoint/nowhere/variant/${VARIANT}`,
          MinCapacity: 1,
          MaxCapacity: 2,
        },
        'Could not find endpoint "nowhere".',
      ],
      [
        "a missing variant",
        {
          ...KEY,
          ResourceId: `endpoint/${ENDPOINT}/variant/Other`,
          MinCapacity: 1,
          MaxCapacity: 2,
        },
        'The endpoint "scaled" has no instance-based production variant "Other".',
      ],
    ])("refuses %s with ValidationException", async (_, input, message) => {
      // act
      const error = await aas.send(new RegisterScalableTargetCommand(input)).catch((e) => e);
      // assess
      expect(error).toMatchObject({ name: "ValidationException", message });
    });

    it("answers a missing member in AWS's constraint wording", async () => {
      // act
      const error = await aas
        .send(
          new RegisterScalableTargetCommand({
            ServiceNamespace: "sagemaker",
            ScalableDimension: KEY.ScalableDimension,
            ResourceId: undefined,
          }),
        )
        .catch((e) => e);
      // assess
      expect(error).toMatchObject({
        name: "ValidationException",
        message:
          "1 validation error detected: Value null at 'resourceId' failed to satisfy constraint: Member must not be null",
      });
    });

    it("deregisters a target with its policies and scheduled actions", async () => {
      // prepare
      await register();
      await aas.send(new PutScalingPolicyCommand(policy("p")));
      await aas.send(
        new PutScheduledActionCommand({
          ...KEY,
          ScheduledActionName: "night",
          Schedule: "cron(0 22 * * ? *)",
        }),
      );
      // act
      await aas.send(new DeregisterScalableTargetCommand(KEY));
      // assess
      const scheduled = await aas.send(
        new DescribeScheduledActionsCommand({ ServiceNamespace: "sagemaker" }),
      );
      expect([await targets(), await policies(), scheduled.ScheduledActions]).toEqual([[], [], []]);
    });

    it("answers ObjectNotFoundException for a target that is not registered", async () => {
      // act
      const error = await aas.send(new DeregisterScalableTargetCommand(KEY)).catch((e) => e);
      // assess
      expect(error).toMatchObject({
        name: "ObjectNotFoundException",
        message: `No scalable target registered for service namespace: sagemaker, resource ID: ${RESOURCE_ID}, scalable dimension: sagemaker:variant:DesiredInstanceCount`,
      });
    });

    it("deregisters an endpoint's targets when the endpoint is deleted", async () => {
      // prepare
      await register();
      // act
      await sagemaker.send(new DeleteEndpointCommand({ EndpointName: ENDPOINT }));
      // assess
      expect(await targets()).toEqual([]);
    });
  });

  describe("scaling policies", () => {
    it("puts a target tracking policy with two alarms and describes it as sent", async () => {
      // prepare
      await register();
      // act
      const answer = await aas.send(new PutScalingPolicyCommand(policy("invocations")));
      const [described] = await policies();
      // assess
      expect(answer.Alarms?.map((a) => a.AlarmName)).toEqual([
        expect.stringMatching(`^TargetTracking-${RESOURCE_ID}-AlarmHigh-`),
        expect.stringMatching(`^TargetTracking-${RESOURCE_ID}-AlarmLow-`),
      ]);
      expect(described).toMatchObject({
        PolicyARN: answer.PolicyARN,
        PolicyName: "invocations",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration:
          policy("invocations").TargetTrackingScalingPolicyConfiguration,
      });
    });

    it("replaces a policy of the same name and keeps its ARN", async () => {
      // prepare
      await register();
      const first = await aas.send(new PutScalingPolicyCommand(policy("p", 70)));
      // act
      const second = await aas.send(new PutScalingPolicyCommand(policy("p", 50)));
      // assess
      expect(second.PolicyARN).toBe(first.PolicyARN);
      expect(await policies()).toMatchObject([
        { TargetTrackingScalingPolicyConfiguration: { TargetValue: 50 } },
      ]);
    });

    it("needs a registered target", async () => {
      // act
      const error = await aas.send(new PutScalingPolicyCommand(policy("p"))).catch((e) => e);
      // assess
      expect(error).toMatchObject({
        name: "ObjectNotFoundException",
        message: expect.stringMatching(
          /^No scalable target registered for service namespace: sagemaker/,
        ),
      });
    });

    it.each([
      [
        "a metric of another service",
        {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ECSServiceAverageCPUUtilization" as const,
          },
        },
        "Unsupported metric type ECSServiceAverageCPUUtilization for scalable dimension sagemaker:variant:DesiredInstanceCount",
      ],
      [
        "no metric",
        { TargetValue: 50 },
        "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified",
      ],
      [
        "a negative cooldown",
        {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "SageMakerVariantInvocationsPerInstance" as const,
          },
          ScaleInCooldown: -1,
        },
        "1 validation error detected: Value '-1' at 'targetTrackingScalingPolicyConfiguration.scaleInCooldown' failed to satisfy constraint: Member must have value greater than or equal to 0",
      ],
    ])("refuses %s with ValidationException", async (_, configuration, message) => {
      // prepare
      await register();
      // act
      const error = await aas
        .send(
          new PutScalingPolicyCommand({
            ...policy("p"),
            TargetTrackingScalingPolicyConfiguration: configuration,
          }),
        )
        .catch((e) => e);
      // assess
      expect(error).toMatchObject({ name: "ValidationException", message });
    });

    it("pages DescribeScalingPolicies by 10 and refuses a bigger MaxResults", async () => {
      // prepare
      await register();
      for (let i = 0; i < 12; i++) await aas.send(new PutScalingPolicyCommand(policy(`p${i}`)));
      // act
      const names: string[] = [];
      const pages = paginateDescribeScalingPolicies(
        { client: aas },
        { ServiceNamespace: "sagemaker" },
      );
      for await (const page of pages)
        names.push(...(page.ScalingPolicies ?? []).map((p) => p.PolicyName ?? ""));
      const tooMany = await aas
        .send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "sagemaker", MaxResults: 11 }))
        .catch((e) => e);
      // assess
      expect(names).toHaveLength(12);
      expect(tooMany).toMatchObject({ name: "ValidationException" });
    });

    it("deletes a policy, and answers ObjectNotFoundException for one that is gone", async () => {
      // prepare
      await register();
      await aas.send(new PutScalingPolicyCommand(policy("p")));
      const remove = () => aas.send(new DeleteScalingPolicyCommand({ ...KEY, PolicyName: "p" }));
      // act
      await remove();
      const again = await remove().catch((e) => e);
      // assess
      expect(await policies()).toEqual([]);
      expect(again).toMatchObject({
        name: "ObjectNotFoundException",
        message: `No scaling policy found for service namespace: sagemaker, resource ID: ${RESOURCE_ID}, scalable dimension: sagemaker:variant:DesiredInstanceCount, policy name: p`,
      });
    });
  });

  describe("UpdateEndpoint on an autoscaled endpoint", () => {
    it("refuses an instance-type change of a variant that has a scalable target", async () => {
      // prepare
      await register();
      // act
      const error = await update("c3-bigger").catch((e) => e);
      // assess
      expect(error).toMatchObject({
        name: "ValidationException",
        message: expect.stringContaining(
          'An Application AutoScaling scalable target exists for variant "AllTraffic" of endpoint "scaled", and the update changes its instance type from ml.m5.large to ml.c5.xlarge.',
        ),
      });
      expect(
        (await sagemaker.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT })))
          .EndpointStatus,
      ).toBe("InService");
    });

    it("refuses an update that removes a variant that has a scalable target", async () => {
      // prepare
      await register();
      // act
      const error = await update("c4-renamed").catch((e) => e);
      // assess
      expect(error).toMatchObject({
        name: "ValidationException",
        message: expect.stringContaining("which the update removes"),
      });
    });

    it("allows a change of model on the same instance type, and any change once deregistered", async () => {
      // prepare
      await register();
      // act
      await update("c2-other-model");
      await aas.send(new DeregisterScalableTargetCommand(KEY));
      await update("c3-bigger");
      // assess
      const endpoint = await sagemaker.send(
        new DescribeEndpointCommand({ EndpointName: ENDPOINT }),
      );
      expect(endpoint.EndpointConfigName).toBe("c3-bigger");
    });
  });

  describe("instance counts set by autoscaling", () => {
    it("shows a count set by the control as the variant's current and desired count", async () => {
      // act
      emulator.setInstanceCount(ENDPOINT, VARIANT, 4);
      // assess
      expect(await variantOf()).toMatchObject({ CurrentInstanceCount: 4, DesiredInstanceCount: 4 });
    });

    it("starts from the new config's count after an update, and finds the old count after a rollback", async () => {
      // prepare
      emulator.setInstanceCount(ENDPOINT, VARIANT, 4);
      emulator.setLifecycle(ENDPOINT, {
        update: { status: "RolledBack", afterMs: 1_000, failureReason: "health check" },
      });
      // act
      await update("c2-other-model");
      clock.advance(2_000);
      const rolledBack = await variantOf();
      emulator.setLifecycle(ENDPOINT, { update: { status: "InService", afterMs: 0 } });
      await update("c2-other-model");
      const updated = await variantOf();
      // assess
      expect([rolledBack?.CurrentInstanceCount, updated?.CurrentInstanceCount]).toEqual([4, 1]);
    });

    it("moves a running count into the range a registration gives", async () => {
      // prepare
      emulator.setInstanceCount(ENDPOINT, VARIANT, 6);
      // act
      await register(1, 3);
      // assess
      expect(await variantOf()).toMatchObject({ CurrentInstanceCount: 3 });
    });

    it("sets a count over HTTP, and answers 400 for a variant the endpoint does not run", async () => {
      // act
      const post = (body: unknown) =>
        fetch(`${emulator.url}/__emulator/instance-count`, {
          method: "POST",
          body: JSON.stringify(body),
        });
      const ok = await post({ endpointName: ENDPOINT, variantName: VARIANT, count: 2 });
      const bad = await post({ endpointName: ENDPOINT, variantName: "Other", count: 2 });
      // assess
      expect([ok.status, bad.status]).toEqual([200, 400]);
      expect(await bad.json()).toEqual({
        message: "endpoint scaled runs no instance-based variant Other (config c1)",
      });
      expect(await variantOf()).toMatchObject({ CurrentInstanceCount: 2 });
    });
  });

  describe("wire", () => {
    it("answers an Application Auto Scaling operation under SageMaker's target prefix as unknown", async () => {
      // act
      const response = await fetch(emulator.url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "SageMaker.DescribeScalableTargets",
        },
        body: JSON.stringify({ ServiceNamespace: "sagemaker" }),
      });
      // assess
      expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    });

    it("records the calls that change autoscaling as mutating, with their IAM actions", async () => {
      // act
      await register();
      await targets();
      // assess
      const mutating = emulator.mutatingRequests().map((r) => iamActionOf(r.operation));
      expect(mutating).toEqual(["application-autoscaling:RegisterScalableTarget"]);
    });
  });
});
