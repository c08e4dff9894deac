import { beforeEach, describe, expect, it } from "vitest";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import {
  ENDPOINT,
  type Harness,
  handoffTags,
  MINUTE,
  NEW_CONFIG,
  RUN_ID,
  seedCreating,
  stateChangeEvent,
  useHarness,
} from "./harness.js";

const current = useHarness();
let harness: Harness;
beforeEach(() => {
  harness = current();
});

function deadlineIn(ms: number): string {
  return new Date(harness.clock.now() + ms).toISOString();
}

describe("EventBridge state-change events", () => {
  it("dispatch to the callback target the action tagged on the endpoint", async () => {
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 10 * MINUTE },
    });
    seedCreating(harness, deadlineIn(60 * MINUTE));
    harness.clock.advance(10 * MINUTE);

    const result = await handleEvent(
      stateChangeEvent("IN_SERVICE"),
      harness.invocation(),
      harness.deps,
    );

    expect(result.result).toBe(RESULT.dispatched);
    const [dispatch] = harness.github.acceptedDispatches();
    expect(dispatch?.params).toEqual({
      owner: "octo-org",
      repo: "models",
      workflow_id: "sagemaker-deploy-status.yml",
    });
    expect(dispatch?.body).toMatchObject({
      ref: "main",
      inputs: {
        "endpoint-name": ENDPOINT,
        "endpoint-status": "InService",
        "endpoint-config-name": NEW_CONFIG,
        "source-run-id": RUN_ID,
      },
    });
  });

  it("report Failed with the reason DescribeEndpoint gives", async () => {
    harness.emulator.setLifecycle(ENDPOINT, {
      create: {
        status: "Failed",
        afterMs: 5 * MINUTE,
        failureReason: "CannotStartContainerError.",
      },
    });
    seedCreating(harness, deadlineIn(60 * MINUTE));
    harness.clock.advance(5 * MINUTE);

    await handleEvent(stateChangeEvent("FAILED"), harness.invocation(), harness.deps);

    expect(harness.github.acceptedDispatches()[0]?.body).toMatchObject({
      inputs: { "endpoint-status": "Failed", "failure-reason": "CannotStartContainerError." },
    });
  });

  it("trust DescribeEndpoint over the event: an IN_SERVICE event while still Creating waits", async () => {
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 10 * MINUTE },
    });
    seedCreating(harness, deadlineIn(60 * MINUTE));

    const result = await handleEvent(
      stateChangeEvent("IN_SERVICE"),
      harness.invocation(),
      harness.deps,
    );

    expect(result.result).toBe(RESULT.stillWaiting);
    expect(harness.github.requests).toEqual([]);
  });

  it("dispatch once for repeated and out-of-order events", async () => {
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, deadlineIn(60 * MINUTE));
    harness.clock.advance(MINUTE);

    const results = [];
    for (const status of ["IN_SERVICE", "CREATING", "IN_SERVICE", "IN_SERVICE"]) {
      results.push(
        (await handleEvent(stateChangeEvent(status), harness.invocation(), harness.deps)).result,
      );
    }

    expect(results).toEqual([
      "dispatched",
      "already-reported",
      "already-reported",
      "already-reported",
    ]);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
  });

  it("ignore endpoints without the hand-off tags", async () => {
    harness.emulator.seed({
      endpoints: [{ EndpointName: "someone-elses", EndpointConfigName: "their-config" }],
    });

    const result = await handleEvent(
      stateChangeEvent("IN_SERVICE", "someone-elses"),
      harness.invocation(),
      harness.deps,
    );

    expect(result.result).toBe(RESULT.ignored);
    expect(harness.github.requests).toEqual([]);
  });

  it("ignore endpoints that no longer exist", async () => {
    const result = await handleEvent(
      stateChangeEvent("DELETING", "gone-already"),
      harness.invocation(),
      harness.deps,
    );

    expect(result).toMatchObject({ result: RESULT.ignored, detail: "endpoint not found" });
  });

  it("ignore tags left by a hand-off whose deadline has passed", async () => {
    harness.emulator.seed({
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: NEW_CONFIG,
          Tags: handoffTags(deadlineIn(-MINUTE)),
        },
      ],
    });

    const result = await handleEvent(
      stateChangeEvent("IN_SERVICE"),
      harness.invocation(),
      harness.deps,
    );

    expect(result).toMatchObject({ result: RESULT.ignored, detail: "deadline passed" });
    expect(harness.github.requests).toEqual([]);
  });

  it.each([
    {
      name: "callback tags without a deploy id",
      tags: (deadline: string) => handoffTags(deadline).filter((t) => t.Key !== TAG_KEYS.deployId),
      detail: "no hand-off tags",
    },
    {
      name: "callback tags without a run attempt",
      tags: (deadline: string) =>
        handoffTags(deadline).filter((t) => t.Key !== TAG_KEYS.runAttempt),
      detail: "no hand-off tags",
    },
    {
      name: "callback tags with an empty deadline",
      tags: () => handoffTags(""),
      detail: "no hand-off deadline",
    },
    {
      name: "callback tags without a deadline",
      tags: (deadline: string) => handoffTags(deadline).filter((t) => t.Key !== TAG_KEYS.deadline),
      detail: "no hand-off deadline",
    },
    {
      name: "a deadline years ahead",
      tags: () => handoffTags("2036-11-24T16:00:00Z"),
      detail: "deadline further ahead than the action writes",
    },
    {
      name: "a callback ref that cannot be decoded",
      tags: (deadline: string) =>
        handoffTags(deadline).map((t) =>
          t.Key === TAG_KEYS.callbackRef ? { ...t, Value: "fix=2" } : t,
        ),
      detail: "no hand-off tags",
    },
  ])("ignore $name: tags anyone may write are not a hand-off", async ({ tags, detail }) => {
    harness.emulator.seed({
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: NEW_CONFIG,
          Tags: tags(deadlineIn(60 * MINUTE)),
        },
      ],
    });

    const result = await handleEvent(
      stateChangeEvent("IN_SERVICE"),
      harness.invocation(),
      harness.deps,
    );

    expect(result).toMatchObject({ result: RESULT.ignored, detail });
    expect(harness.github.requests).toEqual([]);
    expect(harness.emulator.requests.map((r) => r.operation)).not.toContain("AddTags");
  });

  it("dispatch on the ref the action stored losslessly", async () => {
    const payload = harness.payload({
      callback: { repository: "octo-org/models", workflow: "status.yml", ref: "fix#12(hotfix)" },
    });
    harness.emulator.seed({
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: NEW_CONFIG,
          Tags: handoffTags(payload.deadline, payload),
        },
      ],
    });

    await handleEvent(stateChangeEvent("IN_SERVICE"), harness.invocation(), harness.deps);

    expect(harness.github.acceptedDispatches()[0]?.body).toMatchObject({ ref: "fix#12(hotfix)" });
  });

  it.each([
    { name: "another region", event: { ...stateChangeEvent("IN_SERVICE"), region: "eu-west-1" } },
    {
      name: "another account",
      event: { ...stateChangeEvent("IN_SERVICE"), account: "999988887777" },
    },
  ])("refuse an event from $name, before any AWS call", async ({ event }) => {
    seedCreating(harness, deadlineIn(60 * MINUTE));

    const result = await handleEvent(event, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.refused);
    expect(harness.emulator.requests).toEqual([]);
    expect(harness.github.requests).toEqual([]);
  });

  it("refuse a tagged repository outside ALLOWED_REPOSITORIES", async () => {
    const tags = handoffTags(deadlineIn(60 * MINUTE)).map((tag) =>
      tag.Key === "sagemaker-deploy:repository" ? { ...tag, Value: "intruder/repo" } : tag,
    );
    harness.emulator.seed({
      endpoints: [{ EndpointName: ENDPOINT, EndpointConfigName: NEW_CONFIG, Tags: tags }],
    });

    const result = await handleEvent(
      stateChangeEvent("IN_SERVICE"),
      harness.invocation(),
      harness.deps,
    );

    expect(result.result).toBe(RESULT.refused);
    expect(harness.github.requests).toEqual([]);
  });
});
