/**
 * Polling while SageMaker throttles the account, in process on a fake clock: a throttled poll is
 * sent once (the next poll is its retry), and once this run has been throttled the poll right
 * after its own CreateEndpoint, whose answer can only be Creating, waits one interval.
 */
import { describe, expect, it } from "vitest";
import { demoDeploy, ENDPOINT, useActionHarness } from "./support/action-harness.js";

const harness = useActionHarness("run-throttling");

const MINUTE = 60_000;
const THROTTLED = { type: "ThrottlingException", message: "Rate exceeded" };
const SKIP_LINE =
  "SageMaker is throttling this account's calls: the first poll waits one interval.";

/** The emulator's DescribeEndpoint requests after its CreateEndpoint, with their times. */
function pollsAfterCreate() {
  const requests = harness().emulator.requests;
  const created = requests.findIndex((r) => r.operation === "CreateEndpoint" && r.status === 200);
  return requests.slice(created + 1).filter((r) => r.operation === "DescribeEndpoint");
}

function createdAt(): number {
  const create = harness().emulator.requests.find(
    (r) => r.operation === "CreateEndpoint" && r.status === 200,
  );
  if (!create) throw new Error("no CreateEndpoint was answered");
  return create.time;
}

describe("polling while SageMaker throttles", () => {
  it("an unthrottled run polls at once after CreateEndpoint", async () => {
    // prepare
    harness().emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    // act
    const run = await harness().run(demoDeploy({ "poll-interval": "15s" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.log).not.toContain(SKIP_LINE);
    expect(pollsAfterCreate()[0]?.time).toBe(createdAt());
  });

  it("once a call was throttled, the first poll after CreateEndpoint waits one interval and the deploy still succeeds", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    emulator.failNext("CreateModel", THROTTLED);
    // act
    const run = await harness().run(demoDeploy({ "poll-interval": "15s" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ operation: "created", "endpoint-status": "InService" });
    expect(run.log).toContain(SKIP_LINE);
    const first = pollsAfterCreate()[0];
    expect(first?.time).toBeGreaterThanOrEqual(createdAt() + 13_500);
    expect(first?.time).toBeLessThanOrEqual(createdAt() + 16_500);
    // A minute's create on a 15 s interval: polls at about 15, 30, 45 and 60 s, none at once.
    expect(pollsAfterCreate().length).toBeLessThanOrEqual(5);
  });

  it("a throttled poll is sent once, and the wait goes on at the next poll", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    // act
    const run = await harness().run(demoDeploy({ "poll-interval": "15s" }), {
      onLine: (line) => {
        if (/CreateEndpoint accepted/.test(line.text))
          emulator.failNext("DescribeEndpoint", THROTTLED);
      },
    });
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs["endpoint-status"]).toBe("InService");
    const [throttled, next] = pollsAfterCreate();
    expect(throttled).toMatchObject({ errorType: "ThrottlingException", attempt: 1 });
    expect(next).toMatchObject({ status: 200, attempt: 1 });
    expect((next?.time ?? 0) - (throttled?.time ?? 0)).toBeGreaterThanOrEqual(13_500);
    expect(run.log).toMatch(/DescribeEndpoint failed, retrying at the next poll: .*Rate exceeded/);
  });
});
