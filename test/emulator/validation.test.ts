import type {
  ContainerDefinition,
  CreateModelCommandInput,
  ProductionVariant,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  UpdateEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configInput, modelInput } from "./fixtures.js";
import { sageMakerClient } from "./sdk-client.js";
import type { Emulator } from "./server.js";
import { startEmulator } from "./server.js";

const NAME_PATTERN = "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}";
const ROLE_PATTERN = "^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$";

const VALID_VARIANT = configInput("c", "existing").ProductionVariants?.[0];

function model(change: (input: CreateModelCommandInput) => object) {
  return (client: SageMakerClient) =>
    client.send(new CreateModelCommand(change(modelInput("m")) as CreateModelCommandInput));
}

function container(change: Partial<ContainerDefinition>) {
  return model((m) => ({ ...m, PrimaryContainer: { ...m.PrimaryContainer, ...change } }));
}

function variants(...list: object[]) {
  return (client: SageMakerClient) =>
    client.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: "c",
        ProductionVariants: list as ProductionVariant[],
      }),
    );
}

function variant(change: object) {
  return variants({ ...VALID_VARIANT, ...change });
}

function single(path: string, value: string, rule: string): string {
  return `1 validation error detected: Value ${value} at '${path}' failed to satisfy constraint: ${rule}`;
}

const tags = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ Key: `k${i}`, Value: "v" }));

const cases = [
  {
    problem: "model name with an underscore",
    send: model((m) => ({ ...m, ModelName: "bad_name" })),
    message: single(
      "modelName",
      "'bad_name'",
      `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    ),
  },
  {
    problem: "model name of 64 characters",
    send: model((m) => ({ ...m, ModelName: "a".repeat(64) })),
    message: single(
      "modelName",
      `'${"a".repeat(64)}'`,
      `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    ),
  },
  {
    problem: "no execution role",
    send: model(({ ExecutionRoleArn: _, ...m }) => m),
    message: single("executionRoleArn", "null", "Member must not be null"),
  },
  {
    problem: "execution role ARN with a short account id",
    send: model((m) => ({ ...m, ExecutionRoleArn: "arn:aws:iam::123:role/x" })),
    message: single(
      "executionRoleArn",
      "'arn:aws:iam::123:role/x'",
      `Member must satisfy regular expression pattern: ${ROLE_PATTERN}`,
    ),
  },
  {
    problem: "no image",
    send: container({ Image: undefined }),
    message: single("primaryContainer.image", "null", "Member must not be null"),
  },
  {
    problem: "image with whitespace",
    send: container({ Image: "my image:1" }),
    message: single(
      "primaryContainer.image",
      "'my image:1'",
      "Member must satisfy regular expression pattern: [\\S]+",
    ),
  },
  {
    problem: "image longer than 255",
    send: container({ Image: "i".repeat(256) }),
    message: single(
      "primaryContainer.image",
      `'${"i".repeat(256)}'`,
      "Member must have length less than or equal to 255",
    ),
  },
  {
    problem: "model data on ftp",
    send: container({ ModelDataUrl: "ftp://host/model.tar.gz" }),
    message: single(
      "primaryContainer.modelDataUrl",
      "'ftp://host/model.tar.gz'",
      "Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$",
    ),
  },
  {
    problem: "environment key with a hyphen",
    send: container({ Environment: { "BAD-KEY": "x" } }),
    message: single(
      "primaryContainer.environment",
      "'BAD-KEY'",
      "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]",
    ),
  },
  {
    problem: "101 environment variables",
    send: container({ Environment: Object.fromEntries(tags(101).map((t) => [t.Key, "v"])) }),
    message: expect.stringMatching(
      /^1 validation error detected: .* at 'primaryContainer.environment' .*Member must have length less than or equal to 100$/,
    ),
  },
  {
    problem: "tag key starting with aws:",
    send: model((m) => ({ ...m, Tags: [{ Key: "aws:owner", Value: "me" }] })),
    message: single("tags.1.member.key", "'aws:owner'", "Member must not start with 'aws:'"),
  },
  {
    problem: "51 tags",
    send: model((m) => ({ ...m, Tags: tags(51) })),
    message: expect.stringMatching(
      /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
    ),
  },
  {
    problem: "tag value longer than 256",
    send: model((m) => ({ ...m, Tags: [{ Key: "k", Value: "v".repeat(257) }] })),
    message: single(
      "tags.1.member.value",
      `'${"v".repeat(257)}'`,
      "Member must have length less than or equal to 256",
    ),
  },
  {
    problem: "no production variants",
    send: variants(),
    message: single(
      "productionVariants",
      "'[]'",
      "Member must have length greater than or equal to 1",
    ),
  },
  {
    problem: "11 production variants",
    send: variants(
      ...Array.from({ length: 11 }, (_, i) => ({ ...VALID_VARIANT, VariantName: `v${i}` })),
    ),
    message: expect.stringMatching(
      /at 'productionVariants' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    ),
  },
  {
    problem: "variant name with a space",
    send: variant({ VariantName: "All Traffic" }),
    message: single(
      "productionVariants.1.member.variantName",
      "'All Traffic'",
      `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    ),
  },
  {
    problem: "instance type without the ml. prefix",
    send: variant({ InstanceType: "m5.large" }),
    message: single(
      "productionVariants.1.member.instanceType",
      "'m5.large'",
      "Member must satisfy regular expression pattern: ^ml\\.[a-z0-9]+\\.[a-z0-9]+$",
    ),
  },
  {
    problem: "zero instances",
    send: variant({ InitialInstanceCount: 0 }),
    message: single(
      "productionVariants.1.member.initialInstanceCount",
      "'0'",
      "Member must have value greater than or equal to 1",
    ),
  },
  {
    problem: "serverless memory not a multiple of 1024",
    send: variant({
      InstanceType: undefined,
      InitialInstanceCount: undefined,
      ServerlessConfig: { MemorySizeInMB: 1500, MaxConcurrency: 5 },
    }),
    message: single(
      "productionVariants.1.member.serverlessConfig.memorySizeInMB",
      "'1500'",
      "Member must be a multiple of 1024",
    ),
  },
  {
    problem: "serverless memory above 6144",
    send: variant({
      InstanceType: undefined,
      InitialInstanceCount: undefined,
      ServerlessConfig: { MemorySizeInMB: 8192, MaxConcurrency: 5 },
    }),
    message: single(
      "productionVariants.1.member.serverlessConfig.memorySizeInMB",
      "'8192'",
      "Member must have value less than or equal to 6144",
    ),
  },
  {
    problem: "serverless concurrency above 200",
    send: variant({
      InstanceType: undefined,
      InitialInstanceCount: undefined,
      ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 201 },
    }),
    message: single(
      "productionVariants.1.member.serverlessConfig.maxConcurrency",
      "'201'",
      "Member must have value less than or equal to 200",
    ),
  },
  {
    problem: "a variant with neither instances nor serverless",
    send: variant({ InstanceType: undefined, InitialInstanceCount: undefined }),
    message:
      "Either InstanceType and InitialInstanceCount, or ServerlessConfig, must be specified for production variant 'AllTraffic'.",
  },
  {
    problem: "endpoint name with an underscore",
    send: (client: SageMakerClient) =>
      client.send(
        new CreateEndpointCommand({ EndpointName: "my_endpoint", EndpointConfigName: "c" }),
      ),
    message: single(
      "endpointName",
      "'my_endpoint'",
      `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    ),
  },
  {
    problem: "update naming a config with a dot",
    send: (client: SageMakerClient) =>
      client.send(new UpdateEndpointCommand({ EndpointName: "e", EndpointConfigName: "c.1" })),
    message: single(
      "endpointConfigName",
      "'c.1'",
      `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    ),
  },
];

describe("SageMaker emulator input validation", () => {
  let emulator: Emulator;
  let client: SageMakerClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = sageMakerClient(emulator.url);
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({ models: [modelInput("existing")] });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it.each(cases)("rejects $problem", async ({ send, message }) => {
    // act
    const error = await send(client).catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ name: "ValidationException", message });
    expect(emulator.state()).toMatchObject({ endpointConfigs: [], endpoints: [] });
    expect(emulator.state().models.map((m) => m.name)).toEqual(["existing"]);
  });

  it("reports every problem at once, counted and joined by '; '", async () => {
    // act
    const error = await client
      .send(new CreateModelCommand({ ModelName: "bad_name", PrimaryContainer: { Image: "x" } }))
      .catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({
      message:
        "2 validation errors detected: " +
        `Value 'bad_name' at 'modelName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}; ` +
        "Value null at 'executionRoleArn' failed to satisfy constraint: Member must not be null",
    });
  });

  it("accepts a serverless variant", async () => {
    // act
    const created = await variant({
      InstanceType: undefined,
      InitialInstanceCount: undefined,
      ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
    })(client);
    // assess
    expect(created.EndpointConfigArn).toContain(":endpoint-config/c");
  });
});
