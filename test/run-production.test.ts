/**
 * Production endpoints in process (`run()` against the emulator on a fake clock): the whole
 * surface from a spec, refusals before any call, updates that keep what the endpoint has, the
 * plan and dry runs, and autoscaled fleets that keep their size.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { variantResourceId } from "../src/autoscaling-gateway.js";
import { sageMakerClient } from "./emulator/sdk-client.js";
import {
  ASYNC_SPEC,
  IMAGE,
  ROLE,
  SERVERLESS_SPEC,
  SHADOW_SPEC,
  WEIGHTED_SPEC,
} from "./spec/specs.js";
import { ENDPOINT, mutations, useActionHarness } from "./support/action-harness.js";
import { autoscaleTo4, emulatorAutoScaling } from "./support/scaling.js";

const harness = useActionHarness("run-production");

/** A deploy from a spec given inline (JSON is YAML), with the role from the input. */
function specDeploy(spec: unknown, overrides: Record<string, string> = {}) {
  return {
    "endpoint-name": ENDPOINT,
    "execution-role-arn": ROLE,
    spec: JSON.stringify(spec),
    ...overrides,
  };
}

async function described(name: string) {
  const client = sageMakerClient(harness().emulator.url);
  try {
    const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: name }));
    const config = await client.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }),
    );
    const modelName = config.ProductionVariants?.[0]?.ModelName;
    const model = await client.send(new DescribeModelCommand({ ModelName: modelName }));
    return { endpoint, config, model };
  } finally {
    client.destroy();
  }
}

const withoutCapture = () => {
  const { DataCaptureConfig: _, ...config } = structuredClone(WEIGHTED_SPEC["endpoint-config"]);
  return { ...structuredClone(WEIGHTED_SPEC), "endpoint-config": config };
};

describe("a spec with the whole endpoint surface", () => {
  it("deploys two weighted variants with data capture, VPC, isolation, KMS, volumes and timeouts as written", async () => {
    // act
    const run = await harness().run(specDeploy(WEIGHTED_SPEC));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ operation: "created", "endpoint-status": "InService" });
    const { config, model } = await described(ENDPOINT);
    expect(model).toMatchObject({ ...WEIGHTED_SPEC.model, ExecutionRoleArn: ROLE });
    expect(config).toMatchObject({
      ...WEIGHTED_SPEC["endpoint-config"],
      ProductionVariants: WEIGHTED_SPEC["endpoint-config"].ProductionVariants.map((v) => ({
        ...v,
        ModelName: model.ModelName,
      })),
    });
  });

  it.each([
    { what: "an asynchronous endpoint", spec: ASYNC_SPEC, member: "AsyncInferenceConfig" },
    { what: "a shadow variant", spec: SHADOW_SPEC, member: "ShadowProductionVariants" },
  ])("deploys $what", async ({ spec, member }) => {
    // act
    const run = await harness().run(specDeploy(spec));
    // assess
    expect(run.failure).toBeUndefined();
    const { config } = await described(ENDPOINT);
    expect(config).toHaveProperty(member);
    expect(config).toMatchObject({ [member]: expect.anything() });
  });

  it.each<{ what: string; spec: unknown; inputs: Record<string, string>; problem: string }>([
    {
      what: "a shadow variant beside two production variants",
      spec: {
        ...WEIGHTED_SPEC,
        "endpoint-config": {
          ...WEIGHTED_SPEC["endpoint-config"],
          ShadowProductionVariants: SHADOW_SPEC["endpoint-config"].ShadowProductionVariants,
        },
      },
      inputs: {},
      problem: "exactly one production variant and one shadow variant",
    },
    {
      what: "ml.m5.larg",
      spec: SHADOW_SPEC,
      inputs: { "instance-type": "ml.m5.larg" },
      problem: 'instance-type: "ml.m5.larg" is not a SageMaker instance type',
    },
    {
      what: "a negative weight",
      spec: {
        ...ASYNC_SPEC,
        "endpoint-config": {
          ...ASYNC_SPEC["endpoint-config"],
          ProductionVariants: [
            { ...ASYNC_SPEC["endpoint-config"].ProductionVariants[0], InitialVariantWeight: -1 },
          ],
        },
      },
      inputs: {},
      problem: "spec.endpoint-config.ProductionVariants[0].InitialVariantWeight",
    },
    {
      what: "an unknown member",
      spec: { ...SHADOW_SPEC, model: { ...SHADOW_SPEC.model, Imagee: IMAGE } },
      inputs: {},
      problem: "spec.model.Imagee: unknown member",
    },
    {
      what: "a 600000 GB volume",
      spec: {
        ...ASYNC_SPEC,
        "endpoint-config": {
          ...ASYNC_SPEC["endpoint-config"],
          ProductionVariants: [
            { ...ASYNC_SPEC["endpoint-config"].ProductionVariants[0], VolumeSizeInGB: 600_000 },
          ],
        },
      },
      inputs: {},
      problem: "spec.endpoint-config.ProductionVariants[0].VolumeSizeInGB",
    },
  ])("refuses $what before any call, naming its path", async ({ spec, inputs, problem }) => {
    // act
    const run = await harness().run(specDeploy(spec, inputs));
    // assess
    expect(run.failure).toContain(problem);
    expect(run.outputs["failure-reason"]).toContain(problem);
    expect(harness().emulator.requests).toHaveLength(0);
  });
});

describe("updating a production endpoint", () => {
  it("refuses, before any change, an update that drops data capture, and names it", async () => {
    // prepare
    await harness().run(specDeploy(WEIGHTED_SPEC));
    const before = harness().emulator.mutatingRequests().length;
    // act
    const run = await harness().run(specDeploy(withoutCapture()));
    // assess
    expect(run.failure).toMatch(/would remove .*data capture \(DataCaptureConfig\)/);
    expect(run.failure).toContain("allow-removal");
    expect(harness().emulator.mutatingRequests()).toHaveLength(before);
    expect(run.summary).toContain("removes data capture");
  });

  it("drops data capture with allow-removal: true", async () => {
    // prepare
    await harness().run(specDeploy(WEIGHTED_SPEC));
    // act
    const run = await harness().run(specDeploy(withoutCapture(), { "allow-removal": "true" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs.operation).toBe("updated");
    const { config } = await described(ENDPOINT);
    expect(config.DataCaptureConfig).toBeUndefined();
  });

  it("refuses an update that drops a serverless variant's provisioned concurrency, and drops it with allow-removal", async () => {
    // prepare
    const created = await harness().run(specDeploy(SERVERLESS_SPEC));
    // The same endpoint from the simple inputs, which cannot say ProvisionedConcurrency.
    const simple = {
      "endpoint-name": ENDPOINT,
      "execution-role-arn": ROLE,
      image: IMAGE.replace(/:[^:/]+$/, `@sha256:${"a".repeat(64)}`),
      "serverless-memory-size": "2048",
      "serverless-max-concurrency": "10",
    };
    const before = harness().emulator.mutatingRequests().length;
    // act
    const refused = await harness().run(simple);
    const afterRefusal = harness().emulator.mutatingRequests().length;
    const allowed = await harness().run({ ...simple, "allow-removal": "true" });
    // assess
    expect(created.failure).toBeUndefined();
    expect(refused.failure).toMatch(
      /would remove .*provisioned concurrency of variant AllTraffic \(ServerlessConfig\.ProvisionedConcurrency 2\)/,
    );
    expect(afterRefusal).toBe(before);
    expect(allowed.failure).toBeUndefined();
    expect(allowed.outputs.operation).toBe("updated");
    const { config } = await described(ENDPOINT);
    expect(config.ProductionVariants?.[0]?.ServerlessConfig).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 10,
    });
  });

  it("plans without changing anything on dry-run, naming each change", async () => {
    // prepare
    await harness().run(specDeploy(WEIGHTED_SPEC));
    const before = harness().emulator.mutatingRequests().length;
    const bigger = structuredClone(WEIGHTED_SPEC) as unknown as {
      "endpoint-config": { ProductionVariants: { InstanceType: string }[] };
    };
    for (const variant of bigger["endpoint-config"].ProductionVariants)
      variant.InstanceType = "ml.m5.2xlarge";
    // act
    const run = await harness().run(specDeploy(bigger, { "dry-run": "true" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(harness().emulator.mutatingRequests()).toHaveLength(before);
    const plan = JSON.parse(run.outputs.plan ?? "{}");
    expect(plan).toMatchObject({ operation: "update", dryRun: true, removals: [] });
    expect(plan.changes).toEqual(
      expect.arrayContaining([
        'variant Current: instance type "ml.m5.xlarge" → "ml.m5.2xlarge"',
        'variant Candidate: instance type "ml.m5.xlarge" → "ml.m5.2xlarge"',
      ]),
    );
    expect(run.summary).toContain("Plan (dry run)");
  });
});

describe("an autoscaled endpoint", () => {
  const VARIANT = "AllTraffic";
  const aas = () => emulatorAutoScaling(harness().emulator);

  async function autoscaledTo4() {
    await harness().run({
      "endpoint-name": ENDPOINT,
      image: "fraud:1",
      "execution-role-arn": ROLE,
      "instance-type": "ml.m5.large",
    });
    return autoscaleTo4(harness().emulator, ENDPOINT, VARIANT);
  }

  it("keeps 4 instances through an image update", async () => {
    // prepare
    await autoscaledTo4();
    // act
    const run = await harness().run({
      "endpoint-name": ENDPOINT,
      image: "fraud:2",
      "execution-role-arn": ROLE,
      "instance-type": "ml.m5.large",
    });
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs.operation).toBe("updated");
    const { endpoint, config } = await described(ENDPOINT);
    expect(config.ProductionVariants?.[0]?.InitialInstanceCount).toBe(4);
    expect(endpoint.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(4);
    expect(run.log).toContain("keeps 4 instances");
  });

  it("changes its instance type, with the scalable target and policy registered again after", async () => {
    // prepare
    const { gateway, resourceId } = await autoscaledTo4();
    // act
    const run = await harness().run({
      "endpoint-name": ENDPOINT,
      image: "fraud:1",
      "execution-role-arn": ROLE,
      "instance-type": "ml.c5.xlarge",
    });
    // assess
    expect(run.failure).toBeUndefined();
    const { config } = await described(ENDPOINT);
    expect(config.ProductionVariants?.[0]).toMatchObject({
      InstanceType: "ml.c5.xlarge",
      InitialInstanceCount: 4,
    });
    const [target] = await gateway.describeScalableTargets([resourceId]);
    expect(target).toMatchObject({ MinCapacity: 2, MaxCapacity: 8 });
    const policies = await gateway.describeScalingPolicies(resourceId);
    expect(policies.map((p) => p.PolicyName)).toEqual(["invocations"]);
    expect(mutations(harness().emulator)).toEqual(
      expect.arrayContaining([
        "DeregisterScalableTarget",
        "UpdateEndpoint",
        "RegisterScalableTarget",
      ]),
    );
  });

  it("registers the spec's autoscaling section once InService", async () => {
    // act
    const run = await harness().run(
      specDeploy({
        ...ASYNC_SPEC,
        autoscaling: {
          AllTraffic: {
            min: 1,
            max: 3,
            policies: [{ metric: "SageMakerVariantInvocationsPerInstance", target: 50 }],
          },
        },
      }),
    );
    // assess
    expect(run.failure).toBeUndefined();
    const resourceId = variantResourceId(ENDPOINT, "AllTraffic");
    const [target] = await aas().describeScalableTargets([resourceId]);
    expect(target).toMatchObject({ MinCapacity: 1, MaxCapacity: 3 });
  });
});
