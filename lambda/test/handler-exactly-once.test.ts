import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubApiDouble, startGithubApiDouble } from "../../test/doubles/github-api.js";
import { type Emulator, startEmulator } from "../../test/emulator/server.js";
import { recordAwsCalls } from "../../test/support/aws-calls.js";
import { ENV } from "../src/config.js";
import type { HandlerResult } from "../src/handler-result.js";
import { type DynamoDbDouble, startDynamoDbDouble } from "./dynamodb-double.js";
import {
  ENDPOINT,
  exampleWorkflowInputs,
  handlerEnv,
  handoffPayload,
  handoffTags,
  lambdaContext,
  NEW_CONFIG,
  SECRET_ARN,
  stateChangeEvent,
  TEST_TOKEN,
} from "./harness.js";
import { type SecretsManagerDouble, startSecretsManagerDouble } from "./secrets-manager-double.js";

type Handler = (event: unknown, context: Context) => Promise<HandlerResult>;

const TABLE = "sagemaker-deploy-companion-reports";

/** The bundle as Lambda loads it, set up with the reports table (EnableExactlyOnce=true). */
const load = () => import("../dist/index.mjs" as string) as Promise<{ handler: Handler }>;

let emulator: Emulator;
let github: GithubApiDouble;
let secrets: SecretsManagerDouble;
let dynamodb: DynamoDbDouble;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator();
  github = await startGithubApiDouble({
    tokens: [TEST_TOKEN],
    workflowInputs: await exampleWorkflowInputs(),
  });
  secrets = await startSecretsManagerDouble({ [SECRET_ARN]: TEST_TOKEN });
  dynamodb = await startDynamoDbDouble([TABLE]);
  process.env = {
    ...saved,
    ...handlerEnv({ sagemaker: emulator.url, secrets: secrets.url, github: github.url }),
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
    [ENV.reportsTableName]: TABLE,
    POWERTOOLS_LOG_LEVEL: "WARN",
    POWERTOOLS_METRICS_DISABLED: "true",
  };
});

afterAll(async () => {
  recordAwsCalls(
    "lambda-handler-exactly-once",
    "lambda",
    dynamodb.operations.map((operation) => `dynamodb:${operation}`),
  );
  process.env = saved;
  await Promise.all([emulator.close(), github.close(), secrets.close(), dynamodb.close()]);
});

describe("lambda/dist/index.mjs with REPORTS_TABLE_NAME", () => {
  it("dispatches once for a hand-off and its EventBridge event handled at the same time", async () => {
    const payload = handoffPayload({ deadline: new Date(Date.now() + 3_600_000).toISOString() });
    emulator.seed({
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: NEW_CONFIG,
          Tags: handoffTags(payload.deadline, payload),
        },
      ],
    });
    const { handler } = await load();

    const results = await Promise.all([
      handler(payload, lambdaContext("0f1e2d3c-0000-4000-8000-000000000001")),
      handler(
        stateChangeEvent("IN_SERVICE"),
        lambdaContext("0f1e2d3c-0000-4000-8000-000000000002"),
      ),
    ]);

    expect(results.map((r) => r.result).sort()).toEqual(["already-reported", "dispatched"]);
    expect(github.acceptedDispatches()).toHaveLength(1);
    expect(dynamodb.items(TABLE)).toHaveLength(1);
  });
});
