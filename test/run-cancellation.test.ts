/**
 * A cancelled job (SIGINT/SIGTERM → `deps.cancelled`), in process: cancelled at an exact state
 * (a held read arrived, a line was logged), never after a delay. Once cancelled, no mutating
 * call starts; the run says what exists, and hands off only if an endpoint operation was started.
 */
import { describe, expect, it } from "vitest";
import { seedExistingEndpoint } from "./e2e/existing-endpoint.js";
import {
  demoDeploy,
  ENDPOINT,
  ENDPOINT_ARN,
  mutations,
  useActionHarness,
} from "./support/action-harness.js";

const harness = useActionHarness("run-cancellation");

const DESCRIBES = ["DescribeEndpoint", "DescribeModel", "DescribeEndpointConfig"];
const HANDOFF = {
  "handoff-function": "sagemaker-deploy-companion",
  "handoff-workflow": "sagemaker-deploy-status.yml",
};

describe("cancelled before the endpoint is changed", () => {
  it.each([
    ["derived names", {}],
    ["given names", { "model-name": "fraud-model", "endpoint-config-name": "fraud-config" }],
  ])(
    "while the inspection reads are in flight (%s): no mutating call, and it says so",
    async (_, names) => {
      // prepare
      const { emulator } = harness();
      const hold = emulator.hold({ operations: DESCRIBES });
      // act
      const run = await harness().run(demoDeploy({ ...names, ...HANDOFF }), {
        cancelWhen: hold.arrived(),
      });
      hold.release();
      // assess
      expect(run.failure).toBe("The job was cancelled before the endpoint was changed.");
      expect(run.failCalls).toBe(1);
      expect(mutations(emulator)).toEqual([]);
      expect(run.handoffs).toEqual([]);
      expect(run.outputs["failure-reason"]).toMatch(/cancelled/);
      expect(run.summary).toContain("Cancelled: this run created nothing.");
    },
  );

  it("between its creates: the config is not created, the model it made is listed as left", async () => {
    // prepare
    const { emulator } = harness();
    // act
    const run = await harness().run(demoDeploy(HANDOFF), {
      cancelOn: /^model fraud-scorer-[0-9a-f]{12}: created$/,
    });
    // assess
    expect(mutations(emulator)).toEqual(["CreateModel"]);
    expect(run.failure).toBe("The job was cancelled before the endpoint was changed.");
    expect(run.summary).toMatch(
      /Cancelled: this run created model fraud-scorer-[0-9a-f]{12}; they are left in place/,
    );
    expect(run.handoffs).toEqual([]);
    expect(emulator.state().models).toHaveLength(1);
    expect(emulator.state().endpointConfigs).toEqual([]);
  });

  it("while waiting out someone else's operation: nothing is changed", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { update: { status: "stuck" } });
    seedExistingEndpoint(emulator, { status: "Updating" });
    // act
    const run = await harness().run(demoDeploy(HANDOFF), {
      cancelOn: /waiting for that operation to finish/,
    });
    // assess
    expect(run.failure).toBe("The job was cancelled before the endpoint was changed.");
    expect(mutations(emulator)).toEqual([]);
    expect(run.handoffs).toEqual([]);
  });
});

describe("cancelled during the wait", () => {
  it("stops at once, writes endpoint-arn and the summary, and says what is still provisioning", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    // act
    const run = await harness().run(demoDeploy(), {
      cancelOn: /endpoint fraud-scorer: Creating/,
    });
    // assess
    expect(run.failure).toMatch(
      /^The job was cancelled: endpoint 'fraud-scorer' is still Creating/,
    );
    expect(run.outputs["endpoint-arn"]).toBe(ENDPOINT_ARN);
    expect(run.outputs["endpoint-status"]).toBe("Creating");
    expect(run.summary).toContain("Cancelled");
    expect(run.summary).toMatch(/was being created and is still Creating/);
    expect(run.elapsedMs).toBe(0);
    expect(mutations(emulator)).toEqual(["CreateModel", "CreateEndpointConfig", "CreateEndpoint"]);
    expect(emulator.state().endpoints).toMatchObject([{ name: ENDPOINT, status: "Creating" }]);
  });

  it("hands the wait off when handoff-function is set, since the endpoint operation was started", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    emulator.setLifecycle(ENDPOINT, { update: { status: "stuck" } });
    // act
    const run = await harness().run(demoDeploy(HANDOFF), {
      cancelOn: /endpoint fraud-scorer: Updating/,
    });
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs["handed-off"]).toBe("true");
    expect(run.handoffs).toMatchObject([
      {
        functionName: "sagemaker-deploy-companion",
        payload: {
          endpointName: ENDPOINT,
          expectedConfigName: run.outputs["endpoint-config-name"],
        },
      },
    ]);
    expect(run.summary).toMatch(/was being updated and is still Updating/);
    expect(mutations(emulator).filter((op) => op.startsWith("Delete"))).toEqual([]);
  });
});
