import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import type { Context } from "aws-lambda";
import { afterEach, beforeEach, expect } from "vitest";
import { parse } from "yaml";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import { createSageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { encodeTagValue, TAG_KEYS } from "../../src/shared/tags.js";
import {
  type GithubApiDouble,
  type GithubApiOptions,
  startGithubApiDouble,
} from "../../test/doubles/github-api.js";
import { QuickRetries, sageMakerClient } from "../../test/emulator/sdk-client.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../test/emulator/server.js";
import { type FakeClock, fakeClock as sharedFakeClock } from "../../test/support/fake-clock.js";

export type { FakeClock };

import { ENV, readConfig } from "../src/config.js";
import type { ContinuationRequest } from "../src/continuation.js";
import type { Dependencies, Invocation } from "../src/dependencies.js";
import type { Log, LogAttributes } from "../src/logger.js";

/** Never a real token: tests prove this string never reaches a log line. */
export const TEST_TOKEN = "test-token-not-real";
export const FUNCTION_ARN =
  "arn:aws:lambda:us-east-1:123456789012:function:sagemaker-deploy-companion";
export const SECRET_ARN =
  "arn:aws:secretsmanager:us-east-1:123456789012:secret:sagemaker-deploy-github-AbCdEf";
export const SCHEDULER_ROLE_ARN = "arn:aws:iam::123456789012:role/sagemaker-deploy-scheduler";
export const REPOSITORY = "octo-org/models";
export const ENDPOINT = "churn-model";
export const ENDPOINT_ARN = `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${ENDPOINT}`;
export const OLD_CONFIG = "churn-model-config-a";
export const NEW_CONFIG = "churn-model-config-b";
export const RUN_ID = "4242";
/** The deploy id the action made for the deploy that handed off (src/provenance.ts). */
export const DEPLOY_ID = "0c9d5e1a-7b3f-4a2e-9c8d-6f5e4d3c2b1a";
/** Lambda's maximum timeout, as the template sets it. */
export const INVOCATION_MS = 900_000;
export const MINUTE = 60_000;

/** A fake clock starting on the test day (epoch ms). */
export function fakeClock(start = Date.parse("2026-11-24T16:00:00Z")): FakeClock {
  return sharedFakeClock(start);
}

/** One recorded log line. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly attributes?: LogAttributes;
}

/** A {@link Log} that keeps every line, and all of it as one JSON text for leak checks. */
export interface RecordingLog extends Log {
  readonly entries: LogEntry[];
  text(): string;
}

/** A log recorder. */
export function recordingLog(): RecordingLog {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry["level"]) =>
    (message: string, attributes?: LogAttributes): void => {
      entries.push(attributes ? { level, message, attributes } : { level, message });
    };
  return {
    entries,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    text: () => JSON.stringify(entries),
  };
}

/** The callback workflow's declared inputs, read from the example the README points to. */
export async function exampleWorkflowInputs(): Promise<Record<string, { required?: boolean }>> {
  const text = await readFile(
    new URL("../../examples/sagemaker-deploy-status.yml", import.meta.url),
    "utf8",
  );
  const workflow = parse(text) as {
    on: { workflow_dispatch: { inputs: Record<string, { required?: boolean }> } };
  };
  return workflow.on.workflow_dispatch.inputs;
}

/** The environment the SAM template gives the function, pointed at the doubles. */
export function lambdaEnv(githubUrl: string, allowed = "octo-org/*"): Record<string, string> {
  return {
    [ENV.tokenSecretArn]: SECRET_ARN,
    [ENV.allowedRepositories]: allowed,
    [ENV.githubApiUrl]: githubUrl,
    [ENV.schedulerRoleArn]: SCHEDULER_ROLE_ARN,
  };
}

/**
 * The environment the bundled handler runs with in tests: fake credentials, the local doubles
 * as endpoints, and the function's own variables.
 */
export function handlerEnv(urls: {
  sagemaker: string;
  secrets: string;
  github: string;
}): Record<string, string> {
  return {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SAGEMAKER: urls.sagemaker,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.secrets,
    ...lambdaEnv(urls.github, "octo-org/*"),
  };
}

/** Everything one core test runs against. */
export interface Harness {
  readonly emulator: Emulator;
  readonly github: GithubApiDouble;
  readonly client: SageMakerClient;
  readonly clock: FakeClock;
  readonly log: RecordingLog;
  readonly continuations: ContinuationRequest[];
  readonly deps: Dependencies;
  /** A fresh invocation with Lambda's full 15 minutes ahead, on the fake clock. */
  invocation(): Invocation;
  /** A hand-off payload for {@link ENDPOINT}, deadline `deadlineMs` from now. */
  payload(overrides?: Partial<HandoffPayload>, deadlineMs?: number): HandoffPayload;
  close(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly github?: GithubApiOptions;
  readonly emulator?: EmulatorOptions;
  readonly allowed?: string;
  readonly deps?: Partial<Dependencies>;
}

/** Starts the emulator and the GitHub double and wires the core's dependencies to them. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = fakeClock();
  const emulator = await startEmulator({ now: clock.now, ...options.emulator });
  const github = await startGithubApiDouble({
    tokens: [TEST_TOKEN],
    workflowInputs: await exampleWorkflowInputs(),
    ...options.github,
  });
  const client = sageMakerClient(emulator.url, { retryStrategy: new QuickRetries(5) });
  const log = recordingLog();
  const continuations: ContinuationRequest[] = [];
  const deps: Dependencies = {
    config: readConfig(lambdaEnv(github.url, options.allowed)),
    sagemaker: () => createSageMakerGateway({ client }),
    getToken: async () => TEST_TOKEN,
    fetch: (input, init) => fetch(input, init),
    clock,
    logger: log,
    scheduleContinuation: async (request) => {
      continuations.push(request);
    },
    pollCapMs: 30_000,
    ...options.deps,
  };
  return {
    emulator,
    github,
    client,
    clock,
    log,
    continuations,
    deps,
    invocation: () => {
      const end = clock.now() + INVOCATION_MS;
      return {
        functionArn: FUNCTION_ARN,
        requestId: randomUUID(),
        remainingTimeMs: () => end - clock.now(),
      };
    },
    payload: (overrides = {}, deadlineMs = 60 * MINUTE) =>
      handoffPayload({ ...overrides, deadline: new Date(clock.now() + deadlineMs).toISOString() }),
    close: async () => {
      client.destroy();
      await Promise.all([emulator.close(), github.close()]);
    },
  };
}

/** A hand-off payload as the action sends it for {@link ENDPOINT}. */
export function handoffPayload(overrides: Partial<HandoffPayload> = {}): HandoffPayload {
  return {
    version: 1,
    endpointName: ENDPOINT,
    endpointArn: ENDPOINT_ARN,
    expectedConfigName: NEW_CONFIG,
    region: "us-east-1",
    deadline: "2026-11-24T18:00:00Z",
    callback: { repository: REPOSITORY, workflow: "sagemaker-deploy-status.yml", ref: "main" },
    source: {
      runId: RUN_ID,
      runAttempt: "1",
      sha: "0123456789abcdef0123456789abcdef01234567",
      deployId: DEPLOY_ID,
    },
    ...overrides,
  };
}

/** The tags the action writes on an endpoint when hand-off is configured (`payload` names the deploy). */
export function handoffTags(
  deadline: string,
  payload: HandoffPayload = handoffPayload(),
): { Key: string; Value: string }[] {
  return [
    { Key: TAG_KEYS.repository, Value: payload.callback.repository },
    { Key: TAG_KEYS.runId, Value: payload.source.runId },
    { Key: TAG_KEYS.runAttempt, Value: payload.source.runAttempt },
    { Key: TAG_KEYS.deployId, Value: payload.source.deployId },
    { Key: TAG_KEYS.commit, Value: payload.source.sha },
    { Key: TAG_KEYS.expectedConfig, Value: payload.expectedConfigName },
    { Key: TAG_KEYS.callbackWorkflow, Value: payload.callback.workflow },
    { Key: TAG_KEYS.callbackRef, Value: encodeTagValue(payload.callback.ref) ?? "" },
    { Key: TAG_KEYS.deadline, Value: deadline },
  ];
}

/** Seeds {@link ENDPOINT} as the action leaves it after CreateEndpoint: Creating, tagged, on the new config. */
export function seedCreating(harness: Harness, deadline: string): void {
  harness.emulator.seed({
    endpoints: [
      {
        EndpointName: ENDPOINT,
        EndpointConfigName: NEW_CONFIG,
        status: "Creating",
        Tags: handoffTags(deadline),
      },
    ],
  });
}

/** An EventBridge "SageMaker Endpoint State Change" event, shaped as AWS sends it. */
export function stateChangeEvent(status: string, endpointName = ENDPOINT): Record<string, unknown> {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "SageMaker Endpoint State Change",
    source: "aws.sagemaker",
    account: "123456789012",
    time: "2026-11-24T16:10:00Z",
    region: "us-east-1",
    resources: [`arn:aws:sagemaker:us-east-1:123456789012:endpoint/${endpointName}`],
    detail: {
      EndpointName: endpointName,
      EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${endpointName}`,
      EndpointConfigName: NEW_CONFIG,
      EndpointStatus: status,
      CreationTime: 1795449600000,
      LastModifiedTime: 1795450200000,
      Tags: {},
    },
  };
}

/** DescribeEndpoint calls the emulator answered. */
export function describeCalls(emulator: Emulator): number {
  return emulator.requests.filter((request) => request.operation === "DescribeEndpoint").length;
}

/** A Lambda context as the runtime passes it, with Lambda's full 15 minutes remaining. */
export function lambdaContext(awsRequestId = "c6af9ac6-7b61-11e6-9a41-93e812345678"): Context {
  const end = Date.now() + INVOCATION_MS;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "sagemaker-deploy-companion",
    functionVersion: "$LATEST",
    invokedFunctionArn: FUNCTION_ARN,
    memoryLimitInMB: "256",
    awsRequestId,
    logGroupName: "/aws/lambda/sagemaker-deploy-companion",
    logStreamName: "2026/11/24/[$LATEST]abcdef",
    getRemainingTimeInMillis: () => end - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * A fresh harness for every test of the file; after each test, asserts that the token never
 * reached a log line, whatever happened.
 */
export function useHarness(): () => Harness {
  let harness: Harness | undefined;
  beforeEach(async () => {
    harness = await startHarness();
  });
  afterEach(async () => {
    expect(harness?.log.text()).not.toContain(TEST_TOKEN);
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error("useHarness: no test is running");
    return harness;
  };
}

/** A meeting point for concurrent invocations: each `arrive()` resolves once `parties` arrived. */
export interface Barrier {
  arrive(): Promise<void>;
  /** Resolves once `parties` arrived. */
  readonly met: Promise<void>;
}

/** A {@link Barrier} for `parties` callers, to line concurrent invocations up at one step. */
export function barrier(parties: number): Barrier {
  let arrived = 0;
  let release: () => void = () => undefined;
  const met = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    arrive: () => {
      arrived += 1;
      if (arrived >= parties) release();
      return met;
    },
    met,
  };
}
