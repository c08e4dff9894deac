/**
 * End to end on the committed bundle (dist/index.js), run as the runner runs it, against the
 * local SageMaker emulator: a new endpoint, under this machine's Node and under Node 24.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { demoInputs, nodeRuntimes, ROOT, runAction } from "./run-action.js";

const HEALTH_CHECK_FAILURE =
  "The primary container for production variant AllTraffic did not pass the ping health check. Please check CloudWatch logs for this endpoint.";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  recordAwsCalls("e2e-deploy", "action", [...seen, ...sageMakerActions(emulator.requests)]);
  await emulator.close();
});
const seen: string[] = [];
beforeEach(() => {
  seen.push(...sageMakerActions(emulator.requests));
  emulator.reset();
});

describe.each(nodeRuntimes())("a new endpoint under $label", ({ path: node }) => {
  it("creates model, config and endpoint, waits for InService and writes every output", async () => {
    emulator.setLifecycle("fraud-scorer", { create: { status: "InService", afterMs: 1_500 } });

    const run = await runAction({ inputs: demoInputs(), sagemakerUrl: emulator.url, node });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      "endpoint-status": "InService",
      "endpoint-arn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer",
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

  it("fails with SageMaker's FailureReason when the endpoint fails, and removes what it created", async () => {
    emulator.setLifecycle("fraud-scorer", {
      create: { status: "Failed", afterMs: 1_000, failureReason: HEALTH_CHECK_FAILURE },
    });

    const run = await runAction({ inputs: demoInputs(), sagemakerUrl: emulator.url, node });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*did not pass the ping health check/m);
    expect(run.outputs["failure-reason"]).toContain(HEALTH_CHECK_FAILURE);
    expect(run.outputs["endpoint-status"]).toBe("Failed");
    expect(emulator.state()).toMatchObject({ models: [], endpointConfigs: [], endpoints: [] });
  });

  it("fails at the deadline saying the endpoint is still provisioning, within timeout + poll + 2 s", async () => {
    emulator.setLifecycle("fraud-scorer", { create: { status: "stuck" } });

    const run = await runAction({
      inputs: demoInputs({ "wait-timeout": "5s", "poll-interval": "1s" }),
      sagemakerUrl: emulator.url,
      node,
    });

    expect(run.exitCode).not.toBe(0);
    expect(run.durationMs).toBeLessThan(5_000 + 1_000 + 2_000);
    expect(run.stdout).toMatch(/^::error::.*still Creating.*console\.aws\.amazon\.com/m);
    expect(run.outputs["endpoint-status"]).toBe("Creating");
    // Still provisioning is not a failure to clean up: everything stays for the endpoint to use.
    expect(emulator.state().endpoints).toMatchObject([
      { name: "fraud-scorer", status: "Creating" },
    ]);
    expect(emulator.state().models).toHaveLength(1);
  });
});

const BAD_INPUTS: [string, Record<string, string>][] = [
  ["endpoint-name", { "endpoint-name": "fraud_scorer" }],
  ["endpoint-name", { "endpoint-name": "-fraud" }],
  ["endpoint-name", { "endpoint-name": "a".repeat(64) }],
  ["endpoint-name", { "endpoint-name": "" }],
  ["image", { image: "" }],
  ["image", { image: "repo/img:tag with space" }],
  ["execution-role-arn", { "execution-role-arn": "SageMakerExecution" }],
  ["execution-role-arn", { "execution-role-arn": "arn:aws:iam::12345:role/x" }],
  ["model-data-url", { "model-data-url": "ftp://bucket/model.tar.gz" }],
  ["model-name", { "model-name": "model.v2" }],
  ["endpoint-config-name", { "endpoint-config-name": "config/1" }],
  ["variant-name", { "variant-name": "all traffic" }],
  ["initial-instance-count", { "initial-instance-count": "0" }],
  ["initial-instance-count", { "initial-instance-count": "two" }],
  ["instance-type", { "instance-type": "m5.large" }],
  ["instance-type", { "instance-type": "" }],
  ["region", { region: "mars-1" }],
  ["wait-timeout", { "wait-timeout": "soon" }],
  ["poll-interval", { "poll-interval": "10m" }],
  ["poll-interval", { "poll-interval": "0s" }],
  ["wait", { wait: "yes" }],
  ["cleanup-on-failure", { "cleanup-on-failure": "maybe" }],
  ["environment", { environment: "NOT A PAIR" }],
  ["tags", { tags: "aws:owner=me" }],
  [
    "serverless-memory-size",
    { "instance-type": "", "serverless-memory-size": "1500", "serverless-max-concurrency": "5" },
  ],
  [
    "serverless-max-concurrency",
    { "instance-type": "", "serverless-memory-size": "2048", "serverless-max-concurrency": "500" },
  ],
  ["deployment-config", { "deployment-config": "{not json" }],
  [
    "deployment-config",
    {
      "deployment-config":
        '{"BlueGreenUpdatePolicy":{"TrafficRoutingConfiguration":{"Type":"SOMETIMES"}}}',
    },
  ],
  ["handoff-workflow", { "handoff-function": "sagemaker-deploy-companion" }],
  ["handoff-function", { "handoff-function": "bad function!", "handoff-workflow": "status.yml" }],
];

describe("bad inputs (Node 24, the runner's runtime)", () => {
  const node = nodeRuntimes().at(-1)?.path;

  it.each(BAD_INPUTS)("rejects a bad %s before any API call", async (input, overrides) => {
    const run = await runAction({
      inputs: demoInputs(overrides),
      sagemakerUrl: emulator.url,
      ...(node ? { node } : {}),
    });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^::error::.*${input}:`, "m"));
    expect(emulator.requests).toEqual([]);
  });

  it("reports every bad input at once", async () => {
    const run = await runAction({
      inputs: demoInputs({
        "endpoint-name": "bad_name",
        "instance-type": "large",
        "wait-timeout": "forever",
      }),
      sagemakerUrl: emulator.url,
    });

    expect(run.stdout).toMatch(/3 invalid inputs; nothing was created/);
    for (const input of ["endpoint-name:", "instance-type:", "wait-timeout:"])
      expect(run.stdout).toContain(input);
    expect(emulator.requests).toEqual([]);
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
    const inputs = demoInputs({
      "model-name": "fraud-model-7",
      "endpoint-config-name": "fraud-config-7",
      "variant-name": "Primary",
      "initial-instance-count": "2",
    });
    const seedToInput = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const steps = seedSteps();

    const run = await runAction({ inputs, sagemakerUrl: emulator.url });

    expect(run.exitCode).toBe(0);
    const seedOps = steps.map((step) => step.operationId);
    const sent = emulator.requests.map((r) => r.operation).filter((op) => seedOps.includes(op));
    const firstCreate = sent.indexOf("CreateModel");
    expect(sent.slice(firstCreate, firstCreate + 4)).toEqual(seedOps);
    for (const step of steps) {
      const request = emulator.requests.find(
        (r) =>
          r.operation === step.operationId && r.time >= (emulator.requests[firstCreate]?.time ?? 0),
      );
      for (const [path, seedInput] of step.mapping) {
        const expected = inputs[seedToInput(seedInput)];
        expect(String(at(request?.input, path)), `${step.operationId} ${path}`).toBe(expected);
      }
    }
  });
});
