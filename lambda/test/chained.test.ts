import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { type GithubApiDouble, startGithubApiDouble } from "../../test/doubles/github-api.js";
import { type LambdaDouble, startLambdaDouble } from "../../test/doubles/lambda-api.js";
import { demoInputs, RUNNER_ENV, runAction } from "../../test/e2e/run-action.js";
import { manualClock } from "../../test/emulator/fixtures.js";
import { type Emulator, startEmulator } from "../../test/emulator/server.js";
import { recordAwsCalls, sageMakerActions } from "../../test/support/aws-calls.js";
import type { HandlerResult } from "../src/handler-result.js";
import {
  exampleWorkflowInputs,
  handlerEnv,
  lambdaContext,
  MINUTE,
  SECRET_ARN,
  TEST_TOKEN,
} from "./harness.js";
import { type SecretsManagerDouble, startSecretsManagerDouble } from "./secrets-manager-double.js";

type Handler = (event: unknown, context: Context) => Promise<HandlerResult>;

const ENDPOINT = "fraud-scorer";
const clock = manualClock();
let emulator: Emulator;
let lambda: LambdaDouble;
let github: GithubApiDouble;
let secrets: SecretsManagerDouble;

beforeAll(async () => {
  emulator = await startEmulator({ now: clock.now });
  lambda = await startLambdaDouble();
  github = await startGithubApiDouble({
    tokens: [TEST_TOKEN],
    workflowInputs: await exampleWorkflowInputs(),
  });
  secrets = await startSecretsManagerDouble({ [SECRET_ARN]: TEST_TOKEN });
});

afterAll(async () => {
  await Promise.all([emulator.close(), lambda.close(), github.close(), secrets.close()]);
});

describe("the action hands off, the Lambda reports (dist/index.js → lambda/dist/index.mjs)", () => {
  it("dispatches exactly once with InService, from the exact payload the action sent", async () => {
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: 30 * MINUTE } });

    const run = await runAction({
      inputs: demoInputs({
        "wait-timeout": "2s",
        "handoff-function": "sagemaker-deploy-companion",
        "handoff-workflow": "sagemaker-deploy-status.yml",
      }),
      sagemakerUrl: emulator.url,
      lambdaUrl: lambda.url,
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs["handed-off"]).toBe("true");
    expect(run.outputs["endpoint-status"]).toBe("Creating");
    const [invocation] = lambda.invocations;
    expect(lambda.invocations).toHaveLength(1);
    expect(invocation?.invocationType).toBe("Event");
    expect(invocation?.rawBody).not.toContain(TEST_TOKEN);
    const tags = emulator.state().endpoints.find((e) => e.name === ENDPOINT)?.tags ?? {};
    expect(tags[TAG_KEYS.callbackWorkflow]).toBe("sagemaker-deploy-status.yml");

    // Half an hour later the endpoint is InService; the Lambda gets the payload as sent.
    clock.advance(30 * MINUTE);
    Object.assign(process.env, {
      ...handlerEnv({ sagemaker: emulator.url, secrets: secrets.url, github: github.url }),
      POWERTOOLS_LOG_LEVEL: "WARN",
    });
    const actionCalls = emulator.requests.length;
    const { handler } = (await import("../dist/index.mjs" as string)) as { handler: Handler };
    const event = JSON.parse(invocation?.rawBody ?? "null") as unknown;

    const first = await handler(event, lambdaContext());
    const retried = await handler(event, lambdaContext());

    recordAwsCalls("chained", "action", [
      ...sageMakerActions(emulator.requests.slice(0, actionCalls)),
      ...lambda.invocations.map(() => "lambda:InvokeFunction"),
    ]);
    recordAwsCalls("chained", "lambda", [
      ...sageMakerActions(emulator.requests.slice(actionCalls)),
      ...secrets.reads.map(() => "secretsmanager:GetSecretValue"),
    ]);
    expect([first.result, retried.result]).toEqual(["dispatched", "already-reported"]);
    expect(github.dispatches()).toHaveLength(1);
    const [dispatch] = github.acceptedDispatches();
    expect(dispatch?.params).toEqual({
      owner: "octo-org",
      repo: "fraud-models",
      workflow_id: "sagemaker-deploy-status.yml",
    });
    expect(dispatch?.body).toEqual({
      ref: "main",
      inputs: {
        "endpoint-name": ENDPOINT,
        "endpoint-status": "InService",
        "endpoint-arn": run.outputs["endpoint-arn"],
        "endpoint-config-name": run.outputs["endpoint-config-name"],
        "failure-reason": "",
        "source-run-id": RUNNER_ENV.GITHUB_RUN_ID,
      },
    });
  });
});
