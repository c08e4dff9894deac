/**
 * Production endpoints end to end on dist/index.js under Node 24 against the emulator: a spec
 * with the whole surface deploys as written, a removal is refused before any change, an
 * autoscaled fleet keeps its size and survives an instance-type change, a dry run changes
 * nothing, and bad specs are refused before any call. The cases in depth run in process
 * (test/run-production.test.ts).
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sageMakerClient } from "../emulator/sdk-client.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { ROLE, SHADOW_SPEC, WEIGHTED_SPEC } from "../spec/specs.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { autoscaleTo4 } from "../support/scaling.js";
import { nodeRuntimes, runAction } from "./run-action.js";

const node = nodeRuntimes().at(-1)?.path ?? process.execPath;
const ENDPOINT = "churn-scorer";

let emulator: Emulator;
const seen: ReturnType<typeof sageMakerActions> = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  recordAwsCalls("e2e-production", "action", [...seen, ...sageMakerActions(emulator.requests)]);
  await emulator.close();
});
beforeEach(() => {
  seen.push(...sageMakerActions(emulator.requests));
  emulator.reset();
});

function deploy(inputs: Record<string, string>) {
  return runAction({
    inputs: {
      "endpoint-name": ENDPOINT,
      "execution-role-arn": ROLE,
      "poll-interval": "1s",
      "wait-timeout": "2m",
      ...inputs,
    },
    sagemakerUrl: emulator.url,
    node,
  });
}

async function described() {
  const client = sageMakerClient(emulator.url);
  try {
    const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: ENDPOINT }));
    const config = await client.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }),
    );
    const model = await client.send(
      new DescribeModelCommand({ ModelName: config.ProductionVariants?.[0]?.ModelName }),
    );
    return { endpoint, config, model };
  } finally {
    client.destroy();
  }
}

describe("production endpoints on dist/index.js", () => {
  it("deploys a spec as written, then refuses an update that drops data capture unless allowed", async () => {
    const created = await deploy({ spec: JSON.stringify(WEIGHTED_SPEC) });
    expect(created.exitCode).toBe(0);
    const { config, model } = await described();
    expect(model).toMatchObject(WEIGHTED_SPEC.model);
    expect(config).toMatchObject({
      KmsKeyId: WEIGHTED_SPEC["endpoint-config"].KmsKeyId,
      DataCaptureConfig: WEIGHTED_SPEC["endpoint-config"].DataCaptureConfig,
      ProductionVariants: WEIGHTED_SPEC["endpoint-config"].ProductionVariants.map((v) => ({
        ...v,
        ModelName: model.ModelName,
      })),
    });

    const { DataCaptureConfig: _, ...noCapture } = WEIGHTED_SPEC["endpoint-config"];
    const spec = JSON.stringify({ ...WEIGHTED_SPEC, "endpoint-config": noCapture });
    const mutatingBefore = emulator.mutatingRequests().length;
    const refused = await deploy({ spec });
    expect(refused.exitCode).toBe(1);
    expect(refused.outputs["failure-reason"]).toMatch(/data capture \(DataCaptureConfig\)/);
    expect(emulator.mutatingRequests()).toHaveLength(mutatingBefore);

    const allowed = await deploy({ spec, "allow-removal": "true" });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.outputs.operation).toBe("updated");
    expect((await described()).config.DataCaptureConfig).toBeUndefined();
  });

  it("keeps an autoscaled fleet of 4 through an image update and an instance-type change", async () => {
    const simple = { image: "churn:1", "instance-type": "ml.m5.large" };
    expect((await deploy(simple)).exitCode).toBe(0);
    const { gateway: aas, resourceId } = await autoscaleTo4(emulator, ENDPOINT, "AllTraffic");

    const image = await deploy({ ...simple, image: "churn:2" });
    expect(image.exitCode).toBe(0);
    expect((await described()).endpoint.ProductionVariants?.[0]?.CurrentInstanceCount).toBe(4);

    const bigger = await deploy({ ...simple, image: "churn:2", "instance-type": "ml.c5.xlarge" });
    expect(bigger.exitCode).toBe(0);
    expect((await described()).config.ProductionVariants?.[0]).toMatchObject({
      InstanceType: "ml.c5.xlarge",
      InitialInstanceCount: 4,
    });
    expect(await aas.describeScalableTargets([resourceId])).toMatchObject([
      { MinCapacity: 2, MaxCapacity: 8 },
    ]);
    expect((await aas.describeScalingPolicies(resourceId)).map((p) => p.PolicyName)).toEqual([
      "invocations",
    ]);
    aas.destroy();
  });

  it("plans a dry run with zero mutating calls, naming each change", async () => {
    expect((await deploy({ spec: JSON.stringify(SHADOW_SPEC) })).exitCode).toBe(0);
    const mutatingBefore = emulator.mutatingRequests().length;
    const bigger = structuredClone(SHADOW_SPEC) as unknown as {
      "endpoint-config": { ProductionVariants: { InstanceType: string }[] };
    };
    for (const v of bigger["endpoint-config"].ProductionVariants) v.InstanceType = "ml.m5.xlarge";

    const run = await deploy({ spec: JSON.stringify(bigger), "dry-run": "true" });

    expect(run.exitCode).toBe(0);
    expect(emulator.mutatingRequests()).toHaveLength(mutatingBefore);
    expect(JSON.parse(run.outputs.plan ?? "{}")).toMatchObject({
      operation: "update",
      dryRun: true,
      changes: ['variant Live: instance type "ml.m5.large" → "ml.m5.xlarge"'],
    });
  });

  it.each<{ what: string; inputs: Record<string, string>; path: string }>([
    {
      what: "instance-type ml.m5.larg",
      inputs: { image: "churn:1", "instance-type": "ml.m5.larg" },
      path: "instance-type",
    },
    {
      what: "a negative weight",
      inputs: {
        spec: '{"endpoint-config": {"ProductionVariants": [{"VariantName": "A", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1, "InitialVariantWeight": -1}]}, "model": {"PrimaryContainer": {"Image": "churn:1"}}}',
      },
      path: "spec.endpoint-config.ProductionVariants[0].InitialVariantWeight",
    },
    {
      what: "an unknown member",
      inputs: {
        image: "churn:1",
        "instance-type": "ml.m5.large",
        spec: "model:\n  EnableNetworkIsolaton: true\n",
      },
      path: "spec.model.EnableNetworkIsolaton",
    },
    {
      what: "a 600000 GB volume",
      inputs: {
        spec: '{"endpoint-config": {"ProductionVariants": [{"VariantName": "A", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1, "VolumeSizeInGB": 600000}]}, "model": {"PrimaryContainer": {"Image": "churn:1"}}}',
      },
      path: "spec.endpoint-config.ProductionVariants[0].VolumeSizeInGB",
    },
  ])("refuses $what before any call, naming $path", async ({ inputs, path }) => {
    const run = await deploy(inputs);
    expect(run.exitCode).toBe(1);
    expect(run.outputs["failure-reason"]).toContain(`${path}: `);
    expect(emulator.requests).toHaveLength(0);
  });
});
