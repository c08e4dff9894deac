import { UpdateEndpointCommand } from "@aws-sdk/client-sagemaker";
import { beforeEach, describe, expect, it } from "vitest";
import { configInput, modelInput } from "../../test/emulator/fixtures.js";
import { statusDescription, webUrlOf } from "../src/deployment-status.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import {
  ENDPOINT,
  type Harness,
  handoffTags,
  MINUTE,
  NEW_CONFIG,
  OLD_CONFIG,
  REPOSITORY,
  RUN_ID,
  seedCreating,
  stateChangeEvent,
  TEST_TOKEN,
  useHarness,
} from "./harness.js";

const current = useHarness();
let harness: Harness;
beforeEach(() => {
  harness = current();
});

/** Creates a Deployment in the double as the action does before it hands off; answers its id. */
async function createDeployment(): Promise<string> {
  const answer = await fetch(`${harness.github.url}/repos/${REPOSITORY}/deployments`, {
    method: "POST",
    headers: {
      accept: "application/vnd.github+json",
      authorization: `token ${TEST_TOKEN}`,
      "content-type": "application/json",
      "user-agent": "test",
    },
    body: JSON.stringify({ ref: "0123456789abcdef", environment: "staging", auto_merge: false }),
  });
  const { id } = (await answer.json()) as { id: number };
  return String(id);
}

/** The states set on the double's only Deployment, oldest first. */
function states(): unknown[] {
  const [deployment] = harness.github.deployments();
  return deployment?.statuses.map((status) => status.state) ?? [];
}

describe("the GitHub Deployment of a handed-off deploy", () => {
  it("is set to success when the endpoint is InService on the expected config, after the dispatch", async () => {
    // prepare
    const githubDeploymentId = await createDeployment();
    const payload = harness.payload();
    const withId = { ...payload, source: { ...payload.source, githubDeploymentId } };
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    // act
    const result = await handleEvent(withId, harness.invocation(), harness.deps);
    // assess
    expect(result.result).toBe(RESULT.dispatched);
    expect(states()).toEqual(["success"]);
    const [status] = harness.github.deployments()[0]?.statuses ?? [];
    expect(status).toEqual({
      state: "success",
      description: `${ENDPOINT} InService on ${NEW_CONFIG}`,
      environment_url: `https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/${ENDPOINT}`,
      log_url: `${harness.github.url}/${REPOSITORY}/actions/runs/${RUN_ID}`,
    });
    const operations = harness.github.requests.map((r) => r.operation);
    expect(operations.slice(-2)).toEqual(["dispatch", "createDeploymentStatus"]);
    expect(harness.github.requests.filter((r) => r.problems.length > 0)).toEqual([]);
  });

  it("is set to failure when the update rolled back to the old config", async () => {
    // prepare
    const githubDeploymentId = await createDeployment();
    harness.emulator.seed({
      models: [modelInput("churn-model-a"), modelInput("churn-model-b")],
      endpointConfigs: [
        configInput(OLD_CONFIG, "churn-model-a"),
        configInput(NEW_CONFIG, "churn-model-b"),
      ],
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: OLD_CONFIG,
          status: "InService",
          Tags: handoffTags(new Date(harness.clock.now() + 60 * MINUTE).toISOString()),
        },
      ],
    });
    harness.emulator.setLifecycle(ENDPOINT, {
      update: { status: "RolledBack", afterMs: 8 * MINUTE, failureReason: "alarm fired" },
    });
    await harness.client.send(
      new UpdateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: NEW_CONFIG }),
    );
    const payload = harness.payload();
    // act
    await handleEvent(
      { ...payload, source: { ...payload.source, githubDeploymentId } },
      harness.invocation(),
      harness.deps,
    );
    // assess
    expect(states()).toEqual(["failure"]);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
  });

  it("is set even when a state-change event dispatched first", async () => {
    // prepare
    const githubDeploymentId = await createDeployment();
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    harness.clock.advance(2 * MINUTE);
    await handleEvent(stateChangeEvent("IN_SERVICE"), harness.invocation(), harness.deps);
    // act
    const result = await handleEvent(
      { ...payload, source: { ...payload.source, githubDeploymentId } },
      harness.invocation(),
      harness.deps,
    );
    // assess
    expect(result.result).toBe(RESULT.alreadyReported);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
    expect(states()).toEqual(["success"]);
  });

  it("never holds back the dispatch when GitHub refuses the status", async () => {
    // prepare
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    // act: a Deployment the double never created answers 404
    const result = await handleEvent(
      { ...payload, source: { ...payload.source, githubDeploymentId: "999" } },
      harness.invocation(),
      harness.deps,
    );
    // assess
    expect(result.result).toBe(RESULT.dispatched);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
    expect(harness.log.entries).toContainEqual(
      expect.objectContaining({
        level: "warn",
        message: expect.stringContaining("GitHub refused the deployment status"),
      }),
    );
  });

  it("sets nothing without a deployment id in the payload", async () => {
    // prepare
    await createDeployment();
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    // act
    await handleEvent(payload, harness.invocation(), harness.deps);
    // assess
    expect(states()).toEqual([]);
  });
});

describe("deployment status text", () => {
  it("keeps a long failure reason within GitHub's 140 characters", () => {
    const outcome = {
      endpointName: ENDPOINT,
      endpointArn: "",
      status: "Failed",
      configName: NEW_CONFIG,
      failureReason: "x".repeat(500),
      runId: RUN_ID,
    };
    expect(Array.from(statusDescription(outcome, NEW_CONFIG))).toHaveLength(140);
  });

  it.each([
    ["https://api.github.com", "https://github.com"],
    ["https://ghes.example.com/api/v3", "https://ghes.example.com"],
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010"],
  ])("links runs of %s on %s", (api, web) => {
    expect(webUrlOf(api)).toBe(web);
  });
});
