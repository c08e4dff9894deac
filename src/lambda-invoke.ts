import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { InvokeHandoff } from "./ports.js";
import { awsClientConfig } from "./shared/aws-client.js";

/** Invokes the companion asynchronously (InvocationType Event) with the hand-off payload. */
export const invokeHandoff: InvokeHandoff = async ({ region, functionName, payload }) => {
  const lambda = new LambdaClient(awsClientConfig({ region }));
  try {
    await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  } finally {
    lambda.destroy();
  }
};
