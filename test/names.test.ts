import { describe, expect, it } from "vitest";
import type { ModelSpec, VariantSpec } from "../src/inputs.js";
import { configNameFor, modelNameFor } from "../src/names.js";

/** SageMaker's pattern for ModelName, EndpointConfigName and EndpointName. */
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

const ENDPOINT = "churn-model";

const MODEL: ModelSpec = {
  image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.2",
  modelDataUrl: "s3://models-bucket/churn/model.tar.gz",
  executionRoleArn: "arn:aws:iam::123456789012:role/SageMakerExecution",
  environment: { LOG_LEVEL: "info", WORKERS: "2" },
};

const VARIANT: VariantSpec = {
  variantName: "AllTraffic",
  instanceType: "ml.m5.large",
  initialInstanceCount: 1,
};

const SERVERLESS: VariantSpec = {
  variantName: "AllTraffic",
  serverless: { memorySizeInMB: 2048, maxConcurrency: 20 },
};

describe("derived model names", () => {
  it("are the same for the same content, so a re-run of the same commit reuses the model", () => {
    // prepare
    const again: ModelSpec = JSON.parse(JSON.stringify(MODEL));

    // act
    const first = modelNameFor(ENDPOINT, MODEL);
    const second = modelNameFor(ENDPOINT, again);

    // assess
    expect(second).toBe(first);
    expect(first).toMatch(/^churn-model-[0-9a-f]{12}$/);
  });

  it.each<{ change: string; model: ModelSpec }>([
    { change: "image", model: { ...MODEL, image: `${MODEL.image.slice(0, -1)}3` } },
    {
      change: "model data URL",
      model: { ...MODEL, modelDataUrl: "s3://models-bucket/churn/model-v2.tar.gz" },
    },
    {
      change: "no model data URL (image-only model)",
      model: {
        image: MODEL.image,
        executionRoleArn: MODEL.executionRoleArn,
        environment: MODEL.environment,
      },
    },
    {
      change: "an environment value",
      model: { ...MODEL, environment: { ...MODEL.environment, LOG_LEVEL: "debug" } },
    },
    {
      change: "an added environment variable",
      model: { ...MODEL, environment: { ...MODEL.environment, FEATURE_X: "on" } },
    },
    { change: "no environment", model: { ...MODEL, environment: {} } },
    {
      change: "execution role",
      model: { ...MODEL, executionRoleArn: "arn:aws:iam::123456789012:role/OtherRole" },
    },
  ])("change when the $change changes", ({ model }) => {
    // prepare
    const before = modelNameFor(ENDPOINT, MODEL);

    // act
    const after = modelNameFor(ENDPOINT, model);

    // assess
    expect(after).not.toBe(before);
    expect(after).toMatch(SAGEMAKER_NAME);
  });

  it("do not depend on the order of environment variables", () => {
    // prepare
    const reordered: ModelSpec = { ...MODEL, environment: { WORKERS: "2", LOG_LEVEL: "info" } };

    // act
    const name = modelNameFor(ENDPOINT, reordered);

    // assess
    expect(name).toBe(modelNameFor(ENDPOINT, MODEL));
  });

  it("give way to an explicit model-name", () => {
    // prepare
    const explicit = "churn-model-v7";

    // act
    const name = modelNameFor(ENDPOINT, MODEL, explicit);

    // assess
    expect(name).toBe(explicit);
  });
});

describe("derived endpoint config names", () => {
  const modelName = modelNameFor(ENDPOINT, MODEL);

  it("are the same for the same model and variant", () => {
    // prepare
    const again: VariantSpec = { ...VARIANT };

    // act
    const first = configNameFor(ENDPOINT, modelName, VARIANT);
    const second = configNameFor(ENDPOINT, modelName, again);

    // assess
    expect(second).toBe(first);
    expect(first).toMatch(/^churn-model-[0-9a-f]{12}$/);
    expect(first).not.toBe(modelName);
  });

  it.each<{ change: string; from?: VariantSpec; to: VariantSpec; toModel?: string }>([
    {
      change: "model",
      to: VARIANT,
      toModel: modelNameFor(ENDPOINT, { ...MODEL, image: "other:1" }),
    },
    { change: "variant name", to: { ...VARIANT, variantName: "Blue" } },
    { change: "instance type", to: { ...VARIANT, instanceType: "ml.c5.xlarge" } },
    { change: "instance count", to: { ...VARIANT, initialInstanceCount: 2 } },
    { change: "variant (instances to serverless)", to: SERVERLESS },
    {
      change: "serverless memory",
      from: SERVERLESS,
      to: { variantName: "AllTraffic", serverless: { memorySizeInMB: 4096, maxConcurrency: 20 } },
    },
    {
      change: "serverless concurrency",
      from: SERVERLESS,
      to: { variantName: "AllTraffic", serverless: { memorySizeInMB: 2048, maxConcurrency: 5 } },
    },
  ])("change when the $change changes", ({ from = VARIANT, to, toModel = modelName }) => {
    // prepare
    const before = configNameFor(ENDPOINT, modelName, from);

    // act
    const after = configNameFor(ENDPOINT, toModel, to);

    // assess
    expect(after).not.toBe(before);
    expect(after).toMatch(SAGEMAKER_NAME);
  });

  it("give way to an explicit endpoint-config-name", () => {
    // prepare
    const explicit = "churn-config-blue";

    // act
    const name = configNameFor(ENDPOINT, modelName, VARIANT, explicit);

    // assess
    expect(name).toBe(explicit);
  });
});

describe("derived names stay valid SageMaker names", () => {
  const longest = `churn-${"a".repeat(57)}`;
  const hyphenAtCut = `${"x".repeat(45)}-----${"y".repeat(13)}`;
  const manyHyphens = `a${"-".repeat(61)}b`;

  it.each([
    { name: "a 63-character endpoint name", endpoint: longest },
    { name: "an endpoint name that ends in hyphens once trimmed", endpoint: hyphenAtCut },
    { name: "an endpoint name that is mostly hyphens", endpoint: manyHyphens },
    { name: "a one-character endpoint name", endpoint: "e" },
  ])("for $name", ({ endpoint }) => {
    // prepare
    expect(endpoint).toMatch(SAGEMAKER_NAME);

    // act
    const model = modelNameFor(endpoint, MODEL);
    const config = configNameFor(endpoint, model, VARIANT);

    // assess
    for (const derived of [model, config]) {
      expect(derived.length).toBeLessThanOrEqual(63);
      expect(derived).toMatch(SAGEMAKER_NAME);
    }
  });

  it("keep two long endpoint names apart when the part they keep differs", () => {
    // prepare
    const blue = `${"a".repeat(40)}-blue-${"z".repeat(17)}`;
    const green = `${"a".repeat(40)}-green-${"z".repeat(16)}`;

    // act
    const names = [modelNameFor(blue, MODEL), modelNameFor(green, MODEL)];

    // assess
    expect(names[0]).not.toBe(names[1]);
  });
});
