import { describe, expect, it } from "vitest";
import type { Endpoint } from "../../src/shared/sagemaker-gateway.js";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { planPolls, transitionOf } from "../src/poll-plan.js";
import { fakeClock, MINUTE } from "./harness.js";

const T0 = Date.parse("2026-11-24T16:00:00Z");

function answer(status: string, created: number, modified: number): Endpoint {
  return {
    EndpointName: "e",
    EndpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/e",
    EndpointStatus: status,
    CreationTime: new Date(created),
    LastModifiedTime: new Date(modified),
  } as Endpoint;
}

describe("transitionOf", () => {
  it.each([
    { status: "Creating", created: T0, modified: T0, expected: { kind: "create", startedAt: T0 } },
    {
      status: "Updating",
      created: T0 - 86_400_000,
      modified: T0,
      expected: { kind: "update", startedAt: T0 },
    },
    {
      status: "Updating",
      created: T0,
      modified: T0 + 400,
      expected: { kind: "create", startedAt: T0 + 400 },
    },
    { status: "InService", created: T0, modified: T0 + MINUTE, expected: undefined },
    { status: "SystemUpdating", created: T0, modified: T0, expected: undefined },
    { status: "Creating", created: T0, modified: T0 + 10 * MINUTE, expected: undefined },
  ])("$status, modified $modified: $expected", ({ status, created, modified, expected }) => {
    expect(transitionOf(answer(status, created, modified), T0 + 5 * MINUTE)).toEqual(expected);
  });
});

describe("planPolls", () => {
  it("keeps the other kind's history and records the one that ended", () => {
    const clock = fakeClock(T0 + 2 * MINUTE);
    const plan = planPolls({
      tags: { [TAG_KEYS.timing]: "create=600 update=300" },
      first: answer("Updating", T0 - 86_400_000, T0),
      clock,
      capMs: 30_000,
    });

    expect(plan.timingAfter(answer("InService", T0 - 86_400_000, T0 + 280_000))).toBe(
      "create=600 update=280",
    );
  });

  it("learns nothing when it never saw the transition begin", () => {
    const clock = fakeClock(T0);
    const plan = planPolls({ tags: {}, first: answer("InService", T0, T0), clock, capMs: 30_000 });

    expect(plan.timingAfter(answer("InService", T0, T0))).toBeUndefined();
  });

  it("counts the schedule from the transition's start, not the invocation's", () => {
    // The update began 4 minutes ago and the last one took 5: the dense window (every 5 s) is near.
    const clock = fakeClock(T0 + 4 * MINUTE + 30_000);
    const plan = planPolls({
      tags: { [TAG_KEYS.timing]: "update=300" },
      first: answer("Updating", T0 - 86_400_000, T0),
      clock,
      capMs: 30_000,
      random: () => 0.5,
    });

    expect(plan.nextDelay(0)).toBe(5_000);
  });
});
