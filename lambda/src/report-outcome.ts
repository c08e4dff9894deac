import { randomUUID } from "node:crypto";
import { errorMessage, unlessNotFound } from "../../src/shared/errors.js";
import type { SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { TAG_KEYS } from "../../src/shared/tags.js";
import type { Dependencies, Invocation } from "./dependencies.js";
import { buildDispatchInputs, type Outcome } from "./dispatch-inputs.js";
import {
  type Deployment,
  deploymentMismatch,
  markReported,
  reportedClaim,
  reportedValue,
  reportKey,
} from "./endpoint-tags.js";
import { dispatchWorkflow } from "./github-dispatch.js";
import type { HandlerResult } from "./handler-result.js";
import { RESULT } from "./handler-result.js";
import { CLAIM_TTL_MS } from "./report-claims.js";

/** Time kept back from the invocation's end when retrying the dispatch. */
export const DISPATCH_MARGIN_MS = 5_000;

/**
 * Without the reports table, how long after writing its claim an invocation reads the tag back.
 * Two invocations that both found the report unclaimed both write the tag, and the last write
 * wins; a second is far longer than the ListTags-to-AddTags step of the other, so by then both
 * see the same winner and only it dispatches.
 */
export const CLAIM_SETTLE_MS = 1_000;

/** Options for {@link reportOutcome}. */
export interface ReportOptions {
  readonly outcome: Outcome;
  /** The deployment reported; the endpoint's tags must still name it. */
  readonly deployment: Deployment;
  readonly gateway: SageMakerGateway;
  /** The `sagemaker-deploy:timing` value to record with an InService report, if known. */
  readonly timing?: string;
  readonly invocation: Invocation;
  readonly deps: Dependencies;
}

async function recordTimingOnly(options: ReportOptions, timing: string): Promise<void> {
  try {
    await options.gateway.addTags(options.outcome.endpointArn, [
      { Key: TAG_KEYS.timing, Value: timing },
    ]);
  } catch (error) {
    options.deps.logger.warn("Could not record the endpoint's timing", {
      endpoint: options.outcome.endpointName,
      reason: errorMessage(error),
    });
  }
}

/** After {@link CLAIM_SETTLE_MS}, whether the tag still holds this invocation's claim. */
async function keptClaim(options: ReportOptions, key: string, value: string): Promise<boolean> {
  const { deps, outcome } = options;
  await deps.clock.sleep(CLAIM_SETTLE_MS);
  try {
    const tags = await unlessNotFound(() => options.gateway.listTags(outcome.endpointArn));
    const claim = tags ? reportedClaim(tags, key) : undefined;
    return claim === undefined || claim === value;
  } catch (error) {
    // The claim is written: a throw now would have Lambda's retry find it and never report.
    deps.logger.warn("Could not read the claim back; dispatching", {
      endpoint: outcome.endpointName,
      reason: errorMessage(error),
    });
    return true;
  }
}

/** Claims the report in the reports table, when there is one; true when this invocation may go on. */
async function claimInTable(options: ReportOptions, key: string): Promise<boolean> {
  const { deps, outcome } = options;
  if (!deps.claimReport) return true;
  const now = deps.clock.now();
  return deps.claimReport({
    id: `${outcome.endpointArn}#${key}`,
    claimant: options.invocation.requestId,
    claimedAt: now,
    expiresAt: now + CLAIM_TTL_MS,
  });
}

type Claimed = "claimed" | "already-reported" | "superseded";

/** Reads the tags, then claims the report: in the table if there is one, and on the tag. */
async function claimReport(options: ReportOptions, key: string): Promise<Claimed> {
  const { deps, outcome, gateway } = options;
  const context = { endpoint: outcome.endpointName, key };
  const tags = await unlessNotFound(() => gateway.listTags(outcome.endpointArn));
  const mismatch = tags && deploymentMismatch(options.deployment, tags);
  if (mismatch) {
    deps.logger.error(
      `Refused: ${mismatch} any more (a later deploy may have taken the endpoint over)`,
      context,
    );
    return "superseded";
  }
  if (tags && reportedClaim(tags, key)) {
    if (options.timing) await recordTimingOnly(options, options.timing);
    return "already-reported";
  }
  if (!(await claimInTable(options, key))) return "already-reported";
  if (!tags) {
    deps.logger.warn("The endpoint is gone, so the report cannot be recorded on it", context);
    return "claimed";
  }
  const value = reportedValue(key, outcome.status, randomUUID().slice(0, 8));
  await markReported(gateway, outcome.endpointArn, value, options.timing);
  if (deps.claimReport || (await keptClaim(options, key, value))) return "claimed";
  return "already-reported";
}

/**
 * Reports a final outcome once: skips it when the endpoint's `reported` tag already names this
 * deployment, claims it (the reports table's conditional put, then the tag), then dispatches.
 * Throws only before the claim (nothing was sent, so Lambda's retry is safe); never after.
 */
export async function reportOutcome(options: ReportOptions): Promise<HandlerResult> {
  const { outcome, deps, deployment } = options;
  const key = reportKey(deployment);
  const context = { endpoint: outcome.endpointName, key, status: outcome.status };
  // The token first: nothing slow may lie between reading the tag and writing the claim.
  const token = await deps.getToken();
  const claimed = await claimReport(options, key);
  if (claimed === "superseded") return { result: RESULT.refused, detail: "superseded" };
  if (claimed === "already-reported") {
    deps.logger.info("Outcome already reported; not dispatching again", context);
    return { result: RESULT.alreadyReported };
  }
  const inputs = buildDispatchInputs(outcome);
  const result = await dispatchWorkflow({
    apiUrl: deps.config.githubApiUrl,
    token,
    target: deployment.callback,
    inputs,
    fetch: deps.fetch,
    clock: deps.clock,
    deadline: deps.clock.now() + options.invocation.remainingTimeMs() - DISPATCH_MARGIN_MS,
    logger: deps.logger,
  });
  const where = {
    ...context,
    repository: deployment.callback.repository,
    workflow: deployment.callback.workflow,
  };
  if (result.ok) {
    deps.logger.info("Dispatched the callback workflow", { ...where, attempts: result.attempts });
    return { result: RESULT.dispatched };
  }
  // Inputs are logged so an operator can re-run the callback by hand (`gh workflow run`).
  deps.logger.error("Could not dispatch the callback workflow", {
    ...where,
    reason: result.reason,
    inputs,
  });
  return { result: RESULT.dispatchFailed, detail: result.reason };
}
