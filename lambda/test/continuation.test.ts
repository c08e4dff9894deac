import {
  ConflictException,
  CreateScheduleCommand,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { recordAwsCalls } from "../../test/support/aws-calls.js";
import { classifyEvent } from "../src/classify-event.js";
import {
  atExpression,
  createSchedulerContinuation,
  SCHEDULE_NAME_PREFIX,
  scheduleName,
} from "../src/continuation.js";
import { MAX_HOPS } from "../src/limits.js";
import { FUNCTION_ARN, fakeClock, handoffPayload, MINUTE, SCHEDULER_ROLE_ARN } from "./harness.js";

const scheduler = mockClient(SchedulerClient);
const scheduled: string[] = [];

afterEach(() => {
  if (scheduler.commandCalls(CreateScheduleCommand).length > 0)
    scheduled.push("scheduler:CreateSchedule");
  scheduler.reset();
});
afterAll(() => recordAwsCalls("lambda-continuation", "lambda", scheduled));

describe("scheduleName", () => {
  it("is stable per hop, distinct across hops and deployments, and fits Scheduler's rules", () => {
    const payload = handoffPayload();
    const other = { ...payload, source: { ...payload.source, runAttempt: "2" } };

    const names = [
      scheduleName(payload, 1),
      scheduleName(payload, 1),
      scheduleName(payload, 2),
      scheduleName(other, 1),
    ];

    expect(names[0]).toBe(names[1]);
    expect(new Set(names).size).toBe(3);
    for (const name of names) {
      expect(name.startsWith(SCHEDULE_NAME_PREFIX)).toBe(true);
      expect(name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    }
  });

  it("fits 64 characters even for a 63-character endpoint name and the last hop", () => {
    const payload = { ...handoffPayload(), endpointName: "e".repeat(63) };
    expect(scheduleName(payload, MAX_HOPS).length).toBeLessThanOrEqual(64);
  });
});

describe("atExpression", () => {
  it("is a UTC time to the second, rounded up so it is never in the past", () => {
    expect(atExpression(Date.parse("2026-11-24T18:00:00.001Z"))).toBe("at(2026-11-24T18:00:01)");
    expect(atExpression(Date.parse("2026-11-24T18:00:00Z"))).toBe("at(2026-11-24T18:00:00)");
  });
});

describe("createSchedulerContinuation", () => {
  it("creates a self-deleting one-time schedule that invokes this function with the next hop", async () => {
    scheduler
      .on(CreateScheduleCommand)
      .resolves({ ScheduleArn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/x" });
    const payload = handoffPayload();
    const at = fakeClock().now() + MINUTE;
    const schedule = createSchedulerContinuation({
      roleArn: SCHEDULER_ROLE_ARN,
      client: new SchedulerClient({ region: "us-east-1" }),
    });

    await schedule({ payload, hop: 3, at, functionArn: FUNCTION_ARN });

    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: scheduleName(payload, 3),
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      ActionAfterCompletion: "DELETE",
      Target: { Arn: FUNCTION_ARN, RoleArn: SCHEDULER_ROLE_ARN },
    });
    // What the schedule delivers is read back as the same hand-off, one hop further.
    expect(classifyEvent(JSON.parse(input?.Target?.Input ?? "null"))).toEqual({
      kind: "handoff",
      payload,
      hop: 3,
    });
  });

  it("treats an existing schedule of the same name as done (a retried invocation)", async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      new ConflictException({
        Message: "Schedule already exists.",
        message: "Schedule already exists.",
        $metadata: {},
      }),
    );
    const schedule = createSchedulerContinuation({
      roleArn: SCHEDULER_ROLE_ARN,
      client: new SchedulerClient({ region: "us-east-1" }),
    });

    await expect(
      schedule({ payload: handoffPayload(), hop: 1, at: 0, functionArn: FUNCTION_ARN }),
    ).resolves.toBeUndefined();
  });

  it("names the schedule when Scheduler refuses", async () => {
    scheduler.on(CreateScheduleCommand).rejects(
      Object.assign(new Error("not authorized to perform: iam:PassRole"), {
        name: "AccessDeniedException",
      }),
    );
    const schedule = createSchedulerContinuation({
      roleArn: SCHEDULER_ROLE_ARN,
      client: new SchedulerClient({ region: "us-east-1" }),
    });

    await expect(
      schedule({ payload: handoffPayload(), hop: 1, at: 0, functionArn: FUNCTION_ARN }),
    ).rejects.toThrow(
      /^CreateSchedule 'sagemaker-deploy-churn-model-[0-9a-f]{10}-1' failed: not authorized/,
    );
  });
});
