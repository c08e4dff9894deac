import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
} from "@aws-sdk/client-sagemaker";
import { beforeEach, describe, expect, it } from "vitest";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import { createSageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { configInput, modelInput } from "../../test/emulator/fixtures.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import { MAX_DEADLINE_AHEAD_MS } from "../src/limits.js";
import { parseFunctionArn } from "../src/trust.js";
import {
  describeCalls,
  ENDPOINT,
  ENDPOINT_ARN,
  FUNCTION_ARN,
  type Harness,
  handoffTags,
  MINUTE,
  NEW_CONFIG,
  seedCreating,
  useHarness,
} from "./harness.js";

const current = useHarness();
let harness: Harness;
beforeEach(() => {
  harness = current();
});

/** The AddTags calls the emulator answered: a refusal writes nothing on the endpoint. */
function writes(): string[] {
  return harness.emulator.requests
    .map((request) => request.operation)
    .filter((operation) => operation === "AddTags");
}

function seedInService(tags: { Key: string; Value: string }[]): void {
  harness.emulator.seed({
    endpoints: [{ EndpointName: ENDPOINT, EndpointConfigName: NEW_CONFIG, Tags: tags }],
  });
}

describe("a hand-off is trusted only on the endpoint's own evidence", () => {
  it("dispatches nothing, however often it is sent, for an endpoint that does not exist", async () => {
    const forged = harness.payload();

    const results = [
      await handleEvent(forged, harness.invocation(), harness.deps),
      await handleEvent(forged, harness.invocation(), harness.deps),
    ];

    expect(results.map((r) => r.result)).toEqual([RESULT.refused, RESULT.refused]);
    expect(results[0]?.detail).toMatch(/does not exist/);
    expect(harness.github.requests).toEqual([]);
    expect(writes()).toEqual([]);
    expect(harness.log.entries.some((e) => e.level === "error" && /^Refused/.test(e.message))).toBe(
      true,
    );
  });

  it.each([
    {
      name: "another account's endpoint ARN",
      payload: { endpointArn: ENDPOINT_ARN.replace("123456789012", "999988887777") },
    },
    {
      name: "another region",
      payload: {
        region: "eu-west-1",
        endpointArn: ENDPOINT_ARN.replace("us-east-1", "eu-west-1"),
      },
    },
    {
      name: "an ARN in another region",
      payload: { endpointArn: ENDPOINT_ARN.replace("us-east-1", "eu-west-1") },
    },
  ])("refuses $name before any AWS call", async ({ payload }) => {
    seedInService(handoffTags(harness.payload().deadline));

    const result = await handleEvent(harness.payload(payload), harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.refused);
    expect(harness.emulator.requests).toEqual([]);
    expect(harness.github.requests).toEqual([]);
  });

  it("refuses an endpointArn that is not the ARN of endpointName", async () => {
    seedInService(handoffTags(harness.payload().deadline));
    const payload = harness.payload({ endpointArn: ENDPOINT_ARN.replace(ENDPOINT, "another") });

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result).toMatchObject({ result: RESULT.refused, detail: expect.stringMatching(/ARN/) });
    expect(harness.github.requests).toEqual([]);
  });

  const other = (change: (payload: HandoffPayload) => HandoffPayload) => change;
  it.each([
    {
      tag: "deploy-id",
      forged: other((p) => ({
        ...p,
        source: { ...p.source, deployId: "11111111-2222-4333-8444-555555555555" },
      })),
    },
    {
      tag: "repository",
      forged: other((p) => ({ ...p, callback: { ...p.callback, repository: "octo-org/other" } })),
    },
    {
      tag: "callback-ref",
      forged: other((p) => ({ ...p, callback: { ...p.callback, ref: "evil" } })),
    },
    {
      tag: "callback-workflow",
      forged: other((p) => ({ ...p, callback: { ...p.callback, workflow: "other.yml" } })),
    },
    {
      tag: "run-attempt",
      forged: other((p) => ({ ...p, source: { ...p.source, runAttempt: "2" } })),
    },
    { tag: "run-id", forged: other((p) => ({ ...p, source: { ...p.source, runId: "1" } })) },
    {
      tag: "expected-config",
      forged: other((p) => ({ ...p, expectedConfigName: "other-config" })),
    },
  ])("refuses a payload whose $tag the endpoint's tags do not show", async ({ tag, forged }) => {
    const genuine = harness.payload();
    seedInService(handoffTags(genuine.deadline, genuine));

    const result = await handleEvent(forged(genuine), harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.refused);
    expect(result.detail).toContain(`sagemaker-deploy:${tag}`);
    expect(harness.github.requests).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it("refuses a callback-ref tag it cannot decode", async () => {
    const payload = harness.payload();
    seedInService(
      handoffTags(payload.deadline).map((t) =>
        t.Key === TAG_KEYS.callbackRef ? { ...t, Value: "main=ZZ" } : t,
      ),
    );

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result).toMatchObject({
      result: RESULT.refused,
      detail: expect.stringMatching(/callback-ref cannot be decoded/),
    });
    expect(harness.github.requests).toEqual([]);
  });

  it("dispatches on a ref with characters tags cannot hold, decoded from the tag", async () => {
    const payload = harness.payload({
      callback: { repository: "octo-org/models", workflow: "status.yml", ref: "fix#12(hotfix)" },
    });
    seedInService(handoffTags(payload.deadline, payload));

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(harness.github.acceptedDispatches()[0]?.body).toMatchObject({ ref: "fix#12(hotfix)" });
  });

  it("waits out SageMaker's eventually consistent reads of a create the hand-off just followed", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 5 * MINUTE },
      staleReads: { afterCreate: 2 },
    });
    await harness.client.send(new CreateModelCommand(modelInput("churn-model-b")));
    await harness.client.send(
      new CreateEndpointConfigCommand(configInput(NEW_CONFIG, "churn-model-b")),
    );
    await harness.client.send(
      new CreateEndpointCommand({
        EndpointName: ENDPOINT,
        EndpointConfigName: NEW_CONFIG,
        Tags: handoffTags(payload.deadline),
      }),
    );

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(harness.log.entries.some((e) => /does not show this hand-off yet/.test(e.message))).toBe(
      true,
    );
  });

  it("refuses a payload for a missing endpoint only after that grace", async () => {
    const started = harness.clock.now();

    await handleEvent(harness.payload(), harness.invocation(), harness.deps);

    expect(harness.clock.now() - started).toBeGreaterThanOrEqual(MINUTE);
    expect(harness.clock.now() - started).toBeLessThan(2 * MINUTE);
    expect(describeCalls(harness.emulator)).toBeLessThanOrEqual(5);
  });

  it("refuses a continuation for a missing endpoint at once: only a fresh hand-off may race SageMaker", async () => {
    const started = harness.clock.now();

    const result = await handleEvent(
      { ...harness.payload(), continuation: { hop: 4 } },
      harness.invocation(),
      harness.deps,
    );

    expect(result.result).toBe(RESULT.refused);
    expect(harness.clock.now()).toBe(started);
  });
});

describe("a deploy that takes the endpoint over while the hand-off waits", () => {
  it("ends the earlier hand-off without a callback, since the endpoint is no longer its", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 5 * MINUTE },
    });
    seedCreating(harness, payload.deadline);
    const later = harness.payload({
      source: {
        ...payload.source,
        runId: "4300",
        deployId: "9e8d7c6b-5a49-4382-9716-05f4e3d2c1b0",
      },
    });
    const gateway = createSageMakerGateway({ client: harness.client });
    // A later run retags the endpoint for its own deploy after this hand-off began waiting.
    const describe = async (name: string) => {
      if (describeCalls(harness.emulator) === 2) {
        await harness.client.send(
          new AddTagsCommand({
            ResourceArn: ENDPOINT_ARN,
            Tags: handoffTags(later.deadline, later),
          }),
        );
      }
      return gateway.describeEndpoint(name);
    };
    // The wait reads through pollEndpoint, the trust checks through describeEndpoint.
    const takenOver = { ...gateway, describeEndpoint: describe, pollEndpoint: describe };

    const result = await handleEvent(payload, harness.invocation(), {
      ...harness.deps,
      sagemaker: () => takenOver,
    });

    expect(result).toMatchObject({ result: RESULT.refused, detail: "superseded" });
    expect(harness.github.requests).toEqual([]);
  });
});

describe("the deadline", () => {
  it("is refused years ahead, before any AWS call", async () => {
    const payload = harness.payload({}, 5 * 365 * 24 * 60 * MINUTE);
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result).toMatchObject({ result: RESULT.refused, detail: expect.stringMatching(/24 h/) });
    expect(harness.emulator.requests).toEqual([]);
  });

  it("is accepted at the longest handoff-timeout, 24 h", async () => {
    const payload = harness.payload({}, 24 * 60 * MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.continued);
  });

  it("is refused just past 24 h and its margin", async () => {
    const payload = harness.payload({}, MAX_DEADLINE_AHEAD_MS + 1_000);
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.refused);
  });
});

describe("parseFunctionArn", () => {
  it.each([
    [FUNCTION_ARN, { partition: "aws", region: "us-east-1", account: "123456789012" }],
    [`${FUNCTION_ARN}:live`, { partition: "aws", region: "us-east-1", account: "123456789012" }],
    [
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f",
      { partition: "aws-us-gov", region: "us-gov-west-1", account: "123456789012" },
    ],
    ["sagemaker-deploy-companion", undefined],
    ["arn:aws:lambda:us-east-1:12345:function:f", undefined],
  ])("%s", (arn, location) => {
    expect(parseFunctionArn(arn)).toEqual(location);
  });
});
