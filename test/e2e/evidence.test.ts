/**
 * Evidence on the bundle (dist/index.js under Node 24, as the runner runs it) that the action
 * never acts on one stale read, stops at once when cancelled or when its credentials give out,
 * and leaves an UpdateRollbackFailed endpoint alone. Each signal is sent when a state is reached
 * (the emulator holds the call the test waits for, or a line appears on stdout), never after a
 * fixed delay. The times measured are printed, for docs/reliability.md's readers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LambdaDouble, startLambdaDouble } from "../doubles/lambda-api.js";
import { isMutating } from "../emulator/operations.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { recordAwsCalls, sageMakerActions } from "../support/aws-calls.js";
import { seedExistingEndpoint } from "./existing-endpoint.js";
import { type ActionRun, demoInputs, nodeRuntimes, runAction } from "./run-action.js";

const runtime = nodeRuntimes().at(-1);
const node = runtime?.path ?? process.execPath;
const ENDPOINT = "fraud-scorer";
const DESCRIBES = ["DescribeEndpoint", "DescribeModel", "DescribeEndpointConfig"];
const HANDOFF = {
  "handoff-function": "sagemaker-deploy-companion",
  "handoff-workflow": "sagemaker-deploy-status.yml",
};

let emulator: Emulator;
let lambda: LambdaDouble;
const seen: ReturnType<typeof sageMakerActions> = [];
beforeAll(async () => {
  [emulator, lambda] = await Promise.all([startEmulator(), startLambdaDouble()]);
});
afterAll(async () => {
  recordAwsCalls("e2e-evidence", "action", [...seen, ...sageMakerActions(emulator.requests)]);
  await Promise.all([emulator.close(), lambda.close()]);
});
beforeEach(() => {
  seen.push(...sageMakerActions(emulator.requests));
  emulator.reset();
});

type Options = Omit<Parameters<typeof runAction>[0], "inputs" | "sagemakerUrl" | "node">;

function deploy(overrides: Record<string, string> = {}, options: Options = {}): Promise<ActionRun> {
  return runAction({
    inputs: demoInputs({ "poll-interval": "1s", ...overrides }),
    sagemakerUrl: emulator.url,
    lambdaUrl: lambda.url,
    node,
    ...options,
  });
}

const log = (run: ActionRun) => `${run.stdout}\n${run.stderr}`;
const sent = (operation: RegExp) =>
  emulator.requests.filter((r) => operation.test(r.operation)).map((r) => r.operation);

describe(`evidence on dist/index.js (${runtime?.label ?? "this Node"})`, () => {
  it("an update whose first two reads are the pre-update InService ends green on the new config, with no delete", async () => {
    // prepare
    seedExistingEndpoint(emulator);
    emulator.setLifecycle(ENDPOINT, {
      update: { status: "InService", afterMs: 2_000 },
      staleReads: { afterUpdate: 2 },
    });
    // act
    const run = await deploy();
    // assess
    expect(run.exitCode, log(run)).toBe(0);
    expect(run.outputs).toMatchObject({ operation: "updated", "endpoint-status": "InService" });
    expect(run.stdout).toMatch(/as before UpdateEndpoint; not believed yet, polling on/);
    expect(emulator.requests.filter((r) => r.fault === "stale-read")).toHaveLength(2);
    expect(emulator.state().endpoints).toMatchObject([
      { status: "InService", configName: run.outputs["endpoint-config-name"] },
    ]);
    expect(sent(/^Delete/)).toEqual([]);
  });

  it("a create whose first two reads are 'not found' ends green, with no delete", async () => {
    // prepare
    emulator.setLifecycle(ENDPOINT, {
      create: { status: "InService", afterMs: 2_000 },
      staleReads: { afterCreate: 2 },
    });
    // act
    const run = await deploy();
    // assess
    expect(run.exitCode, log(run)).toBe(0);
    expect(run.outputs).toMatchObject({ operation: "created", "endpoint-status": "InService" });
    expect(run.stdout).toMatch(/does not find the endpoint yet, just after CreateEndpoint/);
    expect(emulator.requests.filter((r) => r.fault === "stale-read")).toHaveLength(2);
    expect(sent(/^Delete/)).toEqual([]);
  });

  it("SIGINT while the inspection reads are in flight ends the step within 2 s, with zero mutating calls", async () => {
    // prepare: given names, so all three inspection reads go out; each is held on arrival
    seedExistingEndpoint(emulator);
    const hold = emulator.hold({ operations: DESCRIBES });
    const invokedBefore = lambda.invocations.length;
    // act
    const run = await deploy(
      { ...HANDOFF, "model-name": "fraud-model", "endpoint-config-name": "fraud-config" },
      { interrupt: hold.arrived(3) },
    );
    hold.release();
    // assess
    console.log(`SIGINT during inspection → exit: ${run.exitAfterInterruptMs?.toFixed(0)} ms`);
    expect(run.exitAfterInterruptMs).toBeDefined();
    expect(run.exitAfterInterruptMs).toBeLessThan(2_000);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::The job was cancelled before the endpoint was changed\./m,
    );
    expect(run.summary).toContain("Cancelled: this run created nothing.");
    expect(emulator.requests.filter((r) => isMutating(r.operation))).toEqual([]);
    expect(lambda.invocations).toHaveLength(invokedBefore);
  });

  it("UpdateRollbackFailed deletes nothing and says why", async () => {
    // prepare
    seedExistingEndpoint(emulator);
    emulator.setLifecycle(ENDPOINT, {
      update: {
        status: "UpdateRollbackFailed",
        afterMs: 1_500,
        failureReason: "Rollback failed: capacity unavailable.",
      },
    });
    // act
    const run = await deploy();
    // assess
    expect(run.exitCode, log(run)).toBe(1);
    expect(run.outputs["endpoint-status"]).toBe("UpdateRollbackFailed");
    expect(run.stdout).toMatch(/^::error::.*Rollback failed: capacity unavailable/m);
    expect(run.stdout).toMatch(/Left in place: .*UpdateRollbackFailed.*nothing is deleted/);
    expect(sent(/^Delete/)).toEqual([]);
    expect(
      emulator
        .state()
        .endpointConfigs.map((c) => c.name)
        .sort(),
    ).toEqual(["legacy-config", run.outputs["endpoint-config-name"] ?? ""].sort());
    expect(emulator.violations).toEqual([]);
  });

  it("credentials expiring mid-wait fail the step at once, not at the deadline, naming role-duration-seconds", async () => {
    // prepare: the credentials run out once the action has seen the endpoint Creating
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    let expiredAt: number | undefined;
    const expireOnCreating = (stdout: string) => {
      if (expiredAt !== undefined || !/endpoint fraud-scorer: Creating/.test(stdout)) return;
      emulator.expireCredentials();
      expiredAt = performance.now();
    };
    // act
    const run = await deploy({ "wait-timeout": "10m" }, { onStdout: expireOnCreating });
    // assess
    const expiryToExitMs = run.endedAt - (expiredAt ?? Number.NaN);
    console.log(`credentials expired mid-wait → exit: ${expiryToExitMs.toFixed(0)} ms`);
    expect(run.exitCode, log(run)).toBe(1);
    expect(run.stdout).toMatch(
      /^::error::The AWS credentials expired or are invalid \(.*The security token included in the request is expired\).*Raise role-duration-seconds/m,
    );
    expect(run.outputs["endpoint-status"]).toBe("Creating");
    // At once: the first refused call ends the wait; nothing is retried until the deadline.
    expect(emulator.requests.filter((r) => r.fault === "expired-token")).toHaveLength(1);
    expect(expiryToExitMs).toBeLessThan(60_000);
    expect(sent(/^Delete/)).toEqual([]);
  });

  it("with AWS_CREDENTIAL_EXPIRATION a few minutes ahead and handoff-function set, hands off before the credentials expire", async () => {
    // prepare: the credentials last 2 min 4 s, wait-timeout is 10 min; the emulator refuses them after
    const expiry = Date.now() + 124_000;
    emulator.setLifecycle(ENDPOINT, { create: { status: "stuck" } });
    emulator.setFaults({ credentialsExpire: { at: expiry } });
    const invokedBefore = lambda.invocations.length;
    // act
    const run = await deploy(
      { ...HANDOFF, "wait-timeout": "10m" },
      { env: { AWS_CREDENTIAL_EXPIRATION: new Date(expiry).toISOString() } },
    );
    const exitedAt = Date.now();
    // assess
    console.log(
      `handed off ${((expiry - exitedAt) / 1000).toFixed(1)} s before the credentials expired`,
    );
    expect(run.exitCode, log(run)).toBe(0);
    expect(run.stdout).toMatch(
      /^::warning::The AWS credentials expire in 2m0\ds, before wait-timeout \(10m00s\): the wait hands off to the companion 2 minutes before they do\./m,
    );
    expect(run.outputs).toMatchObject({ "handed-off": "true", "endpoint-status": "Creating" });
    expect(lambda.invocations).toHaveLength(invokedBefore + 1);
    expect(exitedAt).toBeLessThan(expiry);
    expect(emulator.requests.filter((r) => r.fault === "expired-token")).toEqual([]);
  });
});
