/**
 * Runs the action's `run()` in process, against an in-process emulator on a fake clock and
 * local ECR, S3 and SageMaker Runtime doubles: the inputs come from a name→value map on top of
 * action.yml's defaults (as the runner passes them), and everything the runner would show is
 * recorded (outputs, summary, log lines, the failure message, hand-off payloads). A deploy that
 * waits an hour on the fake clock takes milliseconds, and nothing races the wall clock.
 */
import { afterAll, afterEach, beforeEach } from "vitest";
import { createAutoScalingGateway } from "../../src/autoscaling-gateway.js";
import { run } from "../../src/main.js";
import type { ActionDependencies, InvokeHandoff, SageMakerSession } from "../../src/ports.js";
import { readProvenance } from "../../src/provenance.js";
import type { ReleaseClients } from "../../src/release-clients.js";
import { createSageMakerClients } from "../../src/shared/aws-client.js";
import { createSageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { type EcrDouble, startEcrDouble } from "../doubles/ecr-api.js";
import { type RuntimeDouble, startRuntimeDouble } from "../doubles/runtime-api.js";
import { type S3Double, startS3Double } from "../doubles/s3-api.js";
import { actionDefaults, RUNNER_ENV } from "../e2e/run-action.js";
import { QuickRetries, TEST_CREDENTIALS } from "../emulator/sdk-client.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../emulator/server.js";
import { type CallSeen, recordAwsCalls, sageMakerActions } from "./aws-calls.js";
import { type FakeClock, fakeClock } from "./fake-clock.js";

/** The day the fake clock starts on (epoch ms). */
export const START = Date.parse("2026-11-24T16:00:00Z");

/** The endpoint of {@link demoDeploy}. */
export const ENDPOINT = "fraud-scorer";

/** The endpoint's ARN as the emulator gives it. */
export const ENDPOINT_ARN = `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${ENDPOINT}`;

/** The quick start's image, in the harness's ECR double from the start. */
export const DEMO_IMAGE = {
  account: "111122223333",
  repository: "fraud",
  tag: "0123456",
  uri: "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:0123456",
} as const;

/** The quick start's model data, in the harness's S3 double from the start. */
export const DEMO_MODEL_DATA = {
  bucket: "ml-artifacts",
  key: "fraud/model.tar.gz",
  url: "s3://ml-artifacts/fraud/model.tar.gz",
} as const;

/** The README's quick start, polling every 15 s (action.yml's default) unless overridden. */
export function demoDeploy(
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    "endpoint-name": ENDPOINT,
    image: DEMO_IMAGE.uri,
    "model-data-url": DEMO_MODEL_DATA.url,
    "execution-role-arn": "arn:aws:iam::111122223333:role/SageMakerExecution",
    "instance-type": "ml.m5.large",
    ...overrides,
  };
}

/** One line the action logged. */
export interface LogLine {
  readonly level: "info" | "warning" | "debug";
  readonly text: string;
}

/** A hand-off the action sent. */
export type HandoffSent = Parameters<InvokeHandoff>[0];

/** What one run of the action showed, as the runner would. */
export interface ActionResult {
  /** The step's outputs (what `$GITHUB_OUTPUT` would hold). */
  readonly outputs: Record<string, string>;
  /** The job summary's Markdown. */
  readonly summary: string;
  readonly lines: readonly LogLine[];
  /** Every info and warning line, one a line (debug lines left out, as the runner hides them). */
  readonly log: string;
  /** The message the step failed with (`::error::`), if it failed. */
  readonly failure?: string;
  /** How often the step was failed (the action promises once at most). */
  readonly failCalls: number;
  readonly handoffs: readonly HandoffSent[];
  /** Time that passed on the fake clock. */
  readonly elapsedMs: number;
}

/** A hook on each logged line; `cancel` aborts the job as a SIGINT would, at that very point. */
export type LineHook = (line: LogLine, cancel: () => void) => void;

/** Options of one run. */
export interface RunOptions {
  /** Called synchronously with each line, so a test can cancel at an exact state. */
  readonly onLine?: LineHook;
  /** Cancel the job (abort `deps.cancelled`) when a line matches. */
  readonly cancelOn?: RegExp;
  /** When the credentials in use expire (epoch ms), as the SDK's resolved credentials say. */
  readonly credentialExpiry?: number;
  /** The hand-off invoke fails with this error. */
  readonly invokeError?: Error;
  /** Environment on top of the runner's (RUNNER_ENV). */
  readonly env?: Readonly<Record<string, string>>;
  /** Replaces single dependencies (e.g. a gateway the test wraps). */
  readonly deps?: Partial<ActionDependencies>;
  /** Resolves when the test wants the job cancelled (e.g. once a held call arrived). */
  readonly cancelWhen?: Promise<unknown>;
}

/** An emulator on a fake clock, ECR, S3 and runtime doubles, and a way to run the action against them. */
export interface ActionHarness {
  readonly emulator: Emulator;
  /** Holds {@link DEMO_IMAGE} (account 111122223333). */
  readonly ecr: EcrDouble;
  /** Holds {@link DEMO_MODEL_DATA} (an unversioned bucket). */
  readonly s3: S3Double;
  /** Answers nothing until a test scripts an endpoint. */
  readonly runtime: RuntimeDouble;
  readonly clock: FakeClock;
  /** Runs the action once with these inputs on top of action.yml's defaults. */
  run(inputs: Readonly<Record<string, string>>, options?: RunOptions): Promise<ActionResult>;
  close(): Promise<void>;
}

/** Inputs exactly as the runner passes them: action.yml's defaults, then the step's `with:`. */
export function runnerInputs(inputs: Readonly<Record<string, string>>): Record<string, string> {
  return { ...actionDefaults(), ...inputs };
}

/** A SageMaker session on the emulator, bound to the job's cancellation like the runner's. */
function emulatorSession(
  emulator: Emulator,
  region: string,
  signal: AbortSignal,
  credentialExpiry: number | undefined,
): SageMakerSession {
  const clients = createSageMakerClients({
    region,
    retries: new QuickRetries(4),
    clientConfig: { endpoint: emulator.url, credentials: TEST_CREDENTIALS },
  });
  const { client, pollClient } = clients;
  return {
    ...createSageMakerGateway({ client, pollClient, signal }),
    throttled: clients.throttled,
    credentialExpiry: async () => credentialExpiry,
    destroy: clients.destroy,
  };
}

/** The doubles a harness runs beside the emulator. */
interface ReleaseDoubles {
  readonly ecr: EcrDouble;
  readonly s3: S3Double;
  readonly runtime: RuntimeDouble;
}

/** The action's ECR, S3 and runtime clients, pointed at the doubles. */
function doubleClients(doubles: ReleaseDoubles): ReleaseClients {
  const config = (endpoint: string) => ({
    endpoint,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 2,
  });
  const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    ecr: async (region, signal) => {
      const { createEcrGateway } = await import("../../src/ecr-gateway.js");
      return createEcrGateway({
        region,
        ...withSignal(signal),
        clientConfig: config(doubles.ecr.url),
      });
    },
    s3: async (region, signal) => {
      const { createS3Gateway } = await import("../../src/s3-gateway.js");
      return createS3Gateway({
        region,
        env: {},
        ...withSignal(signal),
        clientConfig: config(doubles.s3.url),
      });
    },
    github: async () => (await import("@actions/github")).getOctokit,
    runtime: async (region, signal) => {
      const { createRuntimeGateway } = await import("../../src/runtime-gateway.js");
      return createRuntimeGateway({
        region,
        ...withSignal(signal),
        clientConfig: config(doubles.runtime.url),
      });
    },
  };
}

/** Starts the doubles, holding the quick start's image and model data. */
async function startReleaseDoubles(): Promise<ReleaseDoubles> {
  const [ecr, s3, runtime] = await Promise.all([
    startEcrDouble({ accountId: DEMO_IMAGE.account }),
    startS3Double(),
    startRuntimeDouble(),
  ]);
  // A fixed manifest: every harness gives the quick start's tag the same digest.
  ecr.push(DEMO_IMAGE.repository, DEMO_IMAGE.tag, DEMO_IMAGE.uri);
  s3.createBucket(DEMO_MODEL_DATA.bucket);
  s3.put(DEMO_MODEL_DATA.bucket, DEMO_MODEL_DATA.key, "model v1");
  return { ecr, s3, runtime };
}

/** Starts an emulator on a fake clock and the doubles; {@link ActionHarness.run} runs the action against them. */
export async function startActionHarness(
  emulatorOptions: EmulatorOptions = {},
): Promise<ActionHarness> {
  const clock = fakeClock(START);
  const [emulator, doubles] = await Promise.all([
    startEmulator({ now: clock.now, ...emulatorOptions }),
    startReleaseDoubles(),
  ]);
  const release = doubleClients(doubles);
  return {
    emulator,
    ...doubles,
    clock,
    run: (inputs, options = {}) => runAction({ emulator, clock, release }, inputs, options),
    close: async () => {
      await Promise.all([
        emulator.close(),
        doubles.ecr.close(),
        doubles.s3.close(),
        doubles.runtime.close(),
      ]);
    },
  };
}

async function runAction(
  { emulator, clock, release }: { emulator: Emulator; clock: FakeClock; release: ReleaseClients },
  inputs: Readonly<Record<string, string>>,
  options: RunOptions,
): Promise<ActionResult> {
  const all = runnerInputs(inputs);
  const env = { ...RUNNER_ENV, ...options.env };
  const job = new AbortController();
  const cancel = () => job.abort();
  void options.cancelWhen?.then(cancel);
  const lines: LogLine[] = [];
  const outputs: Record<string, string> = {};
  const handoffs: HandoffSent[] = [];
  const failures: string[] = [];
  let summary = "";
  const log = (level: LogLine["level"]) => (text: string) => {
    const line = { level, text };
    lines.push(line);
    if (options.cancelOn?.test(text)) cancel();
    options.onLine?.(line, cancel);
  };
  const startedAt = clock.now();
  const deps: ActionDependencies = {
    input: (name) => all[name] ?? "",
    env,
    provenance: readProvenance(env),
    sagemaker: (region, signal) =>
      emulatorSession(emulator, region, signal, options.credentialExpiry),
    release,
    autoscaling: (region, signal) =>
      createAutoScalingGateway({
        region,
        signal,
        clientConfig: { endpoint: emulator.url, credentials: TEST_CREDENTIALS },
      }),
    invokeHandoff: async () => async (request) => {
      if (options.invokeError) throw options.invokeError;
      handoffs.push(structuredClone(request));
    },
    log: { info: log("info"), warning: log("warning"), debug: log("debug") },
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    writeSummary: async (markdown) => {
      summary += markdown;
    },
    fail: (message) => {
      failures.push(message);
    },
    clock,
    cancelled: job.signal,
    ...options.deps,
  };
  await run(deps);
  return {
    outputs,
    summary,
    lines,
    log: lines
      .filter((line) => line.level !== "debug")
      .map((line) => line.text)
      .join("\n"),
    ...(failures[0] === undefined ? {} : { failure: failures[0] }),
    failCalls: failures.length,
    handoffs,
    elapsedMs: clock.now() - startedAt,
  };
}

/**
 * Calls a test makes itself to fill the Model Registry, as a build pipeline would; the action
 * never makes them, so the IAM check must not count them as its own.
 */
export const REGISTRY_SETUP_OPERATIONS: ReadonlySet<string> = new Set([
  "CreateModelPackageGroup",
  "CreateModelPackage",
  "UpdateModelPackage",
]);

/** The calls of the action (not a test's registry set-up) among the emulator's requests. */
export function actionRequests<T extends { operation: string }>(requests: readonly T[]): T[] {
  return requests.filter((request) => !REGISTRY_SETUP_OPERATIONS.has(request.operation));
}

/**
 * A fresh harness (and emulator) for every test of the file; the AWS calls the action made in
 * all of them are recorded as `suite` for the IAM check.
 */
export function useActionHarness(
  suite: string,
  emulatorOptions: EmulatorOptions = {},
): () => ActionHarness {
  let harness: ActionHarness | undefined;
  const seen: CallSeen[] = [];
  beforeEach(async () => {
    harness = await startActionHarness(emulatorOptions);
  });
  afterEach(async () => {
    if (!harness) return;
    seen.push(
      ...sageMakerActions(actionRequests(harness.emulator.requests)),
      ...harness.ecr.iamActions(),
      ...harness.s3.iamActions(),
      ...harness.runtime.iamActions(),
    );
    await harness.close();
    harness = undefined;
  });
  afterAll(() => recordAwsCalls(suite, "action", seen));
  return () => {
    if (!harness) throw new Error("useActionHarness: no test is running");
    return harness;
  };
}

/** The names of resources in an emulator state, sorted. */
export function names(items: readonly { name: string }[]): string[] {
  return items.map((item) => item.name).sort();
}

/** The operations of the Create/Update/Delete/AddTags calls that reached the emulator's handlers. */
export function mutations(emulator: Emulator): string[] {
  return emulator.mutatingRequests().map((request) => request.operation);
}
