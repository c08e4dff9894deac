import type { CallbackTarget } from "../../src/shared/handoff-payload.js";
import type { SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import type { Dependencies } from "./dependencies.js";
import { buildDispatchInputs, type Outcome } from "./dispatch-inputs.js";
import { isReported, markReported, reportKey } from "./endpoint-tags.js";
import { dispatchWorkflow } from "./github-dispatch.js";
import type { HandlerResult } from "./handler-result.js";
import { RESULT } from "./handler-result.js";

/** Time kept back from the invocation's end when retrying the dispatch. */
export const DISPATCH_MARGIN_MS = 5_000;

/** Options for {@link reportOutcome}. */
export interface ReportOptions {
  readonly outcome: Outcome;
  readonly callback: CallbackTarget;
  /** The config this deployment put on the endpoint (part of the at-most-once key). */
  readonly expectedConfigName: string;
  readonly gateway: SageMakerGateway;
  /** The endpoint's tags, read just now; undefined when the endpoint no longer exists. */
  readonly tags: Readonly<Record<string, string>> | undefined;
  /** Epoch ms after which no dispatch retry starts. */
  readonly deadline: number;
  readonly deps: Dependencies;
}

/**
 * Reports a final outcome at most once: skips it when the endpoint's `reported` tag already
 * names this deployment, claims the tag, then dispatches. Throws only before the claim (nothing
 * was sent, so Lambda's retry is safe); never after.
 */
export async function reportOutcome(options: ReportOptions): Promise<HandlerResult> {
  const { outcome, deps } = options;
  const key = reportKey(outcome.runId, options.expectedConfigName);
  const context = { endpoint: outcome.endpointName, key, status: outcome.status };
  if (options.tags && isReported(options.tags, key)) {
    deps.logger.info("Outcome already reported; not dispatching again", context);
    return { result: RESULT.alreadyReported };
  }
  const token = await deps.getToken();
  if (options.tags)
    await markReported(options.gateway, outcome.endpointArn, `${key}/${outcome.status}`);
  else deps.logger.warn("The endpoint is gone, so the report cannot be recorded on it", context);
  const inputs = buildDispatchInputs(outcome);
  const result = await dispatchWorkflow({
    apiUrl: deps.config.githubApiUrl,
    token,
    target: options.callback,
    inputs,
    fetch: deps.fetch,
    clock: deps.clock,
    deadline: options.deadline,
    logger: deps.logger,
  });
  const where = {
    ...context,
    repository: options.callback.repository,
    workflow: options.callback.workflow,
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
