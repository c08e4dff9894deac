import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readSmokeTestBody, type SmokeExpectation } from "../src/release-inputs.js";
import type { InvokeAnswer, InvokeRequest, RuntimeGateway } from "../src/runtime-gateway.js";
import { createSageMakerGateway, type SageMakerGateway } from "../src/shared/sagemaker-gateway.js";
import {
  createdEndpointFailed,
  judgeAnswer,
  revertUpdate,
  runSmokeTest,
  SmokeTestFailed,
  smokeTestDeployment,
} from "../src/smoke-test.js";
import { configInput, modelInput } from "./emulator/fixtures.js";
import { sageMakerClient } from "./emulator/sdk-client.js";
import { type Emulator, startEmulator } from "./emulator/server.js";
import { fakeClock } from "./support/fake-clock.js";
import { recordingLog, silentLog } from "./support/logs.js";

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A runtime that answers each variant (or the endpoint, key "*") as scripted. */
function scriptedRuntime(answers: Record<string, InvokeAnswer>) {
  const requests: InvokeRequest[] = [];
  const runtime: RuntimeGateway = {
    invokeEndpoint: async (request) => {
      requests.push(request);
      const answer = answers[request.targetVariant ?? "*"];
      if (!answer) throw new Error(`no answer scripted for ${request.targetVariant ?? "*"}`);
      return answer;
    },
    destroy: () => {},
  };
  return { runtime, requests };
}

const ok = (body: unknown, variant = "AllTraffic"): InvokeAnswer => ({
  ok: true,
  body: typeof body === "string" ? new TextEncoder().encode(body) : json(body),
  contentType: "application/json",
  variant,
});
const spec = (expect?: SmokeExpectation) => ({
  body: json({ instances: [[1, 2, 3]] }),
  source: "inline",
  contentType: "application/json",
  ...(expect ? { expect } : {}),
});

describe("judgeAnswer", () => {
  const subset = (value: Record<string, unknown>): SmokeExpectation => ({ kind: "json", value });

  it.each([
    ["no expectation", "anything", undefined, undefined],
    ["a substring present", '{"label":"fraud"}', { kind: "substring", text: "fraud" }, undefined],
    [
      "a substring missing",
      '{"label":"ok"}',
      { kind: "substring", text: "fraud" },
      /does not contain "fraud"/,
    ],
    [
      "a JSON subset",
      '{"label":"fraud","score":0.9,"extra":1}',
      subset({ label: "fraud" }),
      undefined,
    ],
    [
      "a nested JSON subset",
      '{"a":{"b":[1,{"c":2,"d":3}]}}',
      subset({ a: { b: [1, { c: 2 }] } }),
      undefined,
    ],
    [
      "a JSON member that differs",
      '{"label":"ok"}',
      subset({ label: "fraud" }),
      /at \$\.label: expected "fraud", got "ok"/,
    ],
    [
      "a JSON member that is missing",
      "{}",
      subset({ label: "fraud" }),
      /\$\.label: expected "fraud", got undefined/,
    ],
    [
      "an array of another length",
      '{"p":[1,2,3]}',
      subset({ p: [1, 2] }),
      /\$\.p: expected \[1,2\]/,
    ],
    ["a JSON expectation and a text answer", "fraud", subset({ label: "fraud" }), /is not JSON/],
    ["a number for a string", '{"n":"1"}', subset({ n: 1 }), /\$\.n: expected 1, got "1"/],
  ] as const)("judges %s", (_what, answer, expectation, problem) => {
    const result = judgeAnswer(answer, expectation);
    if (problem === undefined) expect(result).toBeUndefined();
    else expect(result).toMatch(problem);
  });
});

describe("runSmokeTest", () => {
  it("passes an endpoint that answers as expected, sending the body and content type", async () => {
    const { runtime, requests } = scriptedRuntime({ "*": ok({ label: "fraud", score: 0.97 }) });

    const verdict = await runSmokeTest({
      runtime,
      endpointName: "fraud-scorer",
      variants: ["AllTraffic"],
      spec: spec({ kind: "json", value: { label: "fraud" } }),
      log: silentLog,
    });

    expect(verdict.ok).toBe(true);
    expect(requests).toEqual([
      { endpointName: "fraud-scorer", body: spec().body, contentType: "application/json" },
    ]);
  });

  it.each([
    [
      "a ModelError",
      {
        ok: false,
        error: "ModelError",
        status: 424,
        modelStatus: 500,
        message: "Traceback: KeyError 'instances'",
      },
      /endpoint fraud-scorer: the model answered 500: Traceback: KeyError 'instances'/,
    ],
    [
      "a throttled call",
      { ok: false, error: "ThrottlingException", status: 400, message: "Rate exceeded" },
      /InvokeEndpoint failed: ThrottlingException \(HTTP 400\): Rate exceeded/,
    ],
  ] as const)("fails on %s", async (_what, answer, reason) => {
    const { runtime } = scriptedRuntime({ "*": answer });

    const verdict = await runSmokeTest({
      runtime,
      endpointName: "fraud-scorer",
      variants: ["AllTraffic"],
      spec: spec(),
      log: silentLog,
    });

    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it("fails an answer without the expected text, quoting the answer", async () => {
    const { runtime } = scriptedRuntime({ "*": ok('{"label":"legit"}') });

    const verdict = await runSmokeTest({
      runtime,
      endpointName: "fraud-scorer",
      variants: ["AllTraffic"],
      spec: spec({ kind: "substring", text: "fraud" }),
      log: silentLog,
    });

    expect(verdict).toEqual({
      ok: false,
      reason:
        'variant AllTraffic: the answer does not contain "fraud" (answer: "{\\"label\\":\\"legit\\"}")',
    });
  });

  it("tests each production variant when there are several, and names the one that fails", async () => {
    const { runtime, requests } = scriptedRuntime({
      blue: ok({ label: "fraud" }, "blue"),
      green: { ok: false, error: "ModelError", modelStatus: 500, message: "boom" },
    });

    const verdict = await runSmokeTest({
      runtime,
      endpointName: "fraud-scorer",
      variants: ["blue", "green"],
      spec: spec(),
      log: silentLog,
    });

    expect(requests.map((r) => r.targetVariant)).toEqual(["blue", "green"]);
    expect(verdict).toEqual({ ok: false, reason: "variant green: the model answered 500: boom" });
  });
});

describe("readSmokeTestBody", () => {
  const workspace = mkdtempSync(join(tmpdir(), "smoke-"));
  const elsewhere = mkdtempSync(join(tmpdir(), "elsewhere-"));
  mkdirSync(join(workspace, "tests"));
  writeFileSync(join(workspace, "tests/request.json"), '{"instances":[[1]]}');
  writeFileSync(join(elsewhere, "secret.json"), "{}");
  symlinkSync(join(elsewhere, "secret.json"), join(workspace, "tests/link.json"));

  it.each([
    ['{"a":1}', { source: "inline", text: '{"a":1}' }],
    ["@tests/request.json", { source: "tests/request.json", text: '{"instances":[[1]]}' }],
    [
      "@./tests/../tests/request.json",
      { source: "./tests/../tests/request.json", text: '{"instances":[[1]]}' },
    ],
  ])("reads %s", (raw, expected) => {
    const read = readSmokeTestBody(raw, workspace);

    expect(
      "body" in read && { source: read.source, text: new TextDecoder().decode(read.body) },
    ).toEqual(expected);
  });

  it.each([
    ["@../etc/passwd", /is outside the workspace/],
    ["@/etc/passwd", /is outside the workspace/],
    ["@tests/link.json", /is outside the workspace/],
    ["@", /is outside the workspace/],
    ["@tests/missing.json", /does not exist in the workspace/],
  ])("refuses %s", (raw, problem) => {
    const read = readSmokeTestBody(raw, workspace);

    expect("problem" in read && read.problem).toMatch(problem);
  });
});

describe("revertUpdate against the emulator", () => {
  let emulator: Emulator;
  let gateway: SageMakerGateway;
  let destroy: () => void;

  beforeAll(async () => {
    emulator = await startEmulator();
    const client = sageMakerClient(emulator.url);
    gateway = createSageMakerGateway({ client });
    destroy = () => client.destroy();
  });
  beforeEach(() => {
    emulator.reset();
    emulator.seed({
      models: [modelInput("scorer-old-m"), modelInput("scorer-new-m")],
      endpointConfigs: [
        configInput("scorer-old", "scorer-old-m"),
        configInput("scorer-new", "scorer-new-m"),
      ],
      endpoints: [{ EndpointName: "scorer", EndpointConfigName: "scorer-new" }],
    });
  });
  afterAll(async () => {
    destroy();
    await emulator.close();
  });

  const revert = (log = silentLog) => {
    const clock = fakeClock(1_000);
    return revertUpdate({
      gateway,
      endpointName: "scorer",
      previousConfigName: "scorer-old",
      failedConfigName: "scorer-new",
      verdict: { ok: false, reason: "variant AllTraffic: the model answered 500: boom" },
      deadline: clock.now() + 600_000,
      nextDelay: () => 5_000,
      clock,
      log,
    });
  };

  it("puts the endpoint back on its previous config and fails saying so", async () => {
    const log = recordingLog();

    const result = revert(log);

    await expect(result).rejects.toThrow(SmokeTestFailed);
    await expect(result).rejects.toThrow(
      "smoke test failed (variant AllTraffic: the model answered 500: boom); rolled back to scorer-old",
    );
    expect(emulator.state().endpoints[0]).toMatchObject({
      status: "InService",
      configName: "scorer-old",
    });
    expect(emulator.state().endpointConfigs.map((c) => c.name)).toContain("scorer-old");
  });

  it("says how to finish by hand when the rollback itself rolls back", async () => {
    emulator.setLifecycle("scorer", {
      update: { status: "RolledBack", afterMs: 0, failureReason: "capacity" },
    });

    await expect(revert()).rejects.toThrow(
      /the rollback to scorer-old did not finish: update rolled back.*update-endpoint --endpoint-name scorer --endpoint-config-name scorer-old/,
    );
  });

  it("says how to finish by hand when UpdateEndpoint is refused", async () => {
    emulator.failNext("UpdateEndpoint", {
      type: "ValidationException",
      message: "Cannot update in-progress endpoint",
    });

    await expect(revert()).rejects.toThrow(
      /rolling back to scorer-old failed: .*Cannot update in-progress endpoint.*still serves scorer-new/,
    );
  });

  it("after a create, fails without anything to roll back to", () => {
    expect(createdEndpointFailed({ ok: false, reason: "boom" }).message).toMatch(
      /smoke test failed \(boom\); the endpoint was just created/,
    );
  });

  describe("smokeTestDeployment", () => {
    const deployment = async (
      answer: InvokeAnswer,
      operation: "created" | "updated" | "unchanged",
    ) => {
      const { runtime, requests } = scriptedRuntime({ "*": answer });
      let destroyed = false;
      const endpoint = await gateway.describeEndpoint("scorer");
      if (!endpoint) throw new Error("the seeded endpoint is missing");
      const clock = fakeClock(1_000);
      const result = smokeTestDeployment({
        spec: spec({ kind: "substring", text: "fraud" }),
        runtime: async () => ({
          ...runtime,
          destroy: () => {
            destroyed = true;
          },
        }),
        gateway,
        endpoint,
        operation,
        currentConfigName: "scorer-new",
        ...(operation === "updated" ? { previousConfigName: "scorer-old" } : {}),
        deadline: clock.now() + 600_000,
        nextDelay: () => 5_000,
        clock,
        log: silentLog,
      });
      return { result, requests, destroyed: () => destroyed };
    };

    it("passes a deploy whose endpoint answers as expected, and frees the runtime client", async () => {
      const { result, requests, destroyed } = await deployment(ok({ label: "fraud" }), "updated");

      await expect(result).resolves.toMatchObject({ ok: true });
      expect(requests).toHaveLength(1);
      expect(destroyed()).toBe(true);
      expect(emulator.state().endpoints[0]?.configName).toBe("scorer-new");
    });

    it("rolls an update back when the answer is wrong", async () => {
      const { result } = await deployment(ok({ label: "legit" }), "updated");

      await expect(result).rejects.toThrow(/rolled back to scorer-old$/);
      expect(emulator.state().endpoints[0]?.configName).toBe("scorer-old");
    });

    it.each([
      ["created", /the endpoint was just created/],
      ["unchanged", /already ran scorer-new, so nothing was changed/],
    ] as const)("fails a %s endpoint without touching it", async (operation, message) => {
      const { result } = await deployment(ok({ label: "legit" }), operation);

      await expect(result).rejects.toThrow(message);
      expect(emulator.mutatingRequests()).toEqual([]);
    });
  });
});
