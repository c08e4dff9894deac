/**
 * The endpoint as the run finds it, in process on a fake clock: busy with someone else's
 * operation, Failed, or otherwise unable to take an update. The busy endpoint's lifecycle moves
 * only as the fake clock does, so the test never races the operation it waits out.
 */
import { describe, expect, it } from "vitest";
import { seedExistingEndpoint } from "./e2e/existing-endpoint.js";
import { demoDeploy, ENDPOINT, mutations, useActionHarness } from "./support/action-harness.js";

const harness = useActionHarness("run-starting-states");

describe("an endpoint someone else is changing", () => {
  it("waits for the other update to finish, then updates it", async () => {
    // prepare: the other update ends 90 s after the run starts; the run polls every 15 s
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { update: { status: "InService", afterMs: 90_000 } });
    seedExistingEndpoint(emulator, { status: "Updating" });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.log).toMatch(/is Updating; waiting for that operation to finish/);
    expect(run.outputs.operation).toBe("updated");
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: run.outputs["endpoint-config-name"] },
    ]);
    const update = emulator.requests.find((r) => r.operation === "UpdateEndpoint");
    expect(update?.time).toBeGreaterThanOrEqual(harness().clock.now() - run.elapsedMs + 90_000);
  });

  it("changes nothing when the other operation outlasts wait-timeout", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { update: { status: "stuck" } });
    seedExistingEndpoint(emulator, { status: "Updating" });
    // act
    const run = await harness().run(demoDeploy({ "wait-timeout": "2m" }));
    // assess
    expect(run.failure).toMatch(
      /The wait-timeout passed while endpoint 'fraud-scorer' was still Updating with another operation; nothing was changed/,
    );
    expect(run.outputs["failure-reason"]).toMatch(/nothing was changed/);
    expect(run.elapsedMs).toBeLessThanOrEqual(2 * 60_000 + 15_000);
    expect(mutations(emulator)).toEqual([]);
  });
});

describe("an endpoint that cannot be updated", () => {
  it("refuses a Failed endpoint with what to do, and changes nothing", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator, { status: "Failed", failureReason: "Out of capacity." });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toMatch(
      /^Endpoint 'fraud-scorer' is Failed \(Out of capacity\.\)\. A Failed endpoint cannot be updated: delete it/,
    );
    expect(run.outputs["failure-reason"]).toMatch(/is Failed/);
    expect(run.summary).toMatch(/Failed/);
    expect(mutations(emulator)).toEqual([]);
  });

  it("refuses an OutOfService endpoint, and changes nothing", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator, { status: "OutOfService" });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toMatch(/is OutOfService\. Only an InService endpoint can be updated/);
    expect(mutations(emulator)).toEqual([]);
  });
});
