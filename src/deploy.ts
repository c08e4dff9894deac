import type { DeployContext } from "./deploy-context.js";
import { endpointTags, planDeploy } from "./deploy-plan.js";
import { createEndpoint, updateEndpoint } from "./endpoint-change.js";
import { waitFor } from "./endpoint-wait.js";
import { ensureResources, rejectConflicts, setArn } from "./ensure-resources.js";
import { consoleLinks } from "./report.js";
import { DeployError } from "./shared/errors.js";
import type { Endpoint, EndpointConfig, Model } from "./shared/sagemaker-gateway.js";
import { isTransitional, judgeSettled } from "./shared/status.js";
import type { WaitOutcome } from "./shared/wait.js";

/** How a deploy ended before any hand-off or cleanup. */
export type DeployOutcome =
  | WaitOutcome
  | { readonly kind: "unchanged"; readonly endpoint: Endpoint }
  | { readonly kind: "not-waited"; readonly endpoint?: Endpoint };

/** What exists before the run changes anything. */
interface Found {
  readonly endpoint: Endpoint | undefined;
  readonly model: Model | undefined;
  readonly config: EndpointConfig | undefined;
}

/** Looks up the endpoint, model and config (read-only, in parallel). */
async function inspect(ctx: DeployContext, modelName: string, configName: string): Promise<Found> {
  const gateway = ctx.sagemaker;
  const [endpoint, model, config] = await Promise.all([
    gateway.describeEndpoint(ctx.config.endpointName),
    gateway.describeModel(modelName),
    gateway.describeEndpointConfig(configName),
  ]);
  return { endpoint, model, config };
}

/** Waits out an operation someone else started on the endpoint, within the deadline. */
async function settle(ctx: DeployContext, endpoint: Endpoint | undefined) {
  if (!endpoint || !isTransitional(endpoint.EndpointStatus)) return endpoint;
  ctx.log.info(
    `Endpoint ${ctx.config.endpointName} is ${endpoint.EndpointStatus}; waiting for that operation to finish before deploying.`,
  );
  const outcome = await waitFor(ctx, { expectedConfigName: "", judge: judgeSettled });
  if (
    outcome.kind === "cancelled" ||
    outcome.kind === "credentials" ||
    outcome.kind === "timeout"
  ) {
    const why = {
      cancelled: "The job was cancelled",
      credentials: "The AWS credentials expired or are invalid",
      timeout: "The wait-timeout passed",
    }[outcome.kind];
    throw new DeployError(
      `${why} while endpoint '${ctx.config.endpointName}' was still ${outcome.endpoint?.EndpointStatus ?? "busy"} with another operation; nothing was changed. Re-run when it settles.`,
    );
  }
  return outcome.endpoint;
}

/** Refuses endpoints that cannot take an update, and says what to do. */
function checkUpdatable(endpoint: Endpoint): void {
  const status = endpoint.EndpointStatus;
  if (status === "InService") return;
  const reason = endpoint.FailureReason ? ` (${endpoint.FailureReason})` : "";
  const fix =
    status === "Failed"
      ? `A Failed endpoint cannot be updated: delete it (aws sagemaker delete-endpoint --endpoint-name ${endpoint.EndpointName}) and re-run.`
      : "Only an InService endpoint can be updated; bring it back to InService or delete it, then re-run.";
  throw new DeployError(
    `Endpoint '${endpoint.EndpointName}' is ${status}${reason}. ${fix} Nothing was changed.`,
  );
}

/** The endpoint already runs this exact config (same name, so same content): no call to make. */
function unchanged(ctx: DeployContext, found: Found, endpoint: Endpoint): DeployOutcome {
  const { report } = ctx;
  if (found.model?.ModelArn) setArn(report, "model", found.model.ModelArn, "reused");
  setArn(report, "endpointConfig", found.config?.EndpointConfigArn ?? "", "reused");
  report.operation = "unchanged";
  report.status = endpoint.EndpointStatus;
  ctx.log.info(
    `Endpoint ${report.endpointName} already runs endpoint config ${report.endpointConfigName}; nothing to change.`,
  );
  return { kind: "unchanged", endpoint };
}

async function notWaited(ctx: DeployContext): Promise<DeployOutcome> {
  const endpoint = await ctx.sagemaker.describeEndpoint(ctx.config.endpointName);
  if (endpoint) ctx.report.status = endpoint.EndpointStatus;
  return { kind: "not-waited", ...(endpoint ? { endpoint } : {}) };
}

/**
 * The deploy itself: inspect (read-only), refuse conflicts, then CreateModel →
 * CreateEndpointConfig → CreateEndpoint or UpdateEndpoint, then wait per the status table,
 * doubting reads that contradict the call just made.
 */
export async function deploy(ctx: DeployContext): Promise<DeployOutcome> {
  const { config, report } = ctx;
  const plan = planDeploy(config, ctx.provenance);
  report.modelName = plan.modelName;
  report.endpointConfigName = plan.configName;
  const found = await inspect(ctx, plan.modelName, plan.configName);
  rejectConflicts(found, plan);
  const endpoint = await settle(ctx, found.endpoint);
  if (endpoint) {
    report.endpointArn = endpoint.EndpointArn;
    checkUpdatable(endpoint);
    if (endpoint.EndpointConfigName === plan.configName) return unchanged(ctx, found, endpoint);
  }
  await ensureResources(ctx, plan, found);
  const tags = endpointTags({
    plan,
    handoff: config.handoff,
    provenance: ctx.provenance,
    waitDeadline: ctx.deadline,
  });
  const change = endpoint
    ? await updateEndpoint(ctx, plan.configName, tags)
    : await createEndpoint(ctx, plan.configName, tags);
  ctx.log.info(`Watch it: ${consoleLinks.endpoint(config.region, config.endpointName)}`);
  if (!config.wait) return notWaited(ctx);
  return waitFor(ctx, { expectedConfigName: plan.configName, change });
}
