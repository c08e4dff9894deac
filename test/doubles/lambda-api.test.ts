import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LambdaDouble } from "./lambda-api.js";
import { startLambdaDouble } from "./lambda-api.js";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:sagemaker-deploy-handoff";

describe("Lambda Invoke double through the real SDK client", () => {
  let double: LambdaDouble;
  let client: LambdaClient;

  beforeEach(async () => {
    double = await startLambdaDouble();
    client = new LambdaClient({
      endpoint: double.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await double.close();
  });

  it("accepts an asynchronous invocation by ARN with 202 and records its payload", async () => {
    // prepare
    const payload = { version: 1, endpointName: "e" };
    // act
    const result = await client.send(
      new InvokeCommand({
        FunctionName: FUNCTION_ARN,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    // assess
    expect(result.StatusCode).toBe(202);
    expect(double.invocations).toEqual([
      {
        functionName: FUNCTION_ARN,
        invocationType: "Event",
        payload,
        rawBody: JSON.stringify(payload),
      },
    ]);
  });

  it("answers a synchronous invocation with 200 and a null payload", async () => {
    // act
    const result = await client.send(new InvokeCommand({ FunctionName: "handoff" }));
    // assess
    expect(result.StatusCode).toBe(200);
    expect(new TextDecoder().decode(result.Payload)).toBe("null");
    expect(double.invocations[0]).toMatchObject({
      functionName: "handoff",
      invocationType: "RequestResponse",
    });
  });

  it.each([
    { status: 404, type: "ResourceNotFoundException", message: "Function not found: handoff" },
    {
      status: 403,
      type: "AccessDeniedException",
      message: "User is not authorized to perform: lambda:InvokeFunction",
    },
  ])("surfaces $type (HTTP $status) to the SDK", async ({ status, type, message }) => {
    // prepare
    double.failNext(status, type, message);
    // act
    const error = await client
      .send(new InvokeCommand({ FunctionName: "handoff", InvocationType: "Event" }))
      .catch((e: unknown) => e);
    // assess
    expect(error).toMatchObject({ name: type, message, $metadata: { httpStatusCode: status } });
    expect(double.invocations).toEqual([]);
  });
});
