/**
 * End to end on the bundle (dist/index.js) under Node 24, against the emulator and the ECR, S3,
 * SageMaker Runtime and GitHub doubles: deploying exactly what was built. The image is pinned by
 * digest, and new bytes behind the same inputs (an overwritten object, a re-pushed tag) update the
 * endpoint; Model Registry versions; a smoke test that rolls a bad update back; keep-versions; a
 * GitHub Deployment. The logic behind each is tested in process (test/run-release.test.ts).
 */
import { CreateModelPackageGroupCommand } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type EcrDouble, startEcrDouble } from "../doubles/ecr-api.js";
import { type GithubApiDouble, startGithubApiDouble } from "../doubles/github-api.js";
import { type RuntimeDouble, startRuntimeDouble } from "../doubles/runtime-api.js";
import { type S3Double, startS3Double } from "../doubles/s3-api.js";
import { sageMakerClient } from "../emulator/sdk-client.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { actionRequests } from "../support/action-harness.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { registerPackageVersion } from "../support/model-registry.js";
import { demoInputs, nodeRuntimes, runAction, TEST_GITHUB_TOKEN } from "./run-action.js";

const node24 = nodeRuntimes().at(-1)?.path ?? process.execPath;
const ENDPOINT = "fraud-scorer";
const REPOSITORY = "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud";
const SMOKE = {
  "smoke-test": '{"instances": [[1, 2, 3]]}',
  "smoke-test-expect": '{"label": "ok"}',
};

let emulator: Emulator;
let ecr: EcrDouble;
let s3: S3Double;
let runtime: RuntimeDouble;
let github: GithubApiDouble;
const seen: ReturnType<typeof sageMakerActions> = [];

beforeAll(async () => {
  [emulator, ecr, s3, runtime, github] = await Promise.all([
    startEmulator(),
    startEcrDouble({ accountId: "111122223333" }),
    startS3Double(),
    startRuntimeDouble(),
    startGithubApiDouble({ tokens: [TEST_GITHUB_TOKEN] }),
  ]);
  s3.createBucket("ml-artifacts");
});
afterAll(async () => {
  seen.push(...sageMakerActions(actionRequests(emulator.requests)));
  recordAwsCalls("e2e-release", "action", [
    ...seen,
    ...ecr.iamActions(),
    ...s3.iamActions(),
    ...runtime.iamActions(),
  ]);
  await Promise.all([emulator.close(), ecr.close(), s3.close(), runtime.close(), github.close()]);
});
beforeEach(() => {
  seen.push(...sageMakerActions(actionRequests(emulator.requests)));
  emulator.reset();
  ecr.push("fraud", "0123456", "build 1");
  s3.put("ml-artifacts", "fraud/model.tar.gz", "model v1");
});

function deploy(overrides: Record<string, string> = {}) {
  return runAction({
    inputs: demoInputs(overrides),
    sagemakerUrl: emulator.url,
    ecrUrl: ecr.url,
    s3Url: s3.url,
    runtimeUrl: runtime.url,
    githubUrl: github.url,
    node: node24,
  });
}

/** The model the endpoint serves now. */
function servedModel() {
  const state = emulator.state();
  const endpoint = state.endpoints.find((e) => e.name === ENDPOINT);
  const config = state.endpointConfigs.find((c) => c.name === endpoint?.configName);
  const variants = config?.input.ProductionVariants as { ModelName: string }[] | undefined;
  return state.models.find((m) => m.name === variants?.[0]?.ModelName);
}

describe("content identity", () => {
  it("pins the image by digest, and updates when the object is overwritten or the tag re-pushed", async () => {
    // act
    const first = await deploy();
    s3.put("ml-artifacts", "fraud/model.tar.gz", "model v2, retrained");
    const retrained = await deploy();
    const rebuilt = ecr.push("fraud", "0123456", "build 2");
    const repushed = await deploy();
    // assess
    for (const run of [first, retrained, repushed])
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect([first, retrained, repushed].map((run) => run.outputs.operation)).toEqual([
      "created",
      "updated",
      "updated",
    ]);
    const configs = new Set(
      [first, retrained, repushed].map((r) => r.outputs["endpoint-config-name"]),
    );
    expect(configs.size).toBe(3);
    expect(retrained.outputs["model-data-version"]).not.toBe(first.outputs["model-data-version"]);
    expect(repushed.outputs["image-digest"]).toBe(rebuilt);
    expect(servedModel()?.input).toMatchObject({
      PrimaryContainer: { Image: `${REPOSITORY}@${rebuilt}` },
    });
    expect(emulator.state().endpoints).toMatchObject([
      { name: ENDPOINT, status: "InService", configName: repushed.outputs["endpoint-config-name"] },
    ]);
  });
});

describe("Model Registry", () => {
  it("deploys a group's latest Approved version, refuses a pending one, and deploys it with allow-unapproved", async () => {
    // prepare
    const client = sageMakerClient(emulator.url);
    const group = `fraud-models-${Date.now()}`;
    await client.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: group }));
    const approved = await registerPackageVersion(client, group, "Approved");
    const pending = await registerPackageVersion(client, group, "PendingManualApproval");
    client.destroy();
    const fromPackage = (overrides: Record<string, string>) => {
      const { image: _, "model-data-url": __, ...inputs } = demoInputs();
      return runAction({
        inputs: { ...inputs, ...overrides },
        sagemakerUrl: emulator.url,
        node: node24,
      });
    };
    // act
    const latest = await fromPackage({ "model-package": group });
    const refused = await fromPackage({ "model-package": pending });
    const allowed = await fromPackage({ "model-package": pending, "allow-unapproved": "true" });
    // assess
    expect(latest.exitCode, latest.stdout + latest.stderr).toBe(0);
    expect(latest.outputs["model-package-arn"]).toBe(approved);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(
      /^::error::model-package: .* is PendingManualApproval, not Approved/m,
    );
    expect(allowed.exitCode, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.outputs).toMatchObject({ operation: "updated", "model-package-arn": pending });
    expect(servedModel()?.input).toMatchObject({ Containers: [{ ModelPackageName: pending }] });
  });
});

describe("smoke test", () => {
  it("rolls an update whose new container answers 500 back to the previous config", async () => {
    // prepare
    runtime.answer(ENDPOINT, { status: 200, body: '{"label": "ok"}' });
    const first = await deploy(SMOKE);
    s3.put("ml-artifacts", "fraud/model.tar.gz", "a broken retrain");
    runtime.answer(ENDPOINT, { modelError: { status: 500, message: "worker died" } });
    // act
    const run = await deploy(SMOKE);
    // assess
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const previous = first.outputs["endpoint-config-name"];
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(`^::error::smoke test failed \\(.*500.*\\); rolled back to ${previous}$`, "m"),
    );
    expect(run.outputs["endpoint-status"]).toBe("InService");
    expect(emulator.state().endpoints).toMatchObject([
      { name: ENDPOINT, status: "InService", configName: previous },
    ]);
    expect(emulator.state().endpointConfigs.map((c) => c.name)).toEqual([previous]);
  });
});

describe("keep-versions", () => {
  it("after five deploys, keep-versions 2 leaves the current and one previous model and config", async () => {
    // prepare: four deploys of four retrains
    const runs = [];
    for (let build = 1; build <= 4; build++) {
      s3.put("ml-artifacts", "fraud/model.tar.gz", `model v${build}`);
      runs.push(await deploy());
    }
    s3.put("ml-artifacts", "fraud/model.tar.gz", "model v5");
    // act
    const fifth = await deploy({ "keep-versions": "2" });
    // assess
    expect([...runs, fifth].map((run) => run.exitCode)).toEqual([0, 0, 0, 0, 0]);
    const fourth = runs[3];
    const { endpointConfigs, models } = emulator.state();
    expect(endpointConfigs.map((c) => c.name).sort()).toEqual(
      [fourth?.outputs["endpoint-config-name"], fifth.outputs["endpoint-config-name"]].sort(),
    );
    expect(models.map((m) => m.name).sort()).toEqual(
      [fourth?.outputs["model-name"], fifth.outputs["model-name"]].sort(),
    );
  });
});

describe("GitHub Deployments", () => {
  it("records one Deployment whose last status is success", async () => {
    // prepare
    const before = github.deployments().length;
    // act
    const run = await deploy({ "github-environment": "staging" });
    // assess
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const made = github.deployments().slice(before);
    expect(made).toHaveLength(1);
    expect(made[0]?.statuses.at(-1)).toMatchObject({ state: "success" });
    expect(run.outputs["github-deployment-id"]).toBe(String(made[0]?.id));
    // The runner masks it (add-mask) before anything else is printed; no other line has it.
    const withToken = run.stdout.split("\n").filter((line) => line.includes(TEST_GITHUB_TOKEN));
    expect(withToken).toEqual([`::add-mask::${TEST_GITHUB_TOKEN}`]);
  });
});
