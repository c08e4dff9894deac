/**
 * End to end on the bundle (dist/index.js), run as the runner runs it, against the local
 * SageMaker emulator: a new endpoint under this machine's Node and under Node 24, then (Node 24,
 * the runner's runtime) an update with an unchanged re-run, a rollback, and a cancelled job.
 * Everything else the deploy does is tested in process (test/deploy.test.ts, test/run-*.test.ts);
 * these prove the bundle loads, reads INPUT_* and writes GITHUB_OUTPUT, the summary and signals.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { seedExistingEndpoint } from "./existing-endpoint.js";
import { demoInputs, nodeRuntimes, runAction } from "./run-action.js";

const node24 = nodeRuntimes().at(-1)?.path ?? process.execPath;
const ENDPOINT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer";

let emulator: Emulator;
const seen: ReturnType<typeof sageMakerActions> = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  recordAwsCalls("e2e-deploy", "action", [...seen, ...sageMakerActions(emulator.requests)]);
  await emulator.close();
});
beforeEach(() => {
  seen.push(...sageMakerActions(emulator.requests));
  emulator.reset();
});

function deploy(overrides: Record<string, string> = {}, interrupt?: RegExp) {
  return runAction({
    inputs: demoInputs(overrides),
    sagemakerUrl: emulator.url,
    node: node24,
    ...(interrupt ? { interrupt } : {}),
  });
}

describe.each(nodeRuntimes())("a new endpoint under $label", ({ path: node }) => {
  it("creates model, config and endpoint, waits for InService and writes every output", async () => {
    // prepare
    emulator.setLifecycle("fraud-scorer", { create: { status: "InService", afterMs: 1_500 } });
    // act
    const run = await runAction({ inputs: demoInputs(), sagemakerUrl: emulator.url, node });
    // assess
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
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
    expect(run.stdout).toMatch(/endpoint fraud-scorer: Creating/);
    expect(run.stdout).toMatch(/\[\d+s\] endpoint fraud-scorer: InService/);
    expect(run.summary).toContain(run.outputs["endpoint-arn"]);
    expect(run.summary).toContain(
      "console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/fraud-scorer",
    );
    expect(run.summary).toMatch(/\| \d+s \| Creating \|/);
    expect(emulator.state().endpoints).toMatchObject([
      { name: "fraud-scorer", status: "InService" },
    ]);
  });
});

describe("second deploys (Node 24)", () => {
  it("updates an existing endpoint to a new image, then leaves it unchanged on an identical re-run", async () => {
    // prepare
    const first = await deploy({ image: "fraud:1" });
    emulator.setLifecycle("fraud-scorer", { update: { status: "InService", afterMs: 3_000 } });
    // act
    const second = await deploy({ image: "fraud:2" });
    const mutatingBefore = emulator.mutatingRequests().length;
    const third = await deploy({ image: "fraud:2" });
    // assess
    expect(first.outputs.operation).toBe("created");
    expect(second.exitCode, second.stdout).toBe(0);
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

  it("fails when SageMaker rolls the update back, and removes only this run's config and model", async () => {
    // prepare
    seedExistingEndpoint(emulator);
    emulator.setLifecycle("fraud-scorer", {
      update: {
        status: "RolledBack",
        afterMs: 1_500,
        failureReason: "Alarm fraud-scorer-5xx fired during the canary.",
      },
    });
    // act
    const run = await deploy({ image: "fraud:broken" });
    // assess
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*rolled back.*Alarm fraud-scorer-5xx fired/m);
    expect(run.outputs["failure-reason"]).toMatch(/rolled back/);
    const state = emulator.state();
    expect(state.endpoints).toMatchObject([{ status: "InService", configName: "legacy-config" }]);
    expect(state.models.map((m) => m.name)).toEqual(["legacy-model"]);
    expect(state.endpointConfigs.map((c) => c.name)).toEqual(["legacy-config"]);
    expect(emulator.violations).toEqual([]);
  });
});

describe("a cancelled job (Node 24)", () => {
  it("stops within 2 s of SIGINT during the wait, writing endpoint-arn and the summary, and says what is still provisioning", async () => {
    // prepare
    emulator.setLifecycle("fraud-scorer", { create: { status: "stuck" } });
    // act: SIGINT once the action has logged the endpoint Creating (it then sleeps 5 s)
    const run = await deploy({ "poll-interval": "5s" }, /endpoint fraud-scorer: Creating/);
    // assess
    expect(run.exitAfterInterruptMs).toBeDefined();
    expect(run.exitAfterInterruptMs).toBeLessThan(2_000);
    expect(run.exitCode).toBe(1);
    expect(run.outputs["endpoint-arn"]).toBe(ENDPOINT_ARN);
    expect(run.summary).toContain("Cancelled");
    expect(run.stdout).toMatch(/Received SIGINT: the job was cancelled/);
    expect(run.stdout).toMatch(
      /^::error::The job was cancelled: endpoint 'fraud-scorer' is still Creating/m,
    );
    expect(emulator.state().endpoints).toMatchObject([
      { name: "fraud-scorer", status: "Creating" },
    ]);
    expect(emulator.mutatingRequests().map((r) => r.operation)).toEqual([
      "CreateModel",
      "CreateEndpointConfig",
      "CreateEndpoint",
    ]);
  });
});
