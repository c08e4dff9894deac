import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGithubApiDouble } from "../../test/doubles/github-api.js";
import { buildDispatchInputs, type DispatchInputs } from "../src/dispatch-inputs.js";
import { DISPATCH_RETRY, dispatchWorkflow, judgeAnswer } from "../src/github-dispatch.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import {
  ENDPOINT,
  ENDPOINT_ARN,
  exampleWorkflowInputs,
  type FakeClock,
  fakeClock,
  type Harness,
  MINUTE,
  NEW_CONFIG,
  REPOSITORY,
  type RecordingLog,
  recordingLog,
  seedCreating,
  startHarness,
  TEST_TOKEN,
} from "./harness.js";

const INPUTS: DispatchInputs = buildDispatchInputs({
  endpointName: ENDPOINT,
  endpointArn: ENDPOINT_ARN,
  status: "InService",
  configName: NEW_CONFIG,
  failureReason: "",
  runId: "4242",
});
const TARGET = { repository: REPOSITORY, workflow: "sagemaker-deploy-status.yml", ref: "main" };

describe("dispatchWorkflow against the GitHub double", () => {
  let github: Awaited<ReturnType<typeof startGithubApiDouble>>;
  let clock: FakeClock;
  let log: RecordingLog;

  beforeEach(async () => {
    github = await startGithubApiDouble({
      tokens: [TEST_TOKEN],
      workflowInputs: await exampleWorkflowInputs(),
    });
    clock = fakeClock();
    log = recordingLog();
  });

  afterEach(async () => {
    await github.close();
  });

  function dispatch(deadlineMs = 10 * MINUTE, token = TEST_TOKEN) {
    return dispatchWorkflow({
      apiUrl: github.url,
      token,
      target: TARGET,
      inputs: INPUTS,
      fetch: (input, init) => fetch(input, init),
      clock,
      deadline: clock.now() + deadlineMs,
      logger: log,
    });
  }

  it("sends a request GitHub's OpenAPI description accepts", async () => {
    const result = await dispatch();

    expect(result).toEqual({ ok: true, status: 204, attempts: 1 });
    const [request] = github.requests;
    expect(request?.problems).toEqual([]);
    expect(request?.headers).toMatchObject({
      accept: "application/vnd.github+json",
      authorization: `Bearer ${TEST_TOKEN}`,
      "x-github-api-version": "2022-11-28",
    });
  });

  it("accepts 200 (a dispatch that returns run details)", async () => {
    github.script("dispatch", {
      status: 200,
      body: { workflow_run_id: 1, run_url: "u", html_url: "h" },
    });

    expect(await dispatch()).toEqual({ ok: true, status: 200, attempts: 1 });
  });

  it("retries a 500 and succeeds on the next answer", async () => {
    github.script("dispatch", { status: 500, body: { message: "Server Error" } });
    const started = clock.now();

    const result = await dispatch();

    expect(result).toEqual({ ok: true, status: 204, attempts: 2 });
    expect(github.requests.map((r) => r.status)).toEqual([500, 204]);
    expect(clock.now() - started).toBe(DISPATCH_RETRY.baseDelayMs);
    expect(
      log.entries.some((e) => e.level === "warn" && String(e.attributes?.reason).includes("500")),
    ).toBe(true);
  });

  it("never retries a 422 and gives GitHub's reason", async () => {
    github.script("dispatch", { status: 422, body: { message: "No ref found for: main" } });

    const result = await dispatch();

    expect(result).toEqual({
      ok: false,
      status: 422,
      attempts: 1,
      reason: "GitHub answered 422: No ref found for: main",
    });
    expect(github.requests).toHaveLength(1);
  });

  it("waits until x-ratelimit-reset on a 403 with x-ratelimit-remaining: 0", async () => {
    const reset = Math.floor(clock.now() / 1000) + 42;
    github.script("dispatch", {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      body: { message: "API rate limit exceeded for installation ID 1." },
    });
    const started = clock.now();

    const result = await dispatch();

    expect(result.ok).toBe(true);
    expect(clock.now()).toBe(reset * 1000);
    expect(clock.now() - started).toBeLessThanOrEqual(42_000);
  });

  it("honours retry-after on a 429", async () => {
    github.script("dispatch", {
      status: 429,
      headers: { "retry-after": "7" },
      body: { message: "slow down" },
    });
    const started = clock.now();

    expect((await dispatch()).ok).toBe(true);
    expect(clock.now() - started).toBe(7_000);
  });

  it("gives up when GitHub's wait would outlast the invocation", async () => {
    github.script("dispatch", {
      status: 403,
      headers: { "retry-after": "3600" },
      body: { message: "You have exceeded a secondary rate limit." },
    });

    const result = await dispatch(60_000);

    expect(result).toMatchObject({ ok: false, status: 403, attempts: 1 });
    expect(result.ok || result.reason).toMatch(/would outlast this invocation/);
  });

  it("gives up after the last attempt of a failing server", async () => {
    github.script("dispatch", ...Array.from({ length: 9 }, () => ({ status: 502 })));

    const result = await dispatch(60 * MINUTE);

    expect(result).toMatchObject({ ok: false, status: 502, attempts: DISPATCH_RETRY.maxAttempts });
    expect(github.requests).toHaveLength(DISPATCH_RETRY.maxAttempts);
  });

  it("does not retry a 401 (a bad token stays bad)", async () => {
    const result = await dispatch(10 * MINUTE, "test-token-revoked");

    expect(result).toEqual({
      ok: false,
      status: 401,
      attempts: 1,
      reason: "GitHub answered 401: Bad credentials",
    });
  });

  it("retries when GitHub cannot be reached", async () => {
    const closed = await startGithubApiDouble();
    const url = closed.url;
    await closed.close();

    const result = await dispatchWorkflow({
      apiUrl: url,
      token: TEST_TOKEN,
      target: TARGET,
      inputs: INPUTS,
      fetch: (input, init) => fetch(input, init),
      clock,
      deadline: clock.now() + 10 * MINUTE,
      logger: log,
    });

    expect(result).toMatchObject({ ok: false, attempts: DISPATCH_RETRY.maxAttempts });
    expect(result.ok || result.reason).toMatch(/could not be reached/);
  });
});

describe("judgeAnswer", () => {
  const now = Date.parse("2026-11-24T16:00:00Z");
  it.each([
    { status: 204, headers: {}, body: "", kind: "done" },
    { status: 200, headers: {}, body: "{}", kind: "done" },
    { status: 500, headers: {}, body: "", kind: "retry" },
    { status: 503, headers: {}, body: "<html>", kind: "retry" },
    { status: 429, headers: {}, body: "", kind: "retry" },
    { status: 403, headers: { "retry-after": "5" }, body: "", kind: "retry" },
    { status: 403, headers: { "x-ratelimit-remaining": "0" }, body: "", kind: "retry" },
    {
      status: 403,
      headers: {},
      body: '{"message":"You have exceeded a secondary rate limit"}',
      kind: "retry",
    },
    {
      status: 403,
      headers: {},
      body: '{"message":"Resource not accessible by integration"}',
      kind: "fail",
    },
    { status: 404, headers: {}, body: '{"message":"Not Found"}', kind: "fail" },
    { status: 422, headers: {}, body: '{"message":"Unexpected inputs provided"}', kind: "fail" },
    { status: 400, headers: {}, body: "", kind: "fail" },
  ])("$status $headers $body → $kind", ({ status, headers, body, kind }) => {
    expect(
      judgeAnswer(status, new Headers(headers as Record<string, string>), body, now).kind,
    ).toBe(kind);
  });
});

describe("dispatch failures through the handler", () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it("log GitHub's reason for a 422 and do not throw", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    harness.github.script("dispatch", {
      status: 422,
      body: { message: "Workflow does not have 'workflow_dispatch' trigger" },
    });

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatchFailed);
    expect(harness.github.requests).toHaveLength(1);
    const error = harness.log.entries.find((e) => e.level === "error");
    expect(error?.attributes?.reason).toBe(
      "GitHub answered 422: Workflow does not have 'workflow_dispatch' trigger",
    );
    expect(error?.attributes?.inputs).toMatchObject({ "endpoint-status": "InService" });
  });

  it("succeed after a 500 followed by a 204", async () => {
    const payload = harness.payload();
    harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
    seedCreating(harness, payload.deadline);
    harness.github.script("dispatch", { status: 500 });

    const result = await handleEvent(payload, harness.invocation(), harness.deps);

    expect(result.result).toBe(RESULT.dispatched);
    expect(harness.github.requests.map((r) => r.status)).toEqual([500, 204]);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
  });
});
