/**
 * Deploying exactly what was built, in process (`run()` against the emulator on a fake clock, and
 * the ECR, S3, SageMaker Runtime and GitHub doubles): the image pinned by digest and the model
 * data's version in the model's name, Model Registry versions, the smoke test that rolls an update
 * back, keep-versions, and GitHub Deployments.
 */
import type { ModelApprovalStatus } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubApiDouble, startGithubApiDouble } from "./doubles/github-api.js";
import { TEST_GITHUB_TOKEN } from "./e2e/run-action.js";
import { sageMakerClient } from "./emulator/sdk-client.js";
import {
  DEMO_IMAGE,
  DEMO_MODEL_DATA,
  demoDeploy,
  ENDPOINT,
  mutations,
  names,
  useActionHarness,
} from "./support/action-harness.js";
import { createPackageGroup, registerPackageVersion } from "./support/model-registry.js";

const harness = useActionHarness("run-release");

const REPOSITORY = `${DEMO_IMAGE.account}.dkr.ecr.us-east-1.amazonaws.com/${DEMO_IMAGE.repository}`;
const ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";
const SMOKE = {
  "smoke-test": '{"instances": [[1, 2, 3]]}',
  "smoke-test-expect": '{"label": "ok"}',
};

/** The model the endpoint serves now, as the emulator holds it. */
function servedModel() {
  const state = harness().emulator.state();
  const endpoint = state.endpoints.find((e) => e.name === ENDPOINT);
  const config = state.endpointConfigs.find((c) => c.name === endpoint?.configName);
  const variants = config?.input.ProductionVariants as { ModelName: string }[] | undefined;
  return state.models.find((m) => m.name === variants?.[0]?.ModelName);
}

describe("content identity", () => {
  it("creates the model with the image pinned by digest, and outputs the digest and the data's ETag", async () => {
    // prepare
    const digest = harness().ecr.push(DEMO_IMAGE.repository, DEMO_IMAGE.tag, "build 1");
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs["image-digest"]).toBe(digest);
    expect(run.outputs["model-data-version"]).toMatch(/^[0-9a-f]{32}$/);
    expect(servedModel()?.input).toMatchObject({
      PrimaryContainer: { Image: `${REPOSITORY}@${digest}`, ModelDataUrl: DEMO_MODEL_DATA.url },
    });
    expect(servedModel()?.tags).toMatchObject({ "sagemaker-deploy:image-digest": digest });
    expect(run.summary).toMatch(new RegExp(`- Image: .*fraud&#64;${digest} &#40;tag 0123456&#41;`));
  });

  it("updates to a new model and config when the S3 object is overwritten under the same URL", async () => {
    // prepare
    const first = await harness().run(demoDeploy());
    harness().s3.put(DEMO_MODEL_DATA.bucket, DEMO_MODEL_DATA.key, "model v2, retrained");
    // act
    const second = await harness().run(demoDeploy());
    // assess
    expect(second.failure).toBeUndefined();
    expect(second.outputs.operation).toBe("updated");
    expect(second.outputs["endpoint-config-name"]).not.toBe(first.outputs["endpoint-config-name"]);
    expect(second.outputs["model-name"]).not.toBe(first.outputs["model-name"]);
    expect(second.outputs["model-data-version"]).not.toBe(first.outputs["model-data-version"]);
    expect(harness().emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: second.outputs["endpoint-config-name"] },
    ]);
  });

  it("updates when a new image is pushed under the same tag, and leaves it unchanged after", async () => {
    // prepare
    const first = await harness().run(demoDeploy());
    const pushed = harness().ecr.push(DEMO_IMAGE.repository, DEMO_IMAGE.tag, "rebuilt");
    // act
    const second = await harness().run(demoDeploy());
    const third = await harness().run(demoDeploy());
    // assess
    expect(first.outputs["image-digest"]).not.toBe(pushed);
    expect(second.outputs).toMatchObject({ operation: "updated", "image-digest": pushed });
    expect(servedModel()?.input).toMatchObject({
      PrimaryContainer: { Image: `${REPOSITORY}@${pushed}` },
    });
    expect(third.outputs.operation).toBe("unchanged");
  });

  it.each<{ what: string; inputs: Record<string, string>; message: RegExp }>([
    {
      what: "an image tag ECR does not hold",
      inputs: { image: `${REPOSITORY}:not-pushed` },
      message: /image '.*fraud:not-pushed' was not found in ECR.*Nothing was created/,
    },
    {
      what: "model data that does not exist",
      inputs: { "model-data-url": "s3://ml-artifacts/fraud/missing.tar.gz" },
      message: /model data 's3:\/\/ml-artifacts\/fraud\/missing.tar.gz' does not exist/,
    },
  ])("refuses $what before any SageMaker call", async ({ inputs, message }) => {
    // act
    const run = await harness().run(demoDeploy(inputs));
    // assess
    expect(run.failure).toMatch(message);
    expect(run.outputs["failure-reason"]).toMatch(message);
    expect(harness().emulator.requests).toEqual([]);
  });

  it("fingerprints a model data prefix, so a new file under it updates the endpoint", async () => {
    // prepare
    const { s3 } = harness();
    s3.put(DEMO_MODEL_DATA.bucket, "fraud/v/model.pt", "weights");
    s3.put(DEMO_MODEL_DATA.bucket, "fraud/v/code/inference.py", "code");
    const inputs = demoDeploy({ "model-data-url": "s3://ml-artifacts/fraud/v/" });
    const first = await harness().run(inputs);
    s3.put(DEMO_MODEL_DATA.bucket, "fraud/v/tokenizer.json", "{}");
    // act
    const second = await harness().run(inputs);
    // assess
    expect(first.outputs["model-data-version"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.outputs.operation).toBe("updated");
    expect(second.outputs["model-data-version"]).not.toBe(first.outputs["model-data-version"]);
    expect(second.summary).toContain("3 objects");
  });

  it("uses an image from another registry as given, warning that only a digest pins it", async () => {
    // act
    const run = await harness().run(demoDeploy({ image: "ghcr.io/octo-org/fraud:1" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(servedModel()?.input).toMatchObject({
      PrimaryContainer: { Image: "ghcr.io/octo-org/fraud:1" },
    });
    expect(run.lines).toContainEqual({
      level: "warning",
      text: expect.stringContaining("only a digest (image@sha256:…) pins"),
    });
    expect(run.outputs["image-digest"]).toBeUndefined();
  });
});

describe("Model Registry", () => {
  const packageDeploy = (overrides: Record<string, string> = {}) => {
    const { image: _, "model-data-url": __, ...inputs } = demoDeploy();
    return { ...inputs, ...overrides };
  };

  /** Runs `work` with an SDK client on the emulator, as a model build pipeline would. */
  async function withClient<T>(work: (client: ReturnType<typeof sageMakerClient>) => Promise<T>) {
    const client = sageMakerClient(harness().emulator.url);
    try {
      return await work(client);
    } finally {
      client.destroy();
    }
  }

  /** Registers one version per approval status in `group` (created first if `create`). */
  const register = (group: string, approvals: readonly ModelApprovalStatus[], create = true) =>
    withClient(async (client) => {
      if (create) await createPackageGroup(client, group);
      const arns: string[] = [];
      for (const approval of approvals)
        arns.push(await registerPackageVersion(client, group, approval));
      return arns;
    });

  it("deploys the latest Approved version of a group, named by it", async () => {
    // prepare
    const [, second] = await register("fraud-scorer-models", [
      "Approved",
      "Approved",
      "PendingManualApproval",
    ]);
    // act
    const run = await harness().run(packageDeploy({ "model-package": "fraud-scorer-models" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs["model-package-arn"]).toBe(second);
    expect(run.outputs["image-digest"]).toMatch(/^sha256:/);
    expect(servedModel()?.input).toMatchObject({
      Containers: [{ ModelPackageName: second }],
      ExecutionRoleArn: ROLE,
    });
    expect(servedModel()?.tags["sagemaker-deploy:model-package"]).toBe(second);
  });

  it("refuses a PendingManualApproval version before any change, and deploys it with allow-unapproved", async () => {
    // prepare
    const [pending] = await register("fraud-candidates", ["PendingManualApproval"]);
    const registered = mutations(harness().emulator).length;
    // act
    const refused = await harness().run(packageDeploy({ "model-package": pending ?? "" }));
    const refusedMutations = mutations(harness().emulator).slice(registered);
    const allowed = await harness().run(
      packageDeploy({ "model-package": pending ?? "", "allow-unapproved": "true" }),
    );
    // assess
    expect(refused.failure).toMatch(/is PendingManualApproval, not Approved.*allow-unapproved/);
    expect(refusedMutations).toEqual([]);
    expect(allowed.failure).toBeUndefined();
    expect(allowed.outputs).toMatchObject({ operation: "created", "model-package-arn": pending });
    expect(allowed.lines).toContainEqual({
      level: "warning",
      text: expect.stringContaining("which is PendingManualApproval (allow-unapproved is true)"),
    });
  });

  it("updates the endpoint when the group's latest Approved version changes", async () => {
    // prepare
    const [first] = await register("fraud-releases", ["Approved"]);
    const before = await harness().run(packageDeploy({ "model-package": "fraud-releases" }));
    const [next] = await register("fraud-releases", ["Approved"], false);
    // act
    const after = await harness().run(packageDeploy({ "model-package": "fraud-releases" }));
    // assess
    expect(before.outputs["model-package-arn"]).toBe(first);
    expect(after.outputs).toMatchObject({ operation: "updated", "model-package-arn": next });
    expect(after.outputs["model-name"]).not.toBe(before.outputs["model-name"]);
  });
});

describe("smoke test", () => {
  it("passes a new endpoint that answers as expected", async () => {
    // prepare
    harness().runtime.answer(ENDPOINT, { status: 200, body: '{"label": "ok", "score": 0.1}' });
    // act
    const run = await harness().run(demoDeploy(SMOKE));
    // assess
    expect(run.failure).toBeUndefined();
    expect(harness().runtime.invocations).toMatchObject([
      { endpointName: ENDPOINT, body: SMOKE["smoke-test"], contentType: "application/json" },
    ]);
    expect(run.summary).toContain("Smoke test passed");
  });

  it("rolls an update whose new container answers 500 back to the previous config, and fails naming the smoke test", async () => {
    // prepare
    const { emulator, runtime, s3 } = harness();
    runtime.answer(ENDPOINT, { status: 200, body: '{"label": "ok"}' });
    const first = await harness().run(demoDeploy(SMOKE));
    s3.put(DEMO_MODEL_DATA.bucket, DEMO_MODEL_DATA.key, "a broken retrain");
    runtime.answer(ENDPOINT, { modelError: { status: 500, message: "worker died" } });
    // act
    const run = await harness().run(demoDeploy(SMOKE));
    // assess
    const previous = first.outputs["endpoint-config-name"];
    expect(run.failCalls).toBe(1);
    expect(run.failure).toMatch(/^smoke test failed \(.*500.*worker died.*\); rolled back to /);
    expect(run.failure).toContain(`rolled back to ${previous}`);
    expect(run.outputs["endpoint-status"]).toBe("InService");
    expect(emulator.state().endpoints).toMatchObject([
      { name: ENDPOINT, status: "InService", configName: previous },
    ]);
    // This run's config and model are gone (two agreeing reads); the previous pair stays.
    expect(names(emulator.state().endpointConfigs)).toEqual([previous]);
    expect(names(emulator.state().models)).toEqual([first.outputs["model-name"]]);
    expect(run.summary).toContain(
      `Cleanup deleted: endpoint config ${run.outputs["endpoint-config-name"]}`,
    );
  });
});

describe("smoke test of an unchanged endpoint", () => {
  it("tests it again, and a failure changes nothing", async () => {
    // prepare
    const { emulator, runtime } = harness();
    runtime.answer(ENDPOINT, { status: 200, body: '{"label": "ok"}' });
    await harness().run(demoDeploy(SMOKE));
    runtime.answer(ENDPOINT, { status: 200, body: '{"label": "fraud"}' });
    const before = mutations(emulator).length;
    // act
    const run = await harness().run(demoDeploy(SMOKE));
    // assess
    expect(run.outputs.operation).toBe("unchanged");
    expect(run.failure).toMatch(
      /^smoke test failed \(.*smoke-test-expect at \$\.label: expected "ok", got "fraud"\); the endpoint already ran .*, so nothing was changed$/,
    );
    expect(mutations(emulator).slice(before)).toEqual([]);
  });
});

describe("release inputs that cannot work together", () => {
  it.each<{ inputs: Record<string, string>; problem: string }>([
    {
      inputs: { ...SMOKE, wait: "false" },
      problem: "smoke-test: not used with wait: false",
    },
    {
      inputs: { "model-package": "fraud-scorer-models" },
      problem: "image: not used with model-package",
    },
    {
      inputs: { "allow-unapproved": "true" },
      problem: "allow-unapproved: only used with model-package",
    },
  ])("refuses $problem before any call", async ({ inputs, problem }) => {
    // act
    const run = await harness().run(demoDeploy(inputs));
    // assess
    expect(run.failure).toContain(problem);
    expect(harness().emulator.requests).toEqual([]);
    expect(harness().ecr.calls).toEqual([]);
  });
});

describe("keep-versions", () => {
  it("after five deploys with keep-versions 2 leaves the current and one previous model and config", async () => {
    // prepare
    const runs = [];
    // act
    for (let build = 1; build <= 5; build++) {
      harness().s3.put(DEMO_MODEL_DATA.bucket, DEMO_MODEL_DATA.key, `model v${build}`);
      runs.push(await harness().run(demoDeploy({ "keep-versions": "2" })));
    }
    // assess
    const [fourth, fifth] = runs.slice(3);
    expect(runs.map((run) => run.failure)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const { endpointConfigs, models } = harness().emulator.state();
    expect(names(endpointConfigs)).toEqual(
      [fourth?.outputs["endpoint-config-name"], fifth?.outputs["endpoint-config-name"]].sort(),
    );
    expect(names(models)).toEqual(
      [fourth?.outputs["model-name"], fifth?.outputs["model-name"]].sort(),
    );
    expect(fifth?.summary).toContain("keep-versions 2 deleted older versions");
  });
});

describe("GitHub Deployments", () => {
  let github: GithubApiDouble;
  beforeAll(async () => {
    github = await startGithubApiDouble({ tokens: [TEST_GITHUB_TOKEN] });
  });
  afterAll(() => github.close());
  const env = () => ({ GITHUB_API_URL: github.url });
  const last = <T>(items: readonly T[]) => items[items.length - 1];

  it("records one Deployment of the commit, in_progress then success, and outputs its id", async () => {
    // prepare
    const before = github.deployments().length;
    // act
    const run = await harness().run(demoDeploy({ "github-environment": "staging" }), {
      env: env(),
    });
    // assess
    expect(run.failure).toBeUndefined();
    const made = github.deployments().slice(before);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      environment: "staging",
      ref: "0123456789abcdef0123456789abcdef01234567",
    });
    expect(made[0]?.statuses.map((s) => s.state)).toEqual(["in_progress", "success"]);
    expect(last(made[0]?.statuses ?? [])).toMatchObject({
      environment_url: expect.stringContaining("#/endpoints/fraud-scorer"),
      log_url: "https://github.com/octo-org/fraud-models/actions/runs/4242",
    });
    expect(run.outputs["github-deployment-id"]).toBe(String(made[0]?.id));
    expect(github.requests.filter((r) => r.problems.length > 0)).toEqual([]);
  });

  it("sets failure when the deploy fails", async () => {
    // prepare
    const before = github.deployments().length;
    harness().emulator.setLifecycle(ENDPOINT, {
      create: { status: "Failed", afterMs: 60_000, failureReason: "health check failed" },
    });
    // act
    const run = await harness().run(demoDeploy({ "github-environment": "staging" }), {
      env: env(),
    });
    // assess
    expect(run.failure).toMatch(/health check failed/);
    const [made] = github.deployments().slice(before);
    expect(last(made?.statuses ?? [])).toMatchObject({ state: "failure" });
    expect(String(last(made?.statuses ?? [])?.description).length).toBeLessThanOrEqual(140);
  });

  it("leaves a handed-off Deployment in_progress and gives its id to the companion", async () => {
    // prepare
    const before = github.deployments().length;
    harness().emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 30 * 60_000 },
    });
    // act
    const run = await harness().run(
      demoDeploy({
        "github-environment": "staging",
        "wait-timeout": "1m",
        "handoff-function": "sagemaker-deploy-companion",
        "handoff-workflow": "sagemaker-deploy-status.yml",
      }),
      { env: env() },
    );
    // assess
    expect(run.failure).toBeUndefined();
    const [made] = github.deployments().slice(before);
    expect(made?.statuses.map((s) => s.state)).toEqual(["in_progress"]);
    expect(run.handoffs[0]?.payload.source.githubDeploymentId).toBe(String(made?.id));
  });

  it("records nothing on a dry run", async () => {
    // prepare
    const before = github.requests.length;
    // act
    const run = await harness().run(
      demoDeploy({ "github-environment": "staging", "dry-run": "true" }),
      { env: env() },
    );
    // assess
    expect(run.failure).toBeUndefined();
    expect(github.requests.length).toBe(before);
  });

  it("deploys anyway when GitHub refuses the token, with a warning", async () => {
    // act
    const run = await harness().run(
      demoDeploy({ "github-environment": "staging", "github-token": "ghs_other" }),
      { env: env() },
    );
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs["github-deployment-id"]).toBeUndefined();
    expect(run.lines).toContainEqual({
      level: "warning",
      text: expect.stringContaining("Could not record a GitHub deployment"),
    });
  });
});
