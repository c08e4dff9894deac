import type {
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
} from "@aws-sdk/client-sagemaker";

/** An execution role ARN of the emulator's default account. */
export const ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerExecution";

/** A CreateModel input that passes every check. */
export function modelInput(name: string): CreateModelCommandInput {
  return {
    ModelName: name,
    ExecutionRoleArn: ROLE_ARN,
    PrimaryContainer: {
      Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1",
      ModelDataUrl: "s3://bucket/model.tar.gz",
      Environment: { LOG_LEVEL: "info" },
    },
  };
}

/** A CreateEndpointConfig input with one instance variant serving `modelName`. */
export function configInput(name: string, modelName: string): CreateEndpointConfigCommandInput {
  return {
    EndpointConfigName: name,
    ProductionVariants: [
      {
        VariantName: "AllTraffic",
        ModelName: modelName,
        InstanceType: "ml.m5.large",
        InitialInstanceCount: 1,
      },
    ],
  };
}

/** A test's clock for EmulatorOptions.now: lifecycles move only when the test says so. */
export function manualClock(start = 1_800_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Create model `<prefix>-m`, config `<prefix>-c` and endpoint `<prefix>` through the SDK. */
export async function createEndpointStack(client: SageMakerClient, prefix: string) {
  const model = await client.send(new CreateModelCommand(modelInput(`${prefix}-m`)));
  const config = await client.send(
    new CreateEndpointConfigCommand(configInput(`${prefix}-c`, `${prefix}-m`)),
  );
  const endpoint = await client.send(
    new CreateEndpointCommand({ EndpointName: prefix, EndpointConfigName: `${prefix}-c` }),
  );
  return {
    modelArn: model.ModelArn,
    configArn: config.EndpointConfigArn,
    endpointArn: endpoint.EndpointArn,
  };
}
