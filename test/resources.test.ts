import type {
  DescribeEndpointConfigCommandOutput,
  DescribeModelCommandOutput,
  ProductionVariant,
} from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import type { ModelSpec, VariantSpec } from "../src/inputs.js";
import {
  endpointConfigDifferences,
  endpointConfigRequest,
  modelDifferences,
  modelRequest,
} from "../src/resources.js";

type ExistingModel = Omit<DescribeModelCommandOutput, "$metadata">;
type ExistingConfig = Omit<DescribeEndpointConfigCommandOutput, "$metadata">;

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.2";
const DATA = "s3://models-bucket/churn/model.tar.gz";
const ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
const MODEL_NAME = "churn-model-0a1b2c3d4e5f";
const CONFIG_NAME = "churn-model-f5e4d3c2b1a0";

const MODEL: ModelSpec = {
  image: IMAGE,
  modelDataUrl: DATA,
  executionRoleArn: ROLE,
  environment: {},
};
const VARIANT: VariantSpec = {
  variantName: "AllTraffic",
  instanceType: "ml.m5.large",
  initialInstanceCount: 2,
};
const SERVERLESS: VariantSpec = {
  variantName: "AllTraffic",
  serverless: { memorySizeInMB: 2048, maxConcurrency: 20 },
};
const TAGS = [{ Key: "team", Value: "churn" }];

describe("modelRequest", () => {
  it("is the seed's createModel payload, field for field and in order", () => {
    // prepare: seed step createModel sends ModelName, PrimaryContainer{Image, ModelDataUrl}, ExecutionRoleArn

    // act
    const request = modelRequest(MODEL_NAME, MODEL, []);

    // assess
    expect(request).toStrictEqual({
      ModelName: MODEL_NAME,
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: DATA },
      ExecutionRoleArn: ROLE,
    });
    expect(Object.keys(request)).toEqual(["ModelName", "PrimaryContainer", "ExecutionRoleArn"]);
    expect(Object.keys(request.PrimaryContainer ?? {})).toEqual(["Image", "ModelDataUrl"]);
  });

  it("leaves ModelDataUrl out of an image-only model", () => {
    // prepare
    const imageOnly: ModelSpec = { image: IMAGE, executionRoleArn: ROLE, environment: {} };

    // act
    const request = modelRequest(MODEL_NAME, imageOnly, []);

    // assess
    expect(request.PrimaryContainer).toStrictEqual({ Image: IMAGE });
  });

  it("adds the container environment and the tags after the seed's fields", () => {
    // prepare
    const model: ModelSpec = { ...MODEL, environment: { LOG_LEVEL: "debug", WORKERS: "4" } };

    // act
    const request = modelRequest(MODEL_NAME, model, TAGS);

    // assess
    expect(request.PrimaryContainer?.Environment).toEqual({ LOG_LEVEL: "debug", WORKERS: "4" });
    expect(request.Tags).toEqual(TAGS);
    expect(Object.keys(request)).toEqual([
      "ModelName",
      "PrimaryContainer",
      "ExecutionRoleArn",
      "Tags",
    ]);
  });
});

describe("endpointConfigRequest", () => {
  it("is the seed's createEndpointConfig payload, field for field and in order", () => {
    // prepare: seed step createEndpointConfig sends EndpointConfigName and one ProductionVariant
    // {VariantName, ModelName, InitialInstanceCount, InstanceType}

    // act
    const request = endpointConfigRequest(CONFIG_NAME, MODEL_NAME, VARIANT, []);

    // assess
    expect(request).toStrictEqual({
      EndpointConfigName: CONFIG_NAME,
      ProductionVariants: [
        {
          VariantName: "AllTraffic",
          ModelName: MODEL_NAME,
          InitialInstanceCount: 2,
          InstanceType: "ml.m5.large",
        },
      ],
    });
    expect(Object.keys(request)).toEqual(["EndpointConfigName", "ProductionVariants"]);
    expect(Object.keys(request.ProductionVariants?.[0] ?? {})).toEqual([
      "VariantName",
      "ModelName",
      "InitialInstanceCount",
      "InstanceType",
    ]);
  });

  it("makes a serverless variant without instance type or count", () => {
    // prepare

    // act
    const request = endpointConfigRequest(CONFIG_NAME, MODEL_NAME, SERVERLESS, TAGS);

    // assess
    expect(request.ProductionVariants).toStrictEqual([
      {
        VariantName: "AllTraffic",
        ModelName: MODEL_NAME,
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 20 },
      },
    ]);
    expect(request.Tags).toEqual(TAGS);
  });
});

describe("modelDifferences", () => {
  const described: ExistingModel = {
    ModelName: MODEL_NAME,
    ModelArn: `arn:aws:sagemaker:us-east-1:123456789012:model/${MODEL_NAME}`,
    PrimaryContainer: { Image: IMAGE, ModelDataUrl: DATA, Environment: { B: "2", A: "1" } },
    ExecutionRoleArn: ROLE,
    CreationTime: new Date("2026-01-01T00:00:00Z"),
  };
  const wanted = modelRequest(MODEL_NAME, { ...MODEL, environment: { A: "1", B: "2" } }, TAGS);

  it("finds none for the same model, whatever the environment's order or the tags", () => {
    // prepare

    // act
    const differences = modelDifferences(described, wanted);

    // assess
    expect(differences).toEqual([]);
  });

  it("reads a model described with Containers instead of PrimaryContainer", () => {
    // prepare
    const { PrimaryContainer, ...rest } = described;
    const existing: ExistingModel = { ...rest, Containers: [PrimaryContainer ?? {}] };

    // act
    const differences = modelDifferences(existing, wanted);

    // assess
    expect(differences).toEqual([]);
  });

  it.each<{ what: string; existing: ExistingModel }>([
    {
      what: "image",
      existing: {
        ...described,
        PrimaryContainer: { ...described.PrimaryContainer, Image: "other:1" },
      },
    },
    {
      what: "model data URL",
      existing: {
        ...described,
        PrimaryContainer: { ...described.PrimaryContainer, ModelDataUrl: undefined },
      },
    },
    {
      what: "environment",
      existing: {
        ...described,
        PrimaryContainer: { ...described.PrimaryContainer, Environment: { A: "1" } },
      },
    },
    { what: "execution role", existing: { ...described, ExecutionRoleArn: `${ROLE}-old` } },
  ])("names the $what when it differs", ({ what, existing }) => {
    // prepare: a same-named model made by someone else

    // act
    const differences = modelDifferences(existing, wanted);

    // assess
    expect(differences).toEqual([what]);
  });
});

describe("endpointConfigDifferences", () => {
  const variant: ProductionVariant = {
    VariantName: "AllTraffic",
    ModelName: MODEL_NAME,
    InitialInstanceCount: 2,
    InstanceType: "ml.m5.large",
    InitialVariantWeight: 1,
  };
  const described: ExistingConfig = {
    EndpointConfigName: CONFIG_NAME,
    EndpointConfigArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/${CONFIG_NAME}`,
    ProductionVariants: [variant],
    CreationTime: new Date("2026-01-01T00:00:00Z"),
  };
  const wanted = endpointConfigRequest(CONFIG_NAME, MODEL_NAME, VARIANT, TAGS);

  it("finds none for the same config, ignoring what SageMaker adds when describing it", () => {
    // prepare

    // act
    const differences = endpointConfigDifferences(described, wanted);

    // assess
    expect(differences).toEqual([]);
  });

  it("finds none for the same serverless config", () => {
    // prepare
    const serverless = endpointConfigRequest(CONFIG_NAME, MODEL_NAME, SERVERLESS, []);
    const existing: ExistingConfig = {
      ...described,
      ProductionVariants: [
        {
          VariantName: "AllTraffic",
          ModelName: MODEL_NAME,
          ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 20 },
        },
      ],
    };

    // act
    const differences = endpointConfigDifferences(existing, serverless);

    // assess
    expect(differences).toEqual([]);
  });

  it.each<{ what: string[]; variants: ExistingConfig["ProductionVariants"] }>([
    { what: ["variant name"], variants: [{ ...variant, VariantName: "Blue" }] },
    { what: ["model"], variants: [{ ...variant, ModelName: "churn-model-old" }] },
    { what: ["instance type"], variants: [{ ...variant, InstanceType: "ml.c5.xlarge" }] },
    { what: ["instance count"], variants: [{ ...variant, InitialInstanceCount: 1 }] },
    {
      what: ["instance type", "instance count", "serverless settings"],
      variants: [
        {
          VariantName: "AllTraffic",
          ModelName: MODEL_NAME,
          ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 20 },
        },
      ],
    },
    { what: ["production variants"], variants: [variant, { ...variant, VariantName: "Canary" }] },
    { what: ["production variants"], variants: [] },
  ])("names $what when the variants differ", ({ what, variants }) => {
    // prepare
    const existing: ExistingConfig = { ...described, ProductionVariants: variants };

    // act
    const differences = endpointConfigDifferences(existing, wanted);

    // assess
    expect([...differences].sort()).toEqual([...what].sort());
  });
});
