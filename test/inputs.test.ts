import { describe, expect, it } from "vitest";
import { type Config, MAX_USER_TAGS, readConfig } from "../src/inputs.js";
import { InputError } from "../src/shared/errors.js";

type Inputs = Record<string, string>;

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.2";
const DATA = "s3://models-bucket/churn/model.tar.gz";
const ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";

/** The inputs of a workflow that sets only what it must. */
const MINIMAL: Inputs = {
  "endpoint-name": "churn-model",
  image: IMAGE,
  "execution-role-arn": ROLE,
  "model-data-url": DATA,
  "instance-type": "ml.m5.large",
};
const ENV = { AWS_REGION: "eu-west-1" };

/** What MINIMAL reads as. */
const MINIMAL_CONFIG: Config = {
  endpointName: "churn-model",
  model: { image: IMAGE, modelDataUrl: DATA, executionRoleArn: ROLE, environment: {} },
  variant: { variantName: "AllTraffic", instanceType: "ml.m5.large", initialInstanceCount: 1 },
  region: "eu-west-1",
  tags: [],
  wait: true,
  waitTimeoutMs: 3_600_000,
  pollIntervalMs: 15_000,
  cleanupOnFailure: true,
  allowRemoval: false,
  dryRun: false,
};

/** Reads a config from a name→value map, as the action does from `core.getInput`. */
function configFrom(inputs: Inputs, env: NodeJS.ProcessEnv = ENV): Config {
  const read = (name: string) => inputs[name] ?? "";
  return readConfig(read, env);
}

/** The InputError that reading `inputs` throws. */
function inputErrorFrom(inputs: Inputs, env: NodeJS.ProcessEnv = ENV): InputError {
  try {
    configFrom(inputs, env);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`);
}

function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}

describe("readConfig: valid inputs", () => {
  it("applies every default", () => {
    // prepare
    const inputs = { ...MINIMAL };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config).toStrictEqual(MINIMAL_CONFIG);
  });

  it("reads every seed input and explicit names", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      "model-name": "churn-model-v7",
      "endpoint-config-name": "churn-config-v7",
      "variant-name": "Blue",
      "initial-instance-count": "3",
      "instance-type": "ml.g5.2xlarge",
    };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.modelName).toBe("churn-model-v7");
    expect(config.endpointConfigName).toBe("churn-config-v7");
    expect(config.variant).toStrictEqual({
      variantName: "Blue",
      instanceType: "ml.g5.2xlarge",
      initialInstanceCount: 3,
    });
  });

  it("makes an image-only model when model-data-url is empty", () => {
    // prepare
    const inputs = { ...MINIMAL, "model-data-url": "" };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.model).toStrictEqual({ image: IMAGE, executionRoleArn: ROLE, environment: {} });
  });

  it("trims the whitespace a YAML block leaves around values", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      "endpoint-name": "  churn-model \n",
      "instance-type": "ml.m5.large\n",
    };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.endpointName).toBe("churn-model");
    expect(config.variant.instanceType).toBe("ml.m5.large");
  });

  it.each([
    {
      name: "the region input over the environment",
      region: "ap-south-1",
      env: { AWS_REGION: "eu-west-1" },
      expected: "ap-south-1",
    },
    {
      name: "AWS_REGION",
      region: "",
      env: { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" },
      expected: "eu-west-1",
    },
    {
      name: "AWS_DEFAULT_REGION without AWS_REGION",
      region: "",
      env: { AWS_DEFAULT_REGION: "us-west-2" },
      expected: "us-west-2",
    },
    {
      name: "AWS_DEFAULT_REGION when AWS_REGION is empty",
      region: "",
      env: { AWS_REGION: "", AWS_DEFAULT_REGION: "us-west-2" },
      expected: "us-west-2",
    },
    { name: "a GovCloud region", region: "us-gov-west-1", env: {}, expected: "us-gov-west-1" },
  ])("takes the region from $name", ({ region, env, expected }) => {
    // prepare
    const inputs = { ...MINIMAL, region };

    // act
    const config = configFrom(inputs, env);

    // assess
    expect(config.region).toBe(expected);
  });

  it("makes a serverless variant instead of instances, ignoring action.yml's instance count", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      "instance-type": "",
      "initial-instance-count": "1",
      "serverless-memory-size": "2048",
      "serverless-max-concurrency": "20",
    };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.variant).toStrictEqual({
      variantName: "AllTraffic",
      serverless: { memorySizeInMB: 2048, maxConcurrency: 20 },
    });
  });

  it.each([
    { memory: "1024", concurrency: "1" },
    { memory: "6144", concurrency: "200" },
  ])(
    "accepts serverless limits $memory MB and concurrency $concurrency",
    ({ memory, concurrency }) => {
      // prepare
      const inputs = {
        ...MINIMAL,
        "instance-type": "",
        "serverless-memory-size": memory,
        "serverless-max-concurrency": concurrency,
      };

      // act
      const config = configFrom(inputs);

      // assess
      expect(config.variant.serverless).toEqual({
        memorySizeInMB: Number(memory),
        maxConcurrency: Number(concurrency),
      });
    },
  );

  it("reads environment lines, skipping comments and blanks", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      environment: [
        "# how the container logs",
        "LOG_LEVEL = debug",
        "",
        "   ",
        "SAGEMAKER_PROGRAM=inference.py\r",
        "FEATURE_URL=https://features.example.com/v1?a=b&c=d",
        "EMPTY=",
        "  # indented comment",
      ].join("\n"),
    };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.model.environment).toStrictEqual({
      LOG_LEVEL: "debug",
      SAGEMAKER_PROGRAM: "inference.py",
      FEATURE_URL: "https://features.example.com/v1?a=b&c=d",
      EMPTY: "",
    });
  });

  it("reads tag lines in order, skipping comments and blanks", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      tags: "# ownership\nteam=churn\n\ncost-center = ml:1234\nenv=prod/eu\n",
    };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.tags).toEqual([
      { Key: "team", Value: "churn" },
      { Key: "cost-center", Value: "ml:1234" },
      { Key: "env", Value: "prod/eu" },
    ]);
  });

  it("reads the deployment-config JSON", () => {
    // prepare
    const deployment = {
      BlueGreenUpdatePolicy: {
        TrafficRoutingConfiguration: {
          Type: "CANARY",
          CanarySize: { Type: "CAPACITY_PERCENT", Value: 10 },
          WaitIntervalInSeconds: 300,
        },
      },
      AutoRollbackConfiguration: { Alarms: [{ AlarmName: "churn-5xx" }] },
    };
    const inputs = { ...MINIMAL, "deployment-config": JSON.stringify(deployment, null, 2) };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.deploymentConfig).toEqual(deployment);
  });

  it.each([
    { input: "wait-timeout", value: "90s", field: "waitTimeoutMs", ms: 90_000 },
    { input: "wait-timeout", value: "45m", field: "waitTimeoutMs", ms: 2_700_000 },
    { input: "wait-timeout", value: "1h30m", field: "waitTimeoutMs", ms: 5_400_000 },
    { input: "wait-timeout", value: "10", field: "waitTimeoutMs", ms: 600_000 },
    { input: "wait-timeout", value: "6h", field: "waitTimeoutMs", ms: 21_600_000 },
    { input: "wait-timeout", value: "1s", field: "waitTimeoutMs", ms: 1_000 },
    { input: "poll-interval", value: "1s", field: "pollIntervalMs", ms: 1_000 },
    { input: "poll-interval", value: "5m", field: "pollIntervalMs", ms: 300_000 },
    { input: "poll-interval", value: "0.5", field: "pollIntervalMs", ms: 30_000 },
  ] as const)("reads $input $value as $ms ms", ({ input, value, field, ms }) => {
    // prepare
    const inputs = { ...MINIMAL, [input]: value };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config[field]).toBe(ms);
  });

  it.each([
    { value: "false", expected: false },
    { value: "False", expected: false },
    { value: "FALSE", expected: false },
    { value: "true", expected: true },
    { value: "True", expected: true },
    { value: "TRUE", expected: true },
  ])("reads wait and cleanup-on-failure $value as $expected", ({ value, expected }) => {
    // prepare
    const inputs = { ...MINIMAL, wait: value, "cleanup-on-failure": value };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.wait).toBe(expected);
    expect(config.cleanupOnFailure).toBe(expected);
  });

  it("reads a hand-off to the companion Lambda", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      "handoff-function":
        "arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-deploy-companion",
      "handoff-workflow": "sagemaker-deploy-status.yml",
      "handoff-ref": "refs/heads/release/1.4",
    };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.handoff).toStrictEqual({
      functionName: "arn:aws:lambda:eu-west-1:123456789012:function:sagemaker-deploy-companion",
      workflow: "sagemaker-deploy-status.yml",
      ref: "refs/heads/release/1.4",
      timeoutMs: 3 * 3_600_000,
    });
  });
});

describe("readConfig: invalid inputs", () => {
  const serverless = {
    "instance-type": "",
    "serverless-memory-size": "2048",
    "serverless-max-concurrency": "20",
  };
  const handoff = {
    "handoff-function": "sagemaker-deploy-companion",
    "handoff-workflow": "status.yml",
  };

  it.each<{ input: string; value: string; quoted?: string; extra?: Inputs }>([
    { input: "endpoint-name", value: "churn_model" },
    { input: "endpoint-name", value: "-churn" },
    { input: "endpoint-name", value: "churn-" },
    { input: "endpoint-name", value: "churn.model" },
    { input: "endpoint-name", value: "a".repeat(64) },
    { input: "model-name", value: "model v2" },
    { input: "endpoint-config-name", value: "config/v2" },
    { input: "image", value: "churn image:1" },
    { input: "image", value: "x".repeat(256), quoted: `"${"x".repeat(80)}…"` },
    { input: "execution-role-arn", value: "arn:aws:iam::1234:role/SageMakerExecution" },
    { input: "execution-role-arn", value: "arn:aws:iam::123456789012:user/alice" },
    { input: "execution-role-arn", value: "SageMakerExecution" },
    { input: "model-data-url", value: "ftp://models-bucket/model.tar.gz" },
    { input: "model-data-url", value: "s3://models-bucket/has space.tar.gz" },
    { input: "model-data-url", value: "models-bucket/model.tar.gz" },
    { input: "variant-name", value: "All_Traffic" },
    { input: "instance-type", value: "m5.large" },
    { input: "instance-type", value: "ML.M5.LARGE" },
    { input: "initial-instance-count", value: "0" },
    { input: "initial-instance-count", value: "1.5" },
    { input: "initial-instance-count", value: "-1" },
    { input: "initial-instance-count", value: "1001" },
    { input: "initial-instance-count", value: "two" },
    { input: "initial-instance-count", value: "1e2" },
    { input: "region", value: "us-east" },
    { input: "region", value: "US-EAST-1" },
    { input: "region", value: "eu-west-1a" },
    { input: "wait", value: "yes" },
    { input: "wait", value: "1" },
    { input: "cleanup-on-failure", value: "no" },
    { input: "wait-timeout", value: "forever" },
    { input: "wait-timeout", value: "1h30" },
    { input: "wait-timeout", value: "7h" },
    { input: "wait-timeout", value: "0" },
    { input: "poll-interval", value: "500ms" },
    { input: "poll-interval", value: "0s" },
    { input: "poll-interval", value: "10m" },
    { input: "serverless-memory-size", value: "2000", extra: serverless },
    { input: "serverless-memory-size", value: "8192", extra: serverless },
    { input: "serverless-memory-size", value: "512", extra: serverless },
    { input: "serverless-max-concurrency", value: "0", extra: serverless },
    { input: "serverless-max-concurrency", value: "201", extra: serverless },
    { input: "environment", value: "1BAD=x", quoted: '"1BAD"' },
    { input: "environment", value: "MY-VAR=x", quoted: '"MY-VAR"' },
    { input: "environment", value: "A=1\nA=2", quoted: '"A"' },
    { input: "tags", value: "aws:owner=me", quoted: '"aws:owner"' },
    { input: "tags", value: "sagemaker-deploy:commit=abc", quoted: '"sagemaker-deploy:commit"' },
    { input: "tags", value: "team=a|b", quoted: '"team"' },
    { input: "tags", value: "team=a\nteam=b", quoted: '"team"' },
    { input: "tags", value: `${"k".repeat(129)}=v`, quoted: `"${"k".repeat(80)}…"` },
    { input: "handoff-function", value: "my companion" },
    { input: "handoff-workflow", value: "deploy.sh", extra: { "handoff-function": "companion" } },
    {
      input: "handoff-workflow",
      value: ".github/workflows/status.yml",
      extra: { "handoff-function": "companion" },
    },
    { input: "handoff-ref", value: "feature branch", extra: handoff },
    { input: "handoff-ref", value: "main~1", extra: handoff },
    { input: "handoff-timeout", value: "30s", extra: handoff },
    { input: "handoff-timeout", value: "25h", extra: handoff },
  ])(
    "rejects $input $value, naming the input and quoting the value",
    ({ input, value, quoted, extra }) => {
      // prepare
      const inputs = { ...MINIMAL, ...extra, [input]: value };

      // act
      const error = inputErrorFrom(inputs);

      // assess
      const problem = error.problems.find((p) => p.startsWith(`${input}: `));
      expect(problem, error.message).toBeDefined();
      expect(problem).toContain(quoted ?? JSON.stringify(value));
      expect(error.message).toContain(problem);
      expect(error.message).toMatch(/invalid inputs?; nothing was created/);
    },
  );

  it.each<{ input: string; inputs: Inputs; env?: NodeJS.ProcessEnv }>([
    { input: "endpoint-name", inputs: { ...MINIMAL, "endpoint-name": "" } },
    { input: "endpoint-name", inputs: { ...MINIMAL, "endpoint-name": "   " } },
    { input: "image", inputs: { ...MINIMAL, image: "" } },
    { input: "execution-role-arn", inputs: { ...MINIMAL, "execution-role-arn": "" } },
    { input: "instance-type", inputs: { ...MINIMAL, "instance-type": "" } },
    { input: "region", inputs: MINIMAL, env: {} },
    {
      input: "serverless-max-concurrency",
      inputs: { ...MINIMAL, "instance-type": "", "serverless-memory-size": "2048" },
    },
    {
      input: "serverless-memory-size",
      inputs: { ...MINIMAL, "instance-type": "", "serverless-max-concurrency": "20" },
    },
    {
      input: "instance-type",
      inputs: { ...MINIMAL, "serverless-memory-size": "2048", "serverless-max-concurrency": "20" },
    },
    {
      input: "initial-instance-count",
      inputs: {
        ...MINIMAL,
        "instance-type": "",
        "initial-instance-count": "2",
        "serverless-memory-size": "2048",
        "serverless-max-concurrency": "20",
      },
    },
    { input: "handoff-workflow", inputs: { ...MINIMAL, "handoff-function": "companion" } },
    { input: "handoff-function", inputs: { ...MINIMAL, "handoff-workflow": "status.yml" } },
    { input: "environment", inputs: { ...MINIMAL, environment: "LOG_LEVEL=debug\nJUST_A_KEY" } },
    { input: "environment", inputs: { ...MINIMAL, environment: "=value" } },
    { input: "tags", inputs: { ...MINIMAL, tags: "team: churn" } },
    { input: "deployment-config", inputs: { ...MINIMAL, "deployment-config": "{canary}" } },
    { input: "deployment-config", inputs: { ...MINIMAL, "deployment-config": "[]" } },
    { input: "deployment-config", inputs: { ...MINIMAL, "deployment-config": '{"Canary": {}}' } },
  ])("rejects a missing or misplaced $input", ({ input, inputs, env }) => {
    // prepare: inputs whose problem is what is absent or where it is

    // act
    const error = inputErrorFrom(inputs, env ?? ENV);

    // assess
    expect(error.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${input}: `))]),
    );
  });

  it("names the line of a KEY=VALUE problem without echoing the line", () => {
    // prepare
    const inputs = { ...MINIMAL, environment: "LOG_LEVEL=debug\n\nDB_PASSWORD hunter2" };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems).toEqual(["environment: line 3 is not KEY=VALUE"]);
    expect(error.message).not.toContain("hunter2");
  });

  it("limits the number of environment variables and tags", () => {
    // prepare
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `K${i}=v`).join("\n");
    const inputs = { ...MINIMAL, environment: lines(101), tags: lines(MAX_USER_TAGS + 1) };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environment: at most 100/),
        expect.stringMatching(new RegExp(`^tags: at most ${MAX_USER_TAGS}`)),
      ]),
    );
  });

  it("reports every problem at once, each naming its input", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      "endpoint-name": "churn_model",
      image: "",
      "initial-instance-count": "0",
      wait: "maybe",
      "poll-interval": "0s",
      tags: "aws:team=x",
    };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    const named = error.problems.map((problem) => problem.slice(0, problem.indexOf(":")));
    expect(named).toEqual(
      expect.arrayContaining([
        "endpoint-name",
        "image",
        "initial-instance-count",
        "wait",
        "poll-interval",
        "tags",
      ]),
    );
    expect(error.problems).toHaveLength(6);
    expect(error.message).toMatch(/^6 invalid inputs; nothing was created:\n/);
    expect(error.message.split("\n")).toHaveLength(7);
  });
});

describe("readConfig: hostile values", () => {
  const huge = "a".repeat(10_000);
  const serverless = { "instance-type": "", "serverless-max-concurrency": "20" };

  it.each<{ input: string; value: string; extra?: Inputs }>([
    { input: "endpoint-name", value: "churn\n::set-output name=endpoint-arn::arn:aws:evil" },
    { input: "endpoint-name", value: "churn\r\n::error::pwned" },
    { input: "endpoint-name", value: "::error::pwned" },
    { input: "endpoint-name", value: huge },
    { input: "model-name", value: "model\u0007\u001b[2J\u0000" },
    { input: "endpoint-config-name", value: `x\n${huge}` },
    { input: "image", value: `churn:1\n::add-mask::${huge}` },
    { input: "image", value: huge },
    { input: "execution-role-arn", value: `${ROLE}\n::set-output name=x::y` },
    { input: "model-data-url", value: `${DATA}\n::error::pwned` },
    { input: "variant-name", value: "::set-output name=x::y" },
    { input: "instance-type", value: "ml.m5.large\n::error::pwned" },
    { input: "initial-instance-count", value: "1\n::error::pwned" },
    { input: "region", value: "us-east-1\n::error::pwned" },
    { input: "region", value: huge },
    { input: "wait", value: "true\n::error::pwned" },
    { input: "cleanup-on-failure", value: `\u001b]8;;http://evil\u0007click\u001b]8;;\u0007` },
    { input: "wait-timeout", value: "60m\n::error::pwned" },
    { input: "wait-timeout", value: huge },
    { input: "poll-interval", value: "\u001b[31m15s" },
    { input: "serverless-memory-size", value: "2048\n::error::x", extra: serverless },
    { input: "environment", value: `KEY\u0007=value` },
    { input: "environment", value: `${"K".repeat(10_000)}=v` },
    { input: "tags", value: "team\u001b[2J=churn" },
    { input: "tags", value: "team=churn\u0000" },
    { input: "handoff-function", value: "companion\n::error::pwned" },
    { input: "handoff-workflow", value: "s.yml\u0000", extra: { "handoff-function": "companion" } },
  ])("rejects hostile value #%# in $input, quoting it safely", ({ input, value, extra }) => {
    // prepare
    const inputs = { ...MINIMAL, ...extra, [input]: value };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems.some((p) => p.startsWith(`${input}: `))).toBe(true);
    for (const problem of error.problems) {
      expect(hasControlCharacter(problem)).toBe(false);
      expect(problem.length).toBeLessThan(400);
    }
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(error.problems.length + 1);
    expect(lines.some((line) => line.trimStart().startsWith("::"))).toBe(false);
  });

  it("accepts environment values with control characters and command sequences as they are", () => {
    // prepare
    const value = "s3cr3t::set-output name=x::y\u0007\u001b[2J";
    const inputs = { ...MINIMAL, environment: `API_TOKEN=${value}\nOTHER=::error::x` };

    // act
    const config = configFrom(inputs);

    // assess
    expect(config.model.environment).toStrictEqual({ API_TOKEN: value, OTHER: "::error::x" });
  });

  it("never echoes an environment value when other inputs are wrong", () => {
    // prepare
    const inputs = {
      ...MINIMAL,
      environment: "API_TOKEN=s3cr3t-token-value\nLOG_LEVEL=debug",
      "endpoint-name": "churn_model",
      region: "nowhere",
    };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems).toHaveLength(2);
    expect(error.message).not.toContain("s3cr3t");
  });

  it("rejects a 10 000-character environment value without echoing it", () => {
    // prepare
    const secret = `s3cr3t${"x".repeat(9_994)}`;
    const inputs = { ...MINIMAL, environment: `BIG=${secret}` };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems).toEqual(['environment: "BIG" has a value longer than 1024 characters']);
    expect(error.message).not.toContain("s3cr3t");
  });

  // BUG: src/deployment-config.ts:96 lists unknown keys raw (not JSON-quoted), so a newline in a
  // key reaches the InputError message and a line of it starts with "::".
  it("keeps a deployment-config key holding a newline and a command on one quoted line", () => {
    // prepare
    const inputs = { ...MINIMAL, "deployment-config": '{"Canary\\n::error::pwned": {}}' };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems.some((p) => p.startsWith("deployment-config: "))).toBe(true);
    expect(error.problems.some(hasControlCharacter)).toBe(false);
    expect(error.message.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
  });

  // BUG: src/deployment-config.ts:90 copies JSON.parse's message, which quotes the raw input with
  // its newlines, into the problem.
  it("keeps malformed deployment-config JSON with a newline and a command on one line", () => {
    // prepare
    const inputs = { ...MINIMAL, "deployment-config": "oops\n::error::pwned" };

    // act
    const error = inputErrorFrom(inputs);

    // assess
    expect(error.problems.some((p) => p.startsWith("deployment-config: "))).toBe(true);
    expect(error.problems.some(hasControlCharacter)).toBe(false);
    expect(error.message.split("\n").some((line) => line.trimStart().startsWith("::"))).toBe(false);
  });
});
