/**
 * Reads the action must not act on, in process on a fake clock: reads that lag this run's own
 * CreateEndpoint or UpdateEndpoint (the emulator's staleReads), and credentials that expire or
 * are refused mid-wait.
 */
import { describe, expect, it } from "vitest";
import { seedExistingEndpoint } from "./e2e/existing-endpoint.js";
import {
  demoDeploy,
  ENDPOINT,
  mutations,
  names,
  START,
  useActionHarness,
} from "./support/action-harness.js";

const harness = useActionHarness("run-reads");

const MINUTE = 60_000;
const HANDOFF = {
  "handoff-function": "sagemaker-deploy-companion",
  "handoff-workflow": "sagemaker-deploy-status.yml",
};

const deletes = (ops: string[]) => ops.filter((op) => op.startsWith("Delete"));
const staleReads = () => harness().emulator.requests.filter((r) => r.fault === "stale-read").length;

describe("reads that lag this run's own change", () => {
  it("an update whose first two reads show the old config InService ends green on the new one, deleting nothing", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    harness().clock.advance(MINUTE); // the endpoint was last changed before the run
    emulator.setLifecycle(ENDPOINT, {
      update: { status: "InService", afterMs: 4 * MINUTE },
      staleReads: { afterUpdate: 2 },
    });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ operation: "updated", "endpoint-status": "InService" });
    expect(run.log).toMatch(
      /still shows the endpoint InService on 'legacy-config', as before UpdateEndpoint; not believed yet/,
    );
    expect(staleReads()).toBe(2);
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: run.outputs["endpoint-config-name"] },
    ]);
    expect(deletes(mutations(emulator))).toEqual([]);
  });

  it("a create whose first two reads answer 'not found' ends green, deleting nothing", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 4 * MINUTE },
      staleReads: { afterCreate: 2 },
    });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.outputs).toMatchObject({ operation: "created", "endpoint-status": "InService" });
    expect(run.log).toMatch(
      /does not find the endpoint yet, just after CreateEndpoint; not believed/,
    );
    expect(staleReads()).toBe(2);
    expect(deletes(mutations(emulator))).toEqual([]);
  });

  it("a rollback seen through stale reads is still a failure, and cleanup removes only this run's config and model", async () => {
    // prepare
    const { emulator } = harness();
    seedExistingEndpoint(emulator);
    harness().clock.advance(MINUTE);
    emulator.setLifecycle(ENDPOINT, {
      update: { status: "RolledBack", afterMs: 4 * MINUTE, failureReason: "Alarm fired." },
      staleReads: { afterUpdate: 2 },
    });
    // act
    const run = await harness().run(demoDeploy());
    // assess
    expect(run.failure).toMatch(/rolled back.*Alarm fired/);
    expect(staleReads()).toBe(2);
    expect(names(emulator.state().endpointConfigs)).toEqual(["legacy-config"]);
    expect(names(emulator.state().models)).toEqual(["legacy-model"]);
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: "legacy-config" },
    ]);
    expect(emulator.violations).toEqual([]);
  });
});

describe("credentials that give out during the wait", () => {
  it.each([
    ["ExpiredTokenException", "The security token included in the request is expired", 400],
    ["InvalidClientTokenId", "The security token included in the request is invalid.", 403],
    ["UnrecognizedClientException", "The security token included in the request is invalid.", 400],
  ])(
    "%s ends the wait at once, naming role-duration-seconds, and deletes nothing",
    async (type, message, status) => {
      // prepare: from the first Creating on, every DescribeEndpoint is refused
      const { emulator } = harness();
      emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
      const refuse = () => emulator.failNext("DescribeEndpoint", { type, message, status }, 100);
      // act
      const run = await harness().run(demoDeploy(), {
        onLine: ({ text }) => {
          if (/endpoint fraud-scorer: Creating/.test(text)) refuse();
        },
      });
      // assess
      expect(run.failure).toMatch(/The AWS credentials expired or are invalid/);
      expect(run.failure).toContain(message);
      expect(run.failure).toMatch(/Raise role-duration-seconds/);
      expect(run.outputs["endpoint-status"]).toBe("Creating");
      const refused = emulator.requests.filter((r) => r.errorType === type);
      expect(refused).toHaveLength(1);
      expect(run.elapsedMs).toBeLessThanOrEqual(16_500);
      expect(deletes(mutations(emulator))).toEqual([]);
      expect(emulator.state().endpoints).toMatchObject([{ name: ENDPOINT, status: "Creating" }]);
    },
  );

  it("credentials expiring before wait-timeout are warned about, and the wait fails when they expire", async () => {
    // prepare
    const expiry = START + 10 * MINUTE;
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    emulator.setFaults({ credentialsExpire: { at: expiry } });
    // act
    const run = await harness().run(demoDeploy(), { credentialExpiry: expiry });
    // assess
    const warnings = run.lines.filter((line) => line.level === "warning").map((l) => l.text);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^The AWS credentials expire in 10m00s, before wait-timeout \(1h00m00s\): the wait will fail when they do; raise role-duration-seconds or set handoff-function\.$/,
      ),
    );
    expect(run.failure).toMatch(/expired.*role-duration-seconds/);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(run.elapsedMs).toBeLessThanOrEqual(10 * MINUTE + 16_500);
    expect(emulator.requests.filter((r) => r.fault === "expired-token")).toHaveLength(1);
  });

  it("with handoff-function set, hands off 2 minutes before known credentials expire", async () => {
    // prepare
    const expiry = START + 10 * MINUTE;
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    emulator.setFaults({ credentialsExpire: { at: expiry } });
    // act
    const run = await harness().run(demoDeploy(HANDOFF), { credentialExpiry: expiry });
    // assess
    expect(run.lines).toContainEqual({
      level: "warning",
      text: "The AWS credentials expire in 10m00s, before wait-timeout (1h00m00s): the wait hands off to the companion 2 minutes before they do.",
    });
    expect(run.failure).toBeUndefined();
    expect(run.outputs["handed-off"]).toBe("true");
    expect(run.handoffs).toHaveLength(1);
    expect(run.elapsedMs).toBeLessThanOrEqual(8 * MINUTE);
    expect(run.elapsedMs).toBeGreaterThan(8 * MINUTE - 16_500);
    expect(emulator.requests.filter((r) => r.fault === "expired-token")).toEqual([]);
  });

  it("credentials that outlast wait-timeout change nothing", async () => {
    // prepare
    const { emulator } = harness();
    emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: 5 * MINUTE } });
    // act
    const run = await harness().run(demoDeploy(), { credentialExpiry: START + 2 * 3_600_000 });
    // assess
    expect(run.failure).toBeUndefined();
    expect(run.lines.filter((line) => line.level === "warning")).toEqual([]);
  });
});
