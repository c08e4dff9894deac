import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/inputs.js";
import { InputError } from "../../src/shared/errors.js";
import { loadSpecDocument, type SpecDocument } from "../../src/spec/load-spec.js";
import { ROLE, SERVERLESS_SPEC, SHADOW_SPEC, WEIGHTED_SPEC } from "./specs.js";

type Inputs = Record<string, string>;

/** The inputs a workflow step gives, with action.yml's defaults as the runner passes them. */
const DEFAULTS: Inputs = {
  "endpoint-name": "churn-model",
  "variant-name": "AllTraffic",
  "initial-instance-count": "1",
  region: "us-east-1",
};

const asDocument = (value: unknown): SpecDocument => ({ ok: true, value, source: "inline" });

function read(inputs: Inputs, spec: unknown) {
  return readConfig((name) => ({ ...DEFAULTS, ...inputs })[name] ?? "", {}, asDocument(spec));
}

function problemsOf(inputs: Inputs, spec: unknown): string[] {
  try {
    read(inputs, spec);
  } catch (error) {
    if (error instanceof InputError) return [...error.problems];
    throw error;
  }
  return [];
}

const clone = <T>(value: T): T => structuredClone(value) as T;

/** WEIGHTED_SPEC with one member of one production variant replaced. */
function withVariant(index: number, member: string, value: unknown): unknown {
  const spec = clone(WEIGHTED_SPEC) as unknown as {
    "endpoint-config": { ProductionVariants: Record<string, unknown>[] };
  };
  const variant = spec["endpoint-config"].ProductionVariants[index];
  if (variant) variant[member] = value;
  return spec;
}

describe("the spec input", () => {
  it("takes the whole endpoint surface, with the simple inputs filling what it leaves out", () => {
    const config = read({ "execution-role-arn": ROLE }, WEIGHTED_SPEC);

    expect(config.spec?.model).toMatchObject({
      ExecutionRoleArn: ROLE,
      EnableNetworkIsolation: true,
    });
    expect(config.spec?.endpointConfig).toMatchObject({
      KmsKeyId: WEIGHTED_SPEC["endpoint-config"].KmsKeyId,
      DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 20 },
      ProductionVariants: [
        { VariantName: "Current", InitialVariantWeight: 0.9, VolumeSizeInGB: 64 },
        { VariantName: "Candidate", InitialVariantWeight: 0.1 },
      ],
    });
  });

  it("needs neither image nor instance-type when the spec gives them", () => {
    expect(problemsOf({ "execution-role-arn": ROLE }, SHADOW_SPEC)).toEqual([]);
  });

  it("gives a serverless spec variant no instance count from action.yml's default", () => {
    const serverless = clone(SERVERLESS_SPEC);
    const config = read({ "execution-role-arn": ROLE }, serverless);
    expect(config.spec?.endpointConfig.ProductionVariants?.[0]).toEqual(
      serverless["endpoint-config"].ProductionVariants[0],
    );
    expect(
      problemsOf({ "execution-role-arn": ROLE, "initial-instance-count": "2" }, serverless),
    ).toEqual([expect.stringMatching(/takes no InitialInstanceCount/)]);
  });

  it.each<{ what: string; inputs: Inputs; spec: unknown; problem: RegExp }>([
    {
      what: "a member set twice",
      inputs: { "execution-role-arn": ROLE, image: "other:1" },
      spec: WEIGHTED_SPEC,
      problem: /^image: set twice, by the input and by spec\.model\.PrimaryContainer\.Image/,
    },
    {
      what: "a variant input beside several spec variants",
      inputs: { "execution-role-arn": ROLE, "instance-type": "ml.c5.large" },
      spec: WEIGHTED_SPEC,
      problem:
        /^instance-type: not used when spec\.endpoint-config\.ProductionVariants has 2 variants/,
    },
    {
      what: "a mistyped instance type",
      inputs: { "execution-role-arn": ROLE },
      spec: withVariant(1, "InstanceType", "ml.m5.larg"),
      problem:
        /^spec\.endpoint-config\.ProductionVariants\[1\]\.InstanceType: "ml\.m5\.larg" is not a SageMaker instance type; did you mean "ml\.m5\.large"\?/,
    },
    {
      what: "a negative weight",
      inputs: { "execution-role-arn": ROLE },
      spec: withVariant(0, "InitialVariantWeight", -0.5),
      problem: /^spec\.endpoint-config\.ProductionVariants\[0\]\.InitialVariantWeight: /,
    },
    {
      what: "an unknown member",
      inputs: { "execution-role-arn": ROLE },
      spec: {
        ...clone(WEIGHTED_SPEC),
        model: { ...clone(WEIGHTED_SPEC.model), EnableNetworkIsolaton: true },
      },
      problem:
        /^spec\.model\.EnableNetworkIsolaton: unknown member; did you mean "EnableNetworkIsolation"\?/,
    },
    {
      what: "a volume of 600000 GB",
      inputs: { "execution-role-arn": ROLE },
      spec: withVariant(0, "VolumeSizeInGB", 600_000),
      problem: /^spec\.endpoint-config\.ProductionVariants\[0\]\.VolumeSizeInGB: /,
    },
    {
      what: "a shadow variant beside two production variants",
      inputs: { "execution-role-arn": ROLE },
      spec: {
        ...clone(WEIGHTED_SPEC),
        "endpoint-config": {
          ...clone(WEIGHTED_SPEC["endpoint-config"]),
          ShadowProductionVariants: SHADOW_SPEC["endpoint-config"].ShadowProductionVariants,
        },
      },
      problem:
        /exactly one production variant and one shadow variant \(here 2 and 1\).*ShadowProductionVariants\)$/,
    },
    {
      what: "no execution role anywhere",
      inputs: {},
      spec: SHADOW_SPEC,
      problem: /^execution-role-arn: required \(or set spec\.model\.ExecutionRoleArn\)/,
    },
  ])("refuses $what, naming where", ({ inputs, spec, problem }) => {
    expect(problemsOf(inputs, spec)).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });

  it("refuses a mistyped instance-type input with a suggestion", () => {
    const problems = problemsOf({ "execution-role-arn": ROLE, "instance-type": "ml.m5.larg" }, {});

    expect(problems).toContain(
      'instance-type: "ml.m5.larg" is not a SageMaker instance type; did you mean "ml.m5.large"?',
    );
  });
});

describe("deployment-config", () => {
  const base = {
    "endpoint-name": "churn-model",
    image: "img:1",
    "execution-role-arn": ROLE,
    "instance-type": "ml.m5.large",
    region: "us-east-1",
  };
  const problemsFor = (deploymentConfig: unknown) => {
    try {
      readConfig(
        (name) => ({ ...base, "deployment-config": JSON.stringify(deploymentConfig) })[name] ?? "",
        {},
      );
      return [];
    } catch (error) {
      return error instanceof InputError ? [...error.problems] : [String(error)];
    }
  };
  const blueGreen = (routing: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: { Type: "ALL_AT_ONCE", WaitIntervalInSeconds: 60, ...routing },
      ...extra,
    },
  });

  it.each([
    {
      what: "a typo in a nested key",
      config: blueGreen({}, { TerminationWaitInSecond: 120 }),
      problem: /TerminationWaitInSecond: unknown member; did you mean "TerminationWaitInSeconds"\?/,
    },
    {
      what: "a negative wait",
      config: blueGreen({ WaitIntervalInSeconds: -5 }),
      problem: /WaitIntervalInSeconds: /,
    },
  ])(
    "refuses $what, which the SDK would silently drop or AWS refuse mid-deploy",
    ({ config, problem }) => {
      expect(problemsFor(config)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    },
  );

  it("accepts a valid canary policy", () => {
    expect(
      problemsFor(
        blueGreen(
          { Type: "CANARY", CanarySize: { Type: "CAPACITY_PERCENT", Value: 10 } },
          { TerminationWaitInSeconds: 120 },
        ),
      ),
    ).toEqual([]);
  });
});

describe("loadSpecDocument", () => {
  const workspace = mkdtempSync(join(tmpdir(), "spec-"));
  writeFileSync(join(workspace, "spec.yml"), "model:\n  PrimaryContainer:\n    Image: img:1\n");
  writeFileSync(
    join(workspace, "spec.json"),
    JSON.stringify({ model: { ExecutionRoleArn: ROLE } }),
  );
  writeFileSync(join(workspace, "broken.yml"), "model: [unclosed\n");

  it.each([
    { text: "spec.yml", value: { model: { PrimaryContainer: { Image: "img:1" } } } },
    { text: "spec.json", value: { model: { ExecutionRoleArn: ROLE } } },
    { text: "model:\n  ExecutionRoleArn: x\n", value: { model: { ExecutionRoleArn: "x" } } },
    { text: '{"model": {}}', value: { model: {} } },
  ])("reads $text", async ({ text, value }) => {
    expect(await loadSpecDocument(text, workspace)).toMatchObject({ ok: true, value });
  });

  it.each([
    { text: "missing.yml", problem: /^spec: "missing\.yml" does not exist in the workspace/ },
    { text: "../outside.yml", problem: /^spec: "\.\.\/outside\.yml" is outside the workspace/ },
    { text: "broken.yml", problem: /^spec: "broken\.yml" is not valid/ },
    { text: "model:\n  a: 1\n  a: 2\n", problem: /^spec: the inline spec is not valid YAML/ },
  ])("refuses $text with a reason", async ({ text, problem }) => {
    const document = await loadSpecDocument(text, workspace);
    expect(document.ok).toBe(false);
    expect(document.ok ? "" : document.problem).toMatch(problem);
  });
});
