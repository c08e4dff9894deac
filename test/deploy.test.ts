/**
 * The deploy in process (`run()` against the emulator on a fake clock): first and second
 * deploys, rollbacks, failed creates and cleanup, conflicts, and what a deploy sends. The
 * assertions look at what exists in the emulator afterwards and at what the runner would show.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROLE, seedExistingEndpoint } from "./e2e/existing-endpoint.js";
import { ROOT } from "./e2e/run-action.js";
import {
  demoDeploy,
  ENDPOINT,
  ENDPOINT_ARN,
  mutations,
  names,
  useActionHarness,
} from "./support/action-harness.js";

const harness = useActionHarness("run-deploy");

const HEALTH_CHECK_FAILURE =
  "The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.";

describe("a new endpoint", () => {
  it("creates model, config and endpoint, waits for InService and writes every output", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: 6 * 60_000 } });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({
      "endpoint-status": "InService",
      "endpoint-arn": ENDPOINT_ARN,
      operation: "created",
      "handed-off": "false",
    });
    expect(run.outputs["model-arn"]).toMatch(/:model\/fraud-scorer-[0-9a-f]{12}$/);
    expect(run.outputs["endpoint-config-arn"]).toMatch(
      /:endpoint-config\/fraud-scorer-[0-9a-f]{12}$/,
    );
    expect(run.log).toMatch(/\[\d+s\] endpoint fraud-scorer: Creating/);
    expect(run.log).toMatch(/\[6m\d*s?\] endpoint fraud-scorer: InService/);
    expect(run.summary).toContain(ENDPOINT_ARN);
    expect(run.summary).toContain(
      "console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-scorer",
    );
    expect(run.summary).toMatch(/\| \d+s \| Creating \|/);
    expect(emulator.state().endpoints).toMatchObject([
      { name: ENDPOINT, status: "InService", configName: run.outputs["endpoint-config-name"] },
    ]);
    expect(mutations(emulator).filter((op) => op.startsWith("Delete"))).toEqual([]);
  });

  it("fails with SageMaker's FailureReason when the endpoint fails, and removes what it created", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, {
      create: { status: "Failed", afterMs: 60_000, failureReason: HEALTH_CHECK_FAILURE },
    });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toMatch(/did not pass the ping health check/);
    expect(run.failCalls).toBe(1);
    expect(run.outputs["failure-reason"]).toContain(HEALTH_CHECK_FAILURE);
    expect(run.outputs["endpoint-status"]).toBe("Failed");
    expect(emulator.state()).toMatchObject({ models: [], endpointConfigs: [], endpoints: [] });
    expect(emulator.violations).toEqual([]);
  });

  it("reports a failed create first, then deletes the endpoint, config and model it created", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, {
      create: { status: "Failed", afterMs: 30_000, failureReason: "Image fraud:9 not found." },
    });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    const reported = run.log.indexOf("Failed (Image fraud:9 not found.)");
    const cleaned = run.log.indexOf("Cleanup deleted what this run created: endpoint fraud-scorer");
    expect(reported).toBeGreaterThan(-1);
    expect(cleaned).toBeGreaterThan(reported);
    expect(emulator.state()).toMatchObject({ models: [], endpointConfigs: [], endpoints: [] });
    expect(run.summary).toMatch(/Cleanup deleted: endpoint fraud-scorer/);
    expect(
      mutations(emulator)
        .filter((op) => op.startsWith("Delete"))
        .sort(),
    ).toEqual(["DeleteEndpoint", "DeleteEndpointConfig", "DeleteModel"]);
    expect(emulator.violations).toEqual([]);
  });

  it("with cleanup-on-failure false, keeps everything and says what was left", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, {
      create: { status: "Failed", afterMs: 20_000, failureReason: "Bad image." },
    });
    // act
    const run = await harness().run(demoDeploy({ "cleanup-on-failure": "false" }));
    // assess
    expect(run.failure).toMatch(/Bad image/);
    expect(run.log).toMatch(
      /Left in place: endpoint fraud-scorer, endpoint config fraud-scorer-\w+, model fraud-scorer-\w+/,
    );
    expect(emulator.state().endpoints).toHaveLength(1);
    expect(emulator.state().models).toHaveLength(1);
    expect(mutations(emulator).filter((op) => op.startsWith("Delete"))).toEqual([]);
  });

  it("deploys a serverless variant", async () => {
    // act
    const run = await harness().run(
      demoDeploy({
        "instance-type": "",
        "serverless-memory-size": "2048",
        "serverless-max-concurrency": "5",
      }),
    );
    // assess
    expect(run.failure).toBeUndefined();
    const config = harness().emulator.state().endpointConfigs[0]?.input as {
      ProductionVariants: unknown[];
    };
    expect(config.ProductionVariants).toEqual([
      {
        VariantName: "AllTraffic",
        ModelName: run.outputs["model-name"],
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
      },
    ]);
  });

  it("tags model, config and endpoint with the user's tags and the run's provenance", async () => {
    // act
    const run = await harness().run(
      demoDeploy({ tags: "team=fraud\ncost-center=ml-42", environment: "LOG_LEVEL=debug" }),
    );
    // assess
    expect(run.failure).toBeUndefined();
    const state = harness().emulator.state();
    for (const resource of [state.models[0], state.endpointConfigs[0], state.endpoints[0]]) {
      expect(resource?.tags).toMatchObject({
        team: "fraud",
        "cost-center": "ml-42",
        "sagemaker-deploy:repository": "octo-org/fraud-models",
        "sagemaker-deploy:commit": "0123456789abcdef0123456789abcdef01234567",
        "sagemaker-deploy:run-id": "4242",
        "sagemaker-deploy:workflow": "deploy",
      });
    }
    expect(state.models[0]?.input).toMatchObject({
      PrimaryContainer: { Environment: { LOG_LEVEL: "debug" } },
    });
  });
});

describe("second deploys", () => {
  it("updates an existing endpoint to a new image, then leaves it unchanged on an identical re-run", async () => {
    // prepare
    const { emulator } = harness();
    const first = await harness().run(demoDeploy({ image: "fraud:1" }));
    emulator.setLifecycle(ENDPOINT, { update: { status: "InService", afterMs: 8 * 60_000 } });
    // act
    const second = await harness().run(demoDeploy({ image: "fraud:2" }));
    const mutatingBefore = emulator.mutatingRequests().length;
    const third = await harness().run(demoDeploy({ image: "fraud:2" }));
    // assess
    expect(first.outputs.operation).toBe("created");
    expect(second.failure).toBeUndefined();
    expect(second.outputs).toMatchObject({ operation: "updated", "endpoint-status": "InService" });
    expect(second.outputs["endpoint-config-name"]).not.toBe(first.outputs["endpoint-config-name"]);
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: second.outputs["endpoint-config-name"] },
    ]);
    expect(second.log).toMatch(/endpoint fraud-scorer: Updating/);
    expect(third.failure).toBeUndefined();
    expect(third.outputs).toMatchObject({ operation: "unchanged", "endpoint-status": "InService" });
    expect(emulator.mutatingRequests()).toHaveLength(mutatingBefore);
    expect(emulator.violations).toEqual([]);
  });

  it("passes deployment-config to UpdateEndpoint", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    const deploymentConfig = {
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: {
          Type: "CANARY",
          CanarySize: { Type: "CAPACITY_PERCENT", Value: 10 },
          WaitIntervalInSeconds: 300,
        },
        TerminationWaitInSeconds: 600,
      },
      AutoRollbackConfiguration: { Alarms: [{ AlarmName: "fraud-scorer-5xx" }] },
    };
    // act
    const run = await harness().run(
      demoDeploy({ "deployment-config": JSON.stringify(deploymentConfig) }),
    );
    // assess
    expect(run.failure).toBeUndefined();
    const update = emulator.requests.find((r) => r.operation === "UpdateEndpoint");
    expect(update?.input.DeploymentConfig).toEqual(deploymentConfig);
  });

  it("fails when SageMaker rolls the update back, and removes only this run's config and model", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    emulator.setLifecycle(ENDPOINT, {
      update: {
        status: "RolledBack",
        afterMs: 10 * 60_000,
        failureReason: "Alarm fraud-scorer-5xx fired during the canary.",
      },
    });
    // act
    const run = await harness().run(demoDeploy({ image: "fraud:broken" }));
    // assess
    expect(run.failure).toMatch(/rolled back.*Alarm fraud-scorer-5xx fired/);
    expect(run.outputs["failure-reason"]).toMatch(/rolled back/);
    const state = emulator.state();
    expect(state.endpoints).toMatchObject([{ status: "InService", configName: "legacy-config" }]);
    expect(names(state.models)).toEqual(["legacy-model"]);
    expect(names(state.endpointConfigs)).toEqual(["legacy-config"]);
    const deleted = emulator.requests
      .filter((r) => r.operation.startsWith("Delete"))
      .map((r) => `${r.operation} ${String(r.input.ModelName ?? r.input.EndpointConfigName)}`);
    expect(deleted.sort()).toEqual([
      `DeleteEndpointConfig ${run.outputs["endpoint-config-name"]}`,
      `DeleteModel ${run.outputs["model-name"]}`,
    ]);
    expect(emulator.violations).toEqual([]);
  });

  it("after UpdateRollbackFailed deletes nothing and says why", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    emulator.setLifecycle(ENDPOINT, {
      update: {
        status: "UpdateRollbackFailed",
        afterMs: 10 * 60_000,
        failureReason: "Rollback failed: capacity unavailable.",
      },
    });
    // act
    const run = await harness().run(demoDeploy({ image: "fraud:broken" }));
    // assess
    expect(run.failure).toMatch(/Rollback failed: capacity unavailable/);
    expect(run.outputs["endpoint-status"]).toBe("UpdateRollbackFailed");
    expect(run.log).toMatch(
      /Left in place: endpoint config fraud-scorer-\w+ \(UpdateRollbackFailed/,
    );
    expect(run.summary).toMatch(/nothing is deleted/);
    expect(mutations(emulator).filter((op) => op.startsWith("Delete"))).toEqual([]);
    expect(names(emulator.state().endpointConfigs)).toEqual(
      ["legacy-config", run.outputs["endpoint-config-name"] ?? ""].sort(),
    );
    expect(emulator.violations).toEqual([]);
  });

  it("deletes its model when CreateEndpointConfig fails, quotes AWS's reason, and leaves older resources", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    emulator.failNext("CreateEndpointConfig", {
      type: "ResourceLimitExceeded",
      message: "The account-level service limit 'ml.m5.large for endpoint usage' is 2 Instances.",
    });
    // act
    const run = await harness().run(demoDeploy({ image: "fraud:3" }));
    // assess
    expect(run.failure).toMatch(
      /^CreateEndpointConfig 'fraud-scorer-[0-9a-f]{12}' failed: .*service limit/,
    );
    expect(run.log).toMatch(/Cleanup deleted what this run created: model fraud-scorer-/);
    expect(run.outputs["failure-reason"]).toMatch(
      /^CreateEndpointConfig .* failed: .*service limit/,
    );
    const state = emulator.state();
    expect(names(state.models)).toEqual(["legacy-model"]);
    expect(names(state.endpointConfigs)).toEqual(["legacy-config"]);
    expect(state.endpoints).toMatchObject([{ status: "InService", configName: "legacy-config" }]);
  });
});

describe("names the user gives", () => {
  it("refuses a same-named model with other content before any change, suggesting derived names", async () => {
    // prepare
    const { emulator } = harness();
    emulator.seed({
      models: [
        {
          ModelName: "fraud-model",
          PrimaryContainer: { Image: "other:1" },
          ExecutionRoleArn: ROLE,
        },
      ],
    });
    // act
    const run = await harness().run(demoDeploy({ "model-name": "fraud-model" }));
    // assess
    expect(run.failure).toMatch(
      /^model 'fraud-model' already exists with a different image.*Omit the name input/,
    );
    expect(run.outputs["failure-reason"]).toMatch(/already exists with a different image/);
    expect(emulator.mutatingRequests()).toEqual([]);
  });

  it("refuses a same-named endpoint config with other content before any change", async () => {
    // prepare
    const { emulator } = harness();
    const first = await harness().run(
      demoDeploy({ "endpoint-config-name": "fraud-config", "endpoint-name": "fraud-a" }),
    );
    const before = emulator.mutatingRequests().length;
    // act
    const run = await harness().run(
      demoDeploy({
        "endpoint-config-name": "fraud-config",
        "endpoint-name": "fraud-b",
        "initial-instance-count": "3",
      }),
    );
    // assess
    expect(first.failure).toBeUndefined();
    expect(run.failure).toMatch(/^endpoint config 'fraud-config' already exists with a different/);
    expect(emulator.mutatingRequests()).toHaveLength(before);
  });

  it("reuses a same-named model and config with the same content", async () => {
    // prepare
    const { emulator } = harness();
    const first = await harness().run(
      demoDeploy({
        "model-name": "fraud-model",
        "endpoint-config-name": "fraud-config",
        "endpoint-name": "fraud-a",
      }),
    );
    // act
    const second = await harness().run(
      demoDeploy({
        "model-name": "fraud-model",
        "endpoint-config-name": "fraud-config",
        "endpoint-name": "fraud-b",
      }),
    );
    // assess
    expect(first.failure).toBeUndefined();
    expect(second.failure).toBeUndefined();
    expect(second.outputs.operation).toBe("created");
    expect(second.log).not.toMatch(/model fraud-model: created/);
    expect(mutations(emulator).filter((op) => op === "CreateModel")).toHaveLength(1);
  });
});

/** The seed workflow's steps: operation, and the request paths that carry `$inputs.<name>`. */
function seedSteps(): { operationId: string; mapping: [string, string][] }[] {
  const seed = parse(
    readFileSync(join(ROOT, "test/fixtures/deploy-model-to-endpoint.arazzo.yml"), "utf8"),
  );
  const leaves = (value: unknown, path: string[]): [string, string][] => {
    if (typeof value === "string")
      return value.startsWith("$inputs.") ? [[path.join("."), value.slice(8)]] : [];
    if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, String(i)]));
    if (value && typeof value === "object")
      return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
    return [];
  };
  return seed.workflows[0].steps.map(
    (step: { operationId: string; requestBody: { payload: unknown } }) => ({
      operationId: step.operationId,
      mapping: leaves(step.requestBody.payload, []),
    }),
  );
}

function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

describe("conformance with the seed workflow", () => {
  it("sends CreateModel, CreateEndpointConfig, CreateEndpoint, then DescribeEndpoint, each carrying the seed's inputs", async () => {
    // prepare
    const { emulator } = harness();
    const inputs = demoDeploy({
      // Given by digest, the image goes to CreateModel exactly as given (a tag is pinned first).
      image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud@sha256:${"7".repeat(64)}`,
      "model-name": "fraud-model-7",
      "endpoint-config-name": "fraud-config-7",
      "variant-name": "Primary",
      "initial-instance-count": "2",
    });
    const seedToInput = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const steps = seedSteps();
    // act
    const run = await harness().run(inputs);
    // assess
    expect(run.failure).toBeUndefined();
    const seedOps = steps.map((step) => step.operationId);
    const sent = emulator.requests.map((r) => r.operation).filter((op) => seedOps.includes(op));
    const firstCreate = sent.indexOf("CreateModel");
    expect(sent.slice(firstCreate, firstCreate + 4)).toEqual(seedOps);
    const fromFirstCreate = emulator.requests.slice(
      emulator.requests.findIndex((r) => r.operation === "CreateModel"),
    );
    for (const step of steps) {
      const request = fromFirstCreate.find((r) => r.operation === step.operationId);
      for (const [path, seedInput] of step.mapping) {
        const expected = inputs[seedToInput(seedInput)];
        expect(String(at(request?.input, path)), `${step.operationId} ${path}`).toBe(expected);
      }
    }
  });
});
