import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubApiDouble, startGithubApiDouble } from "../../test/doubles/github-api.js";
import { type LambdaDouble, startLambdaDouble } from "../../test/doubles/lambda-api.js";
import { demoInputs, runAction, TEST_GITHUB_TOKEN } from "../../test/e2e/run-action.js";
import { manualClock } from "../../test/emulator/fixtures.js";
import { type Emulator, startEmulator } from "../../test/emulator/server.js";
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
  // The action records the Deployment with the job's token; the function finishes it with its own.
  github = await startGithubApiDouble({
    tokens: [TEST_TOKEN, TEST_GITHUB_TOKEN],
    workflowInputs: await exampleWorkflowInputs(),
  });
  secrets = await startSecretsManagerDouble({ [SECRET_ARN]: TEST_TOKEN });
});

afterAll(async () => {
  await Promise.all([emulator.close(), lambda.close(), github.close(), secrets.close()]);
});

describe("a handed-off deploy's GitHub Deployment (dist/index.js → lambda/dist/index.mjs)", () => {
  it("is left in_progress by the action and set to success by the Lambda", async () => {
    // prepare
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: 30 * MINUTE } });
    // act: the action records the Deployment and hands off
    const run = await runAction({
      inputs: demoInputs({
        "wait-timeout": "2s",
        "handoff-function": "sagemaker-deploy-companion",
        "handoff-workflow": "sagemaker-deploy-status.yml",
        "github-environment": "staging",
      }),
      sagemakerUrl: emulator.url,
      lambdaUrl: lambda.url,
      githubUrl: github.url,
    });
    const [deployment] = github.deployments();
    const afterAction = deployment?.statuses.map((s) => s.state);
    // act: half an hour later the endpoint is InService, and the Lambda reports
    clock.advance(30 * MINUTE);
    Object.assign(process.env, {
      ...handlerEnv({ sagemaker: emulator.url, secrets: secrets.url, github: github.url }),
      POWERTOOLS_LOG_LEVEL: "WARN",
    });
    const { handler } = (await import("../dist/index.mjs" as string)) as { handler: Handler };
    const event = JSON.parse(lambda.invocations[0]?.rawBody ?? "null") as unknown;
    const result = await handler(event, lambdaContext());
    // assess
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs["handed-off"]).toBe("true");
    expect(run.outputs["github-deployment-id"]).toBe(String(deployment?.id));
    expect(github.deployments()).toHaveLength(1);
    expect(afterAction).toEqual(["in_progress"]);
    expect(result.result).toBe("dispatched");
    expect(deployment?.statuses.map((s) => s.state)).toEqual(["in_progress", "success"]);
    expect(deployment?.statuses.at(-1)).toMatchObject({
      description: expect.stringMatching(/^fraud-scorer InService on fraud-scorer-[0-9a-f]{12}$/),
      log_url: `${github.url}/octo-org/fraud-models/actions/runs/4242`,
    });
    const statusCalls = github.requests.filter((r) => r.operation === "createDeploymentStatus");
    expect(statusCalls.at(-1)?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(github.requests.filter((r) => r.problems.length > 0)).toEqual([]);
  });
});
