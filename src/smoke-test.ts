import type { Log } from "./ports.js";
import type { SmokeExpectation, SmokeTestSpec } from "./release-inputs.js";
import type { InvokeAnswer, RuntimeGateway } from "./runtime-gateway.js";
import type { Clock } from "./shared/clock.js";
import { DeployError, errorMessage } from "./shared/errors.js";
import type { Endpoint, SageMakerGateway } from "./shared/sagemaker-gateway.js";
import { waitForEndpoint } from "./shared/wait.js";
import { quote } from "./validators.js";

/** How a smoke test ended, with a short printable reason. */
export interface SmokeVerdict {
  readonly ok: boolean;
  readonly reason: string;
}

/** How much of an answer a reason quotes. */
const QUOTED_ANSWER_CHARS = 200;

function short(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > QUOTED_ANSWER_CHARS ? `${flat.slice(0, QUOTED_ANSWER_CHARS)}…` : flat;
}

function show(value: unknown): string {
  return short(JSON.stringify(value) ?? String(value));
}

/**
 * Where `actual` fails to contain `expected`, as a JSON path with both values, or `undefined`.
 * Objects match when every expected member matches; arrays element by element, same length.
 */
export function subsetMismatch(expected: unknown, actual: unknown, path = "$"): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${path}: expected ${show(expected)}, got ${show(actual)}`;
    for (const [index, item] of expected.entries()) {
      const mismatch = subsetMismatch(item, actual[index], `${path}[${index}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual))
      return `${path}: expected an object, got ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const mismatch = subsetMismatch(
        value,
        (actual as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return Object.is(expected, actual)
    ? undefined
    : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

/** Why an answer does not meet the expectation, or `undefined` when it does. */
export function judgeAnswer(
  text: string,
  expectation: SmokeExpectation | undefined,
): string | undefined {
  if (expectation === undefined) return undefined;
  if (expectation.kind === "substring") {
    return text.includes(expectation.text)
      ? undefined
      : `the answer does not contain ${quote(expectation.text)} (answer: ${quote(short(text), QUOTED_ANSWER_CHARS)})`;
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return `the answer is not JSON (answer: ${quote(short(text), QUOTED_ANSWER_CHARS)})`;
  }
  const mismatch = subsetMismatch(expectation.value, answer);
  return mismatch ? `the answer does not match smoke-test-expect at ${mismatch}` : undefined;
}

function failedCall(answer: Extract<InvokeAnswer, { ok: false }>): string {
  if (answer.error === "ModelError") {
    const status = answer.modelStatus ?? answer.status ?? "an error";
    return `the model answered ${status}: ${short(answer.message)}`;
  }
  const status = answer.status === undefined ? "" : ` (HTTP ${answer.status})`;
  return `InvokeEndpoint failed: ${answer.error}${status}: ${short(answer.message)}`;
}

/** The production variants an endpoint runs, as DescribeEndpoint lists them. */
export function variantsOf(endpoint: Endpoint): string[] {
  return (endpoint.ProductionVariants ?? []).flatMap((v) => (v.VariantName ? [v.VariantName] : []));
}

/** Options for {@link runSmokeTest}. */
export interface SmokeTestOptions {
  readonly runtime: RuntimeGateway;
  readonly endpointName: string;
  /** The endpoint's production variants; with more than one, each is invoked (TargetVariant). */
  readonly variants: readonly string[];
  readonly spec: SmokeTestSpec;
  readonly log: Log;
  readonly clock?: Clock;
}

/**
 * Sends the smoke-test body with InvokeEndpoint (to each production variant when there are
 * several) and judges the answers: an error answer (ModelError and the like) fails, and so does
 * an answer that does not meet smoke-test-expect. Never throws.
 */
export async function runSmokeTest(options: SmokeTestOptions): Promise<SmokeVerdict> {
  const { spec, log } = options;
  const targets = options.variants.length > 1 ? options.variants : [undefined];
  for (const variant of targets) {
    const started = options.clock?.now();
    const answer = await options.runtime.invokeEndpoint({
      endpointName: options.endpointName,
      body: spec.body,
      contentType: spec.contentType,
      ...(variant ? { targetVariant: variant } : {}),
    });
    const shown = variant ?? (answer.ok ? answer.variant : undefined);
    const who = shown ? `variant ${shown}` : `endpoint ${options.endpointName}`;
    const took =
      started === undefined ? "" : ` in ${(options.clock?.now() ?? started) - started} ms`;
    if (!answer.ok) return { ok: false, reason: `${who}: ${failedCall(answer)}` };
    const text = new TextDecoder().decode(answer.body);
    log.debug(`Smoke test answer of ${who}: ${short(text)}`);
    const problem = judgeAnswer(text, spec.expect);
    if (problem) return { ok: false, reason: `${who}: ${problem}` };
    log.info(`Smoke test: ${who} answered${took} (${answer.body.length} bytes), as expected.`);
  }
  const which = targets.length > 1 ? `all ${targets.length} variants` : "the endpoint";
  return { ok: true, reason: `${which} answered the smoke test as expected` };
}

/** The step's failure after a smoke test failed. */
export class SmokeTestFailed extends DeployError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SmokeTestFailed";
  }
}

/** Options for {@link revertUpdate}. */
export interface RevertOptions {
  readonly gateway: SageMakerGateway;
  readonly endpointName: string;
  /** The config the endpoint ran before this deploy's update (the action never deletes it). */
  readonly previousConfigName: string;
  /** The config the failed smoke test ran against. */
  readonly failedConfigName: string;
  readonly verdict: SmokeVerdict;
  /** When to stop waiting for the revert (epoch ms). */
  readonly deadline: number;
  readonly nextDelay: (elapsedMs: number) => number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly log: Log;
}

/**
 * Puts the endpoint back on the config it ran before (UpdateEndpoint), waits until it is
 * InService on it, and throws {@link SmokeTestFailed}: "smoke test failed …; rolled back to
 * <config>", or why the rollback did not finish and how to finish it by hand.
 */
export async function revertUpdate(options: RevertOptions): Promise<never> {
  const { gateway, endpointName, previousConfigName: previous } = options;
  const failed = `smoke test failed (${options.verdict.reason})`;
  const byHand = `Roll back by hand: aws sagemaker update-endpoint --endpoint-name ${endpointName} --endpoint-config-name ${previous}`;
  options.log.warning(`${failed}; rolling endpoint ${endpointName} back to ${previous}.`);
  const at = options.clock.now();
  try {
    await gateway.updateEndpoint({ EndpointName: endpointName, EndpointConfigName: previous });
  } catch (error) {
    throw new SmokeTestFailed(
      `${failed}; rolling back to ${previous} failed: ${errorMessage(error)}. The endpoint still serves ${options.failedConfigName}. ${byHand}`,
      { cause: error },
    );
  }
  const outcome = await waitForEndpoint({
    gateway,
    endpointName,
    expectedConfigName: previous,
    change: { kind: "update", at },
    deadline: options.deadline,
    nextDelay: options.nextDelay,
    clock: options.clock,
    ...(options.signal ? { signal: options.signal } : {}),
    onStatusChange: (endpoint) =>
      options.log.info(
        `endpoint ${endpointName}: ${endpoint.EndpointStatus ?? "Unknown"} (rollback)`,
      ),
  });
  if (outcome.kind === "success")
    throw new SmokeTestFailed(`${failed}; rolled back to ${previous}`);
  const why =
    outcome.kind === "failure"
      ? outcome.reason
      : `the endpoint is still ${outcome.endpoint?.EndpointStatus ?? "updating"} (${outcome.kind})`;
  throw new SmokeTestFailed(
    `${failed}; the rollback to ${previous} did not finish: ${why}. ${byHand}`,
  );
}

/** The failure after a smoke test of a newly created endpoint: there is nothing to go back to. */
export function createdEndpointFailed(verdict: SmokeVerdict): SmokeTestFailed {
  return new SmokeTestFailed(
    `smoke test failed (${verdict.reason}); the endpoint was just created, so there is no earlier config to roll back to`,
  );
}

/** Options for {@link smokeTestDeployment}. */
export interface SmokeTestDeploymentOptions {
  readonly spec: SmokeTestSpec;
  /** Builds the runtime client (loaded only now); destroyed after the test. */
  readonly runtime: () => Promise<RuntimeGateway>;
  readonly gateway: SageMakerGateway;
  /** The DescribeEndpoint answer that ended the wait: InService on `currentConfigName`. */
  readonly endpoint: Endpoint;
  readonly operation: "created" | "updated" | "unchanged";
  readonly currentConfigName: string;
  /** The config the endpoint ran before an update. */
  readonly previousConfigName?: string;
  readonly deadline: number;
  readonly nextDelay: (elapsedMs: number) => number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly log: Log;
}

/**
 * The smoke test of a finished deploy: passes (answers the verdict), or throws
 * {@link SmokeTestFailed}, after putting an updated endpoint back on its previous config.
 */
export async function smokeTestDeployment(
  options: SmokeTestDeploymentOptions,
): Promise<SmokeVerdict> {
  const endpointName = options.endpoint.EndpointName ?? "";
  const runtime = await options.runtime();
  let verdict: SmokeVerdict;
  try {
    verdict = await runSmokeTest({
      runtime,
      endpointName,
      variants: variantsOf(options.endpoint),
      spec: options.spec,
      log: options.log,
      clock: options.clock,
    });
  } finally {
    runtime.destroy();
  }
  if (verdict.ok) return verdict;
  if (options.operation === "updated" && options.previousConfigName) {
    return revertUpdate({
      ...options,
      endpointName,
      previousConfigName: options.previousConfigName,
      failedConfigName: options.currentConfigName,
      verdict,
    });
  }
  if (options.operation === "unchanged") {
    throw new SmokeTestFailed(
      `smoke test failed (${verdict.reason}); the endpoint already ran ${options.currentConfigName}, so nothing was changed`,
    );
  }
  throw createdEndpointFailed(verdict);
}
