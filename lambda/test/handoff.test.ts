import {
  AddTagsCommand,
  DeleteEndpointCommand,
  UpdateEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import { beforeEach, describe, expect, it } from "vitest";
import { createSageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { configInput, modelInput } from "../../test/emulator/fixtures.js";
import { continuationEvent } from "../src/continuation.js";
import { DISPATCH_INPUT_NAMES, TIMED_OUT_REASON } from "../src/dispatch-inputs.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import { MAX_HOPS } from "../src/limits.js";
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
    expect(endpoint?.tags[TAG_KEYS.reported]).toMatch(
      new RegExp(`^${RUN_ID}/1/${NEW_CONFIG}/InService/[0-9a-f]{8}$`),
    );
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
    const started = harness.clock.now();

    await handleEvent(continuationEvent(payload, 3), harness.invocation(), harness.deps);

    expect(onlyDispatch().inputs["failure-reason"]).toBe(TIMED_OUT_REASON);
    expect(harness.clock.now() - started).toBeLessThan(MINUTE);
    expect(harness.continuations).toEqual([]);
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
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "stuck" },
      deleteAfterMs: 0,
    });
    seedCreating(harness, payload.deadline);
    const gateway = createSageMakerGateway({ client: harness.client });
    // Someone deletes the endpoint once the function has found it and its tags.
    const describe = async (name: string) => {
      if (describeCalls(harness.emulator) === 1) {
        await harness.client.send(new DeleteEndpointCommand({ EndpointName: ENDPOINT }));
      }
      return gateway.describeEndpoint(name);
    };
    // The wait reads through pollEndpoint, the trust checks through describeEndpoint.
    const deleting = { ...gateway, describeEndpoint: describe, pollEndpoint: describe };

    const result = await handleEvent(payload, harness.invocation(), {
      ...harness.deps,
      sagemaker: () => deleting,
    });

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
    const payload = harness.payload({}, 20 * 60 * MINUTE);
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
    await harness.client.send(
      new AddTagsCommand({ ResourceArn: ENDPOINT_ARN, Tags: handoffTags(next.deadline, next) }),
    );
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

describe("a re-run of the same workflow run", () => {
  it("gets its own callback for the same config after attempt 1 was reported", async () => {
    await seedRollingUpdate("Alarm churn-5xx went into ALARM during the canary.");
    const first = harness.payload();
    await harness.client.send(
      new AddTagsCommand({ ResourceArn: ENDPOINT_ARN, Tags: handoffTags(first.deadline, first) }),
    );
    const attempt1 = await handleEvent(first, harness.invocation(), harness.deps);
    // Attempt 2 deploys the same config again, with a deploy id of its own; this time it holds.
    const second = harness.payload({
      source: {
        ...first.source,
        runAttempt: "2",
        deployId: "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
      },
    });
    harness.emulator.setLifecycle(ENDPOINT, {
      update: { status: "InService", afterMs: 5 * MINUTE },
    });
    await harness.client.send(
      new UpdateEndpointCommand({ EndpointName: ENDPOINT, EndpointConfigName: NEW_CONFIG }),
    );
    await harness.client.send(
      new AddTagsCommand({ ResourceArn: ENDPOINT_ARN, Tags: handoffTags(second.deadline, second) }),
    );

    const attempt2 = await handleEvent(second, harness.invocation(), harness.deps);

    expect([attempt1.result, attempt2.result]).toEqual([RESULT.dispatched, RESULT.dispatched]);
    expect(
      harness.github
        .acceptedDispatches()
        .map((d) => (d.body as { inputs: Record<string, string> }).inputs["endpoint-status"]),
    ).toEqual(["InService", "InService"]);
    const inputs = harness.github
      .acceptedDispatches()
      .map((d) => (d.body as { inputs: Record<string, string> }).inputs);
    expect(inputs[0]?.["failure-reason"]).toMatch(/^update rolled back/);
    expect(inputs[1]).toMatchObject({ "endpoint-config-name": NEW_CONFIG, "failure-reason": "" });
  });
});

describe("polling", () => {
  it("polls densely around the time the endpoint's last create took, counted from when it began", async () => {
    // The create began two minutes before the hand-off and takes as long as the last one, plus 12 s.
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 10 * MINUTE + 12_000 },
    });
    harness.emulator.seed({
      endpoints: [
        {
          EndpointName: ENDPOINT,
          EndpointConfigName: NEW_CONFIG,
          status: "Creating",
          Tags: [
            ...handoffTags(payload.deadline),
            { Key: TAG_KEYS.timing, Value: "create=600 update=300" },
          ],
        },
      ],
    });
    const createdAt = harness.clock.now();
    harness.clock.advance(2 * MINUTE);
    let reportedAt = 0;
    const deps = {
      ...harness.deps,
      random: () => 0.5,
      getToken: async () => {
        reportedAt = harness.clock.now();
        return harness.deps.getToken();
      },
    };

    const result = await handleEvent(payload, harness.invocation(), deps);

    expect(result.result).toBe(RESULT.dispatched);
    // A fixed 30 s poll would notice up to 30 s late; the dense window polls every 5 s.
    const inServiceAt = createdAt + 10 * MINUTE + 12_000;
    expect(reportedAt - inServiceAt).toBeGreaterThanOrEqual(0);
    expect(reportedAt - inServiceAt).toBeLessThanOrEqual(5_000);
  });

  it("records how long the create took, with the report, in the timing tag", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 7 * MINUTE },
    });
    seedCreating(harness, payload.deadline);

    await handleEvent(payload, harness.invocation(), harness.deps);

    const endpoint = harness.emulator.state().endpoints.find((e) => e.name === ENDPOINT);
    expect(endpoint?.tags[TAG_KEYS.timing]).toBe("create=420");
  });

  it("leaves the timing tag alone when the deploy failed", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, {
      create: {
        status: "Failed",
        afterMs: 7 * MINUTE,
        failureReason: "CannotStartContainerError.",
      },
    });
    seedCreating(harness, payload.deadline);

    await handleEvent(payload, harness.invocation(), harness.deps);

    const endpoint = harness.emulator.state().endpoints.find((e) => e.name === ENDPOINT);
    expect(endpoint?.tags[TAG_KEYS.timing]).toBeUndefined();
    expect(onlyDispatch().inputs["endpoint-status"]).toBe("Failed");
  });
});
