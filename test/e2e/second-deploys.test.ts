/**
 * End to end on dist/index.js under Node 24 (the runner's runtime): the second deploy and the
 * bad days — update, unchanged re-run, rollback, a failed create, a failing call, conflicts,
 * busy and Failed endpoints, cancellation, serverless, tags. Assertions look at what exists
 * in the emulator afterwards, not only at exit codes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { ROLE, seedExistingEndpoint } from "./existing-endpoint.js";
import { demoInputs, nodeRuntimes, runAction } from "./run-action.js";

const node = nodeRuntimes().at(-1)?.path ?? process.execPath;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  recordAwsCalls("e2e-second-deploys", "action", [...seen, ...sageMakerActions(emulator.requests)]);
  await emulator.close();
});
const seen: string[] = [];
beforeEach(() => {
  seen.push(...sageMakerActions(emulator.requests));
  emulator.reset();
});

function deploy(overrides: Record<string, string> = {}, extra: { interruptAfterMs?: number } = {}) {
  return runAction({ inputs: demoInputs(overrides), sagemakerUrl: emulator.url, node, ...extra });
}

const names = (items: { name: string }[]) => items.map((item) => item.name).sort();

describe("second deploys", () => {
  it("updates an existing endpoint to a new image, then leaves it unchanged on an identical re-run", async () => {
    const first = await deploy({ image: "fraud:1" });
    emulator.setLifecycle("fraud-scorer", { update: { status: "InService", afterMs: 1_000 } });

    const second = await deploy({ image: "fraud:2" });
    const mutatingBefore = emulator.mutatingRequests().length;
    const third = await deploy({ image: "fraud:2" });

    expect(first.outputs.operation).toBe("created");
    expect(second.exitCode).toBe(0);
    expect(second.outputs).toMatchObject({ operation: "updated", "endpoint-status": "InService" });
    expect(second.outputs["endpoint-config-name"]).not.toBe(first.outputs["endpoint-config-name"]);
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: second.outputs["endpoint-config-name"] },
    ]);
    expect(second.stdout).toMatch(/Updating/);
    expect(third.exitCode).toBe(0);
    expect(third.outputs).toMatchObject({ operation: "unchanged", "endpoint-status": "InService" });
    expect(emulator.mutatingRequests()).toHaveLength(mutatingBefore);
    expect(emulator.violations).toEqual([]);
  });

  it("passes deployment-config to UpdateEndpoint", async () => {
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

    const run = await deploy({ "deployment-config": JSON.stringify(deploymentConfig) });

    expect(run.exitCode).toBe(0);
    const update = emulator.requests.find((r) => r.operation === "UpdateEndpoint");
    expect(update?.input.DeploymentConfig).toEqual(deploymentConfig);
  });

  it("fails when SageMaker rolls the update back, and removes only this run's config and model", async () => {
    seedExistingEndpoint(emulator);
    emulator.setLifecycle("fraud-scorer", {
      update: {
        status: "RolledBack",
        afterMs: 1_500,
        failureReason: "Alarm fraud-scorer-5xx fired during the canary.",
      },
    });

    const run = await deploy({ image: "fraud:broken" });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*rolled back.*Alarm fraud-scorer-5xx fired/m);
    expect(run.outputs["failure-reason"]).toMatch(/rolled back/);
    const state = emulator.state();
    expect(state.endpoints).toMatchObject([{ status: "InService", configName: "legacy-config" }]);
    expect(names(state.models)).toEqual(["legacy-model"]);
    expect(names(state.endpointConfigs)).toEqual(["legacy-config"]);
    expect(emulator.violations).toEqual([]);
  });

  it("deletes its model when CreateEndpointConfig fails, quotes AWS's reason, and leaves older resources", async () => {
    seedExistingEndpoint(emulator);
    emulator.failNext("CreateEndpointConfig", {
      type: "ResourceLimitExceeded",
      message: "The account-level service limit 'ml.m5.large for endpoint usage' is 2 Instances.",
    });

    const run = await deploy({ image: "fraud:3" });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::CreateEndpointConfig 'fraud-scorer-[0-9a-f]{12}' failed: .*service limit/m,
    );
    expect(run.stdout).toMatch(/Cleanup deleted what this run created: model fraud-scorer-/);
    expect(run.outputs["failure-reason"]).toMatch(
      /^CreateEndpointConfig .* failed: .*service limit/,
    );
    const state = emulator.state();
    expect(names(state.models)).toEqual(["legacy-model"]);
    expect(names(state.endpointConfigs)).toEqual(["legacy-config"]);
    expect(state.endpoints).toMatchObject([{ status: "InService", configName: "legacy-config" }]);
  });

  it("reports a failed create first, then deletes the endpoint, config and model it created", async () => {
    emulator.setLifecycle("fraud-scorer", {
      create: { status: "Failed", afterMs: 500, failureReason: "Image fraud:9 not found." },
    });

    const run = await deploy();

    expect(run.exitCode).toBe(1);
    const reported = run.stdout.indexOf("Failed (Image fraud:9 not found.)");
    const cleaned = run.stdout.indexOf(
      "Cleanup deleted what this run created: endpoint fraud-scorer",
    );
    expect(reported).toBeGreaterThan(-1);
    expect(cleaned).toBeGreaterThan(reported);
    expect(emulator.state()).toMatchObject({ models: [], endpointConfigs: [], endpoints: [] });
    expect(run.summary).toMatch(/Cleanup deleted: endpoint fraud-scorer/);
    expect(emulator.violations).toEqual([]);
  });

  it("with cleanup-on-failure false, keeps everything and says what was left", async () => {
    emulator.setLifecycle("fraud-scorer", {
      create: { status: "Failed", afterMs: 200, failureReason: "Bad image." },
    });

    const run = await deploy({ "cleanup-on-failure": "false" });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /Left in place: endpoint fraud-scorer, endpoint config fraud-scorer-\w+, model fraud-scorer-\w+/,
    );
    expect(emulator.state().endpoints).toHaveLength(1);
    expect(emulator.state().models).toHaveLength(1);
  });
});

describe("starting states", () => {
  it("refuses a Failed endpoint with what to do, and changes nothing", async () => {
    seedExistingEndpoint(emulator, { status: "Failed", failureReason: "Out of capacity." });

    const run = await deploy();

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::Endpoint 'fraud-scorer' is Failed \(Out of capacity\.\)\. A Failed endpoint cannot be updated: delete it/m,
    );
    expect(emulator.mutatingRequests()).toEqual([]);
  });

  it("waits for an endpoint someone else is updating, then updates it", async () => {
    emulator.setLifecycle("fraud-scorer", { update: { status: "InService", afterMs: 1_500 } });
    seedExistingEndpoint(emulator, { status: "Updating" });

    const run = await deploy();

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/is Updating; waiting for that operation to finish/);
    expect(run.outputs.operation).toBe("updated");
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: run.outputs["endpoint-config-name"] },
    ]);
  });

  it("refuses a same-named model with other content before any change, suggesting derived names", async () => {
    emulator.seed({
      models: [
        {
          ModelName: "fraud-model",
          PrimaryContainer: { Image: "other:1" },
          ExecutionRoleArn: ROLE,
        },
      ],
    });

    const run = await deploy({ "model-name": "fraud-model" });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::model 'fraud-model' already exists with a different image.*Omit the name input/m,
    );
    expect(emulator.mutatingRequests()).toEqual([]);
  });

  it("reuses a same-named model and config with the same content", async () => {
    const first = await deploy({
      "model-name": "fraud-model",
      "endpoint-config-name": "fraud-config",
      "endpoint-name": "fraud-a",
    });

    const second = await deploy({
      "model-name": "fraud-model",
      "endpoint-config-name": "fraud-config",
      "endpoint-name": "fraud-b",
    });

    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    expect(second.outputs.operation).toBe("created");
    expect(second.stdout).not.toMatch(/model fraud-model: created/);
    expect(emulator.mutatingRequests().filter((r) => r.operation === "CreateModel")).toHaveLength(
      1,
    );
  });
});

describe("cancellation, serverless and tags", () => {
  it("stops within 2 s of SIGINT, writing endpoint-arn and the summary, and says what is still provisioning", async () => {
    emulator.setLifecycle("fraud-scorer", { create: { status: "stuck" } });

    const run = await deploy({ "poll-interval": "5s" }, { interruptAfterMs: 2_000 });

    expect(run.exitAfterInterruptMs).toBeLessThan(2_000);
    expect(run.outputs["endpoint-arn"]).toBe(
      "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer",
    );
    expect(run.summary).toContain("Cancelled");
    expect(run.stdout).toMatch(/cancelled.*still Creating/i);
    expect(emulator.state().endpoints).toHaveLength(1);
  });

  it("deploys a serverless variant", async () => {
    const run = await deploy({
      "instance-type": "",
      "serverless-memory-size": "2048",
      "serverless-max-concurrency": "5",
    });

    expect(run.exitCode).toBe(0);
    const config = emulator.state().endpointConfigs[0]?.input as { ProductionVariants: unknown[] };
    expect(config.ProductionVariants).toEqual([
      {
        VariantName: "AllTraffic",
        ModelName: run.outputs["model-name"],
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
      },
    ]);
  });

  it("tags model, config and endpoint with the user's tags and the run's provenance", async () => {
    const run = await deploy({
      tags: "team=fraud\ncost-center=ml-42",
      environment: "LOG_LEVEL=debug",
    });

    expect(run.exitCode).toBe(0);
    const state = emulator.state();
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
