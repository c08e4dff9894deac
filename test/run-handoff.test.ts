/**
 * How a run ends without waiting to the end, in process on a fake clock: at the wait-timeout
 * (hand-off or failure), with wait: false, and when the hand-off itself fails.
 */
import { describe, expect, it } from "vitest";
import { TAG_KEYS } from "../src/shared/tags.js";
import { seedExistingEndpoint } from "./e2e/existing-endpoint.js";
import {
  demoDeploy,
  ENDPOINT,
  ENDPOINT_ARN,
  mutations,
  useActionHarness,
} from "./support/action-harness.js";

const harness = useActionHarness("run-handoff");

const HANDOFF = {
  "handoff-function": "sagemaker-deploy-companion",
  "handoff-workflow": "sagemaker-deploy-status.yml",
};

describe("at the wait-timeout", () => {
  it("fails saying the endpoint is still provisioning, within wait-timeout + one poll, and keeps what it made", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    // act
    const run = await harness().run(demoDeploy({ "wait-timeout": "5s", "poll-interval": "1s" }));
    // assess
    expect(run.failure).toMatch(/still Creating.*console\.aws\.amazon\.com/);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(5_000);
    expect(run.elapsedMs).toBeLessThanOrEqual(5_000 + 1_000);
    expect(run.outputs["endpoint-status"]).toBe("Creating");
    // Still provisioning is not a failure to clean up: everything stays for the endpoint to use.
    expect(emulator.state().endpoints).toMatchObject([{ name: ENDPOINT, status: "Creating" }]);
    expect(emulator.state().models).toHaveLength(1);
    expect(mutations(emulator).filter((op) => op.startsWith("Delete"))).toEqual([]);
  });

  it("hands off to the companion with the payload it needs, and succeeds with handed-off=true", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    // act
    const run = await harness().run(
      demoDeploy({ ...HANDOFF, "wait-timeout": "10m", "handoff-timeout": "2h" }),
    );
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ "handed-off": "true", "endpoint-status": "Creating" });
    expect(run.handoffs).toEqual([
      {
        region: "us-east-1",
        functionName: "sagemaker-deploy-companion",
        payload: expect.objectContaining({
          endpointName: ENDPOINT,
          endpointArn: ENDPOINT_ARN,
          expectedConfigName: run.outputs["endpoint-config-name"],
          region: "us-east-1",
          deadline: "2026-11-24T18:10:00Z",
          callback: {
            repository: "octo-org/fraud-models",
            workflow: "sagemaker-deploy-status.yml",
            ref: "main",
          },
        }),
      },
    ]);
    expect(run.summary).toContain("Handed off to the companion Lambda");
    const tags = emulator.state().endpoints[0]?.tags ?? {};
    expect(tags[TAG_KEYS.callbackWorkflow]).toBe("sagemaker-deploy-status.yml");
    expect(tags[TAG_KEYS.deadline]).toBe("2026-11-24T18:10:00Z");
  });

  it("fails naming the fix when the companion cannot be invoked, and deletes nothing", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    const missing = Object.assign(new Error("Function not found"), {
      name: "ResourceNotFoundException",
    });
    // act
    const run = await harness().run(demoDeploy({ ...HANDOFF, "wait-timeout": "1m" }), {
      invokeError: missing,
    });
    // assess
    expect(run.failure).toMatch(
      /handoff-function 'sagemaker-deploy-companion' was not found in us-east-1: deploy the companion/,
    );
    expect(run.outputs["handed-off"]).toBe("false");
    expect(mutations(emulator).filter((op) => op.startsWith("Delete"))).toEqual([]);
  });
});

describe("wait: false", () => {
  it("starts the create and succeeds at once, saying what it did not wait for", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: 10 * 60_000 } });
    // act
    const run = await harness().run(demoDeploy({ wait: "false" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.elapsedMs).toBe(0);
    expect(run.outputs).toMatchObject({ operation: "created", "endpoint-status": "Creating" });
    expect(run.summary).toContain("Started (wait: false) (endpoint status: Creating)");
    expect(run.summary).toMatch(/Not waiting .*wait: false.*: the endpoint is Creating/);
    expect(run.handoffs).toEqual([]);
  });

  it("hands the wait off when handoff-function is set", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    emulator.setLifecycle(ENDPOINT, { update: { status: "InService", afterMs: 10 * 60_000 } });
    // act
    const run = await harness().run(demoDeploy({ ...HANDOFF, wait: "false" }));
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ operation: "updated", "handed-off": "true" });
    expect(run.handoffs).toHaveLength(1);
  });
});
