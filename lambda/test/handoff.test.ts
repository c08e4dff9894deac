import { UpdateEndpointCommand } from "@aws-sdk/client-sagemaker";
import { beforeEach, describe, expect, it } from "vitest";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { configInput, modelInput } from "../../test/emulator/fixtures.js";
import { continuationEvent, MAX_HOPS } from "../src/continuation.js";
import { DISPATCH_INPUT_NAMES, TIMED_OUT_REASON } from "../src/dispatch-inputs.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import {
  describeCalls,
  ENDPOINT,
  ENDPOINT_ARN,
  type Harness,
  handoffTags,
  MINUTE,
  NEW_CONFIG,
  OLD_CONFIG,
  RUN_ID,
  seedCreating,
  startHarness,
  useHarness,
} from "./harness.js";

const current = useHarness();
let harness: Harness;
beforeEach(() => {
  harness = current();
});

function onlyDispatch() {
  const accepted = harness.github.acceptedDispatches();
  expect(accepted).toHaveLength(1);
  return accepted[0]?.body as { ref: string; inputs: Record<string, string> };
}

async function seedRollingUpdate(failureReason: string): Promise<void> {
  harness.emulator.seed({
    models: [modelInput("churn-model-a"), modelInput("churn-model-b")],
    endpointConfigs: [
      configInput(OLD_CONFIG, "churn-model-a"),
      configInput(NEW_CONFIG, "churn-model-b"),
    ],
    endpoints: [{ EndpointName: ENDPOINT, EndpointConfigName: OLD_CONFIG, status: "InService" }],
  });
  harness.emulator.setLifecycle(ENDPOINT, {
    update: { status: "RolledBack", afterMs: 8 * MINUTE, failureReason },
  });
  await harness.client.send(
    new UpdateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: NEW_CONFIG }),
  );
}

describe("hand-off payload", () => {
  it("dispatches once, with the six string inputs, when the endpoint turns InService", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 10 * MINUTE },
    });
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    const body = onlyDispatch();
    expect(body.ref).toBe("main");
    expect(Object.keys(body.inputs).sort()).toEqual([...DISPATCH_INPUT_NAMES].sort());
    expect(body.inputs).toEqual({
      "endpoint-name": ENDPOINT,
      "endpoint-status": "InService",
      "endpoint-arn": ENDPOINT_ARN,
      "endpoint-config-name": NEW_CONFIG,
      "failure-reason": "",
      "source-run-id": RUN_ID,
    });
    expect(harness.github.requests[0]?.path).toBe(
      "/repos/octo-org/models/actions/workflows/sagemaker-deploy-status.yml/dispatches",
    );
    // Detection within one poll interval, and DescribeEndpoint calls within T / interval + 3.
    expect(describeCalls(harness.emulator)).toBeLessThanOrEqual(10 * 2 + 3);
  });

  it("records the report on the endpoint's sagemaker-deploy:reported tag", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);

    await handleEvent(payload, harness.invocation(), harness.deps);

    const endpoint = harness.emulator.state().endpoints.find((e) => e.name === ENDPOINT);
    expect(endpoint?.tags[TAG_KEYS.reported]).toBe(`${RUN_ID}/${NEW_CONFIG}/InService`);
  });

  it("reports Failed with SageMaker's FailureReason", async () => {
    const payload = harness.payload();
    const reason =
      "The primary container for production variant AllTraffic did not pass the ping health check.";
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "Failed", afterMs: 7 * MINUTE, failureReason: reason },
    });
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(onlyDispatch().inputs).toMatchObject({
      "endpoint-status": "Failed",
      "failure-reason": reason,
    });
  });

  it("reports a rolled-back update as a failure on the old config", async () => {
    await seedRollingUpdate("Alarm churn-5xx went into ALARM during the canary.");
    const payload = harness.payload();

    await handleEvent(payload, harness.invocation(), harness.deps);

    const inputs = onlyDispatch().inputs;
    expect(inputs["endpoint-status"]).toBe("InService");
    expect(inputs["endpoint-config-name"]).toBe(OLD_CONFIG);
    expect(inputs["failure-reason"]).toMatch(/^update rolled back: .*churn-5xx went into ALARM/);
  });

  it("reports 'timed out waiting' with the current status at the deadline", async () => {
    const payload = harness.payload({}, 5 * MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(onlyDispatch().inputs).toMatchObject({
      "endpoint-status": "Creating",
      "failure-reason": TIMED_OUT_REASON,
    });
    expect(harness.continuations).toEqual([]);
  });

  it("refuses a fresh hand-off whose deadline has already passed: the action never sends one", async () => {
    const payload = harness.payload({}, -MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.invalid);
    expect(harness.github.dispatches()).toEqual([]);
    expect(describeCalls(harness.emulator)).toBe(0);
  });

  it("reports at once when a continuation arrives after the deadline passed", async () => {
    const payload = harness.payload({}, -MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    seedCreating(harness, payload.deadline);

    await handleEvent(continuationEvent(payload, 3), harness.invocation(), harness.deps);

    expect(onlyDispatch().inputs["failure-reason"]).toBe(TIMED_OUT_REASON);
    expect(describeCalls(harness.emulator)).toBe(1);
  });

  it("truncates a very long failure reason", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "Failed", afterMs: MINUTE, failureReason: "x".repeat(1024) },
    });
    seedCreating(harness, payload.deadline);

    await handleEvent(payload, harness.invocation(), harness.deps);

    const reason = onlyDispatch().inputs["failure-reason"] ?? "";
    expect(Array.from(reason)).toHaveLength(1000);
    expect(reason.endsWith("…")).toBe(true);
  });

  it("reports an endpoint deleted while it was awaited, without tagging it", async () => {
    const payload = harness.payload();

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(onlyDispatch().inputs).toMatchObject({
      "endpoint-status": "NotFound",
      "failure-reason": `endpoint '${ENDPOINT}' no longer exists`,
    });
  });
});

describe("waits longer than one invocation", () => {
  it("schedules a continuation with the next hop before Lambda's 15 minutes run out", async () => {
    const payload = harness.payload({}, 60 * MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    seedCreating(harness, payload.deadline);
    const started = harness.clock.now();

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.continued);
    expect(harness.github.requests).toEqual([]);
    const [continuation] = harness.continuations;
    expect(continuation).toMatchObject({ payload, hop: 1 });
    expect(continuation?.functionArn).toMatch(/^arn:aws:lambda:/);
    // The wait used the invocation up to its safety margin, and no further.
    const waited = harness.clock.now() - started;
    expect(waited).toBeGreaterThanOrEqual(12 * MINUTE);
    expect(waited).toBeLessThanOrEqual(13 * MINUTE);
  });

  it("follows the chain of continuations to one dispatch when the endpoint settles", async () => {
    const payload = harness.payload({}, 90 * MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 40 * MINUTE },
    });
    seedCreating(harness, payload.deadline);

    let event: unknown = payload;
    const results: string[] = [];
    for (let hop = 0; hop < 10; hop += 1) {
      const { result } = await handleEvent(event, harness.invocation(), harness.deps);
      results.push(result);
      const next = harness.continuations.at(-1);
      if (result !== RESULT.continued || !next) break;
      harness.clock.advance(next.at - harness.clock.now());
      event = JSON.parse(JSON.stringify(continuationEvent(next.payload, next.hop)));
    }

    // About 14 minutes a hop (13 waiting, 1 until the schedule fires): 40 minutes take three.
    expect(results).toEqual(["continued", "continued", "dispatched"]);
    expect(harness.continuations.map((c) => c.hop)).toEqual([1, 2]);
    expect(onlyDispatch().inputs["endpoint-status"]).toBe("InService");
  });

  it("reports 'timed out waiting' at the last hop instead of continuing forever", async () => {
    const payload = harness.payload({}, 365 * 24 * 60 * MINUTE);
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    seedCreating(harness, payload.deadline);

    const result = await handleEvent(
      continuationEvent(payload, MAX_HOPS),
      harness.invocation(),
      harness.deps,
    );

    expect(result.result).toBe(RESULT.dispatched);
    expect(onlyDispatch().inputs["failure-reason"]).toBe(TIMED_OUT_REASON);
    expect(harness.continuations).toEqual([]);
  });

  it("lets the error through when the continuation cannot be scheduled, so Lambda retries", async () => {
    const failing = await startHarness({
      deps: {
        scheduleContinuation: async () => {
          throw new Error("CreateSchedule 'x' failed: AccessDeniedException");
        },
      },
    });
    try {
      const payload = failing.payload({}, 60 * MINUTE);
      failing.emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
      seedCreating(failing, payload.deadline);

      await expect(handleEvent(payload, failing.invocation(), failing.deps)).rejects.toThrow(
        /AccessDenied/,
      );
      expect(failing.github.requests).toEqual([]);
    } finally {
      await failing.close();
    }
  });
});

describe("at most one dispatch per deployment", () => {
  it("dispatches once for a retried payload and a repeated state-change event", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);

    const results = [
      await handleEvent(payload, harness.invocation(), harness.deps),
      await handleEvent(payload, harness.invocation(), harness.deps),
      await handleEvent(
        {
          source: "aws.sagemaker",
          "detail-type": "SageMaker Endpoint State Change",
          region: "us-east-1",
          detail: { EndpointName: ENDPOINT, EndpointStatus: "IN_SERVICE" },
        },
        harness.invocation(),
        harness.deps,
      ),
    ].map((r) => r.result);

    expect(results).toEqual(["dispatched", "already-reported", "already-reported"]);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
  });

  it("reports a later deployment of the same endpoint again", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    await handleEvent(payload, harness.invocation(), harness.deps);

    const next = harness.payload({ source: { ...payload.source, runId: "4243" } });
    const result = await handleEvent(next, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(
      harness.github
        .acceptedDispatches()
        .map((d) => (d.body as { inputs: Record<string, string> }).inputs["source-run-id"]),
    ).toEqual([RUN_ID, "4243"]);
  });

  it("does not dispatch when the report cannot be recorded, and lets Lambda retry", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    harness.emulator.failNext("AddTags", {
      type: "AccessDeniedException",
      message: "not authorized to perform: sagemaker:AddTags",
    });

    await expect(handleEvent(payload, harness.invocation(), harness.deps)).rejects.toThrow(
      /AddTags/,
    );

    expect(harness.github.requests).toEqual([]);
  });
});

describe("the callback repository", () => {
  it("is refused outside ALLOWED_REPOSITORIES, before any AWS or GitHub call", async () => {
    const payload = harness.payload({
      callback: { repository: "someone-else/models", workflow: "x.yml", ref: "main" },
    });
    harness.emulator.seed({
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: NEW_CONFIG,
          Tags: handoffTags(payload.deadline),
        },
      ],
    });

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.refused);
    expect(harness.github.requests).toEqual([]);
    expect(describeCalls(harness.emulator)).toBe(0);
    expect(
      harness.log.entries.some(
        (e) => e.level === "error" && /ALLOWED_REPOSITORIES/.test(e.message),
      ),
    ).toBe(true);
  });
});
