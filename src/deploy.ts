import type { DeployContext } from "./deploy-context.js";
import { type DeployPlan, endpointTags, planDeploy } from "./deploy-plan.js";
import { createEndpoint, updateEndpoint } from "./endpoint-change.js";
import { waitFor } from "./endpoint-wait.js";
import { ensureResources, rejectConflicts, setArn } from "./ensure-resources.js";
import { resolveModelSource } from "./model-source.js";
import { smokeTest } from "./release-steps.js";
import { PLAN_RESOURCE, type Plan } from "./report.js";
import {
  applySpecScaling,
  planScaling,
  type ScalingPlan,
  withScalingLifted,
} from "./scaling-step.js";
import { consoleLinks } from "./shared/console-links.js";
import { DeployError, errorMessage } from "./shared/errors.js";
import { parseTiming, recordTiming } from "./shared/poll-schedule.js";
import type { Endpoint, EndpointConfig, Model } from "./shared/sagemaker-gateway.js";
import { type ChangeMade, isTransitional, judgeSettled } from "./shared/status.js";
import { TAG_KEYS } from "./shared/tags.js";
import type { WaitOutcome } from "./shared/wait.js";
import { type RunningEndpoint, reviewUpdate } from "./update-review.js";

/** How a deploy ended before any hand-off or cleanup. */
export type DeployOutcome =
  | WaitOutcome
  | { readonly kind: "unchanged"; readonly endpoint: Endpoint }
  | { readonly kind: "not-waited"; readonly endpoint?: Endpoint }
  | { readonly kind: "dry-run" };

/** What exists before the run changes anything. */
interface Found {
  readonly endpoint: Endpoint | undefined;
  readonly model: Model | undefined;
  readonly config: EndpointConfig | undefined;
  /** Whether the model and config were looked up (else: created, or reused if present). */
  readonly lookedUp: { readonly model: boolean; readonly config: boolean };
}

/**
 * Looks up the endpoint, and the model and config where their names were given (read-only, in
 * parallel). A derived name is content-addressed, so a resource of that name already holds this
 * content: it is simply reused when its create answers "already existing", and the two reads are
 * saved (they are most of the burst when many deploys start at once). A dry run reads all three
 * so its plan says exactly what would be created.
 */
async function inspect(ctx: DeployContext, modelName: string, configName: string): Promise<Found> {
  const gateway = ctx.sagemaker;
  const { config } = ctx;
  const [endpoint, model, endpointConfig] = await Promise.all([
    gateway.describeEndpoint(config.endpointName),
    config.modelName || config.dryRun ? gateway.describeModel(modelName) : undefined,
    config.endpointConfigName || config.dryRun
      ? gateway.describeEndpointConfig(configName)
      : undefined,
  ]);
  return {
    endpoint,
    model,
    config: endpointConfig,
    lookedUp: {
      model: Boolean(config.modelName || config.dryRun),
      config: Boolean(config.endpointConfigName || config.dryRun),
    },
  };
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

/** The endpoint already runs this exact config (same name, so same content): no change to make; the smoke test runs. */
async function unchanged(
  ctx: DeployContext,
  found: Found,
  endpoint: Endpoint,
): Promise<DeployOutcome> {
  const { report } = ctx;
  const name = report.endpointConfigName ?? "";
  const config = found.lookedUp.config
    ? found.config
    : await ctx.sagemaker.describeEndpointConfig(name);
  const modelName = report.modelName ?? "";
  const model = found.lookedUp.model ? found.model : await ctx.sagemaker.describeModel(modelName);
  if (model?.ModelArn) setArn(report, "model", model.ModelArn, "reused");
  setArn(report, "endpointConfig", config?.EndpointConfigArn ?? "", "reused");
  report.operation = "unchanged";
  report.status = endpoint.EndpointStatus;
  ctx.log.info(
    `Endpoint ${report.endpointName} already runs endpoint config ${report.endpointConfigName}; nothing to change.`,
  );
  await smokeTest(ctx, endpoint, "unchanged");
  return { kind: "unchanged", endpoint };
}

async function notWaited(ctx: DeployContext): Promise<DeployOutcome> {
  const endpoint = await ctx.sagemaker.describeEndpoint(ctx.config.endpointName);
  if (endpoint) ctx.report.status = endpoint.EndpointStatus;
  return { kind: "not-waited", ...(endpoint ? { endpoint } : {}) };
}

/** What a new endpoint is compared with for its plan. */
const NOTHING_RUNNING: RunningEndpoint = { config: {} as EndpointConfig, models: new Map() };

/** What the endpoint runs before the update: its config, its variants' models, its tags. */
async function readRunning(ctx: DeployContext, endpoint: Endpoint) {
  const gateway = ctx.sagemaker;
  const configName = endpoint.EndpointConfigName ?? "";
  const config = await gateway.describeEndpointConfig(configName);
  if (!config) {
    throw new DeployError(
      `Endpoint '${ctx.config.endpointName}' runs endpoint config '${configName}', which no longer exists, so the update cannot be checked against it. Nothing was changed.`,
    );
  }
  const modelNames = [
    ...new Set(
      (config.ProductionVariants ?? []).flatMap((v) => (v.ModelName ? [v.ModelName] : [])),
    ),
  ];
  const models = await Promise.all(modelNames.map((name) => gateway.describeModel(name)));
  const tags = endpoint.EndpointArn ? await gateway.listTags(endpoint.EndpointArn) : {};
  const running: RunningEndpoint = {
    config,
    models: new Map(models.flatMap((m) => (m?.ModelName ? [[m.ModelName, m] as const] : []))),
  };
  return { running, tags };
}

/** Logs the plan; it also goes to the summary and the `plan` output. */
function showPlan(ctx: DeployContext, plan: Plan): void {
  ctx.report.plan = plan;
  const verb = { create: "create", update: "update", unchanged: "leave unchanged" }[plan.operation];
  const lines = [
    `Plan${plan.dryRun ? " (dry run)" : ""}: ${verb} endpoint ${plan.endpointName} on endpoint config ${plan.endpointConfigName} (${PLAN_RESOURCE[plan.endpointConfig]}), model ${plan.modelName} (${PLAN_RESOURCE[plan.model]})`,
    ...plan.changes.map((change) => `  ${change}`),
    ...plan.removals.map((removal) => `  removes ${removal}`),
    ...plan.notes.map((note) => `  ${note}`),
  ];
  ctx.log.info(lines.join("\n"));
}

/** Refuses, before any change, an update that would remove what the endpoint has. */
function refuseRemovals(ctx: DeployContext, removals: readonly string[]): void {
  if (removals.length === 0 || ctx.config.allowRemoval) return;
  throw new DeployError(
    `The update would remove from endpoint '${ctx.config.endpointName}': ${removals.join("; ")}. Nothing was changed. Keep them in the spec, or set allow-removal: true to remove them.`,
  );
}

/** Records how long this update took, for the next update's poll schedule. */
async function recordTimingTag(
  ctx: DeployContext,
  change: ChangeMade,
  previous: string | undefined,
): Promise<void> {
  const arn = ctx.report.endpointArn;
  if (!arn) return;
  const value = recordTiming(parseTiming(previous), change.kind, ctx.clock.now() - change.at);
  await ctx.sagemaker
    .addTags(arn, [{ Key: TAG_KEYS.timing, Value: value }])
    .catch((error) =>
      ctx.log.warning(`Could not record the deploy's timing: ${errorMessage(error)}`),
    );
}

/**
 * The deploy itself: resolve what the model is made of (before any SageMaker call), inspect
 * (read-only), refuse conflicts, plan (and refuse removals), then CreateModel →
 * CreateEndpointConfig → CreateEndpoint or UpdateEndpoint, then wait per the status table,
 * doubting reads that contradict the call just made, and smoke-test what is InService.
 */
export async function deploy(ctx: DeployContext): Promise<DeployOutcome> {
  const { config, report } = ctx;
  const plan = await planWithSource(ctx);
  const found = await inspect(ctx, plan.modelName, plan.configName);
  rejectConflicts(found, plan);
  const endpoint = await settle(ctx, found.endpoint);
  if (endpoint) {
    report.endpointArn = endpoint.EndpointArn;
    checkUpdatable(endpoint);
  }
  const isUnchanged = endpoint?.EndpointConfigName === plan.configName;
  const current = endpoint && !isUnchanged ? await readRunning(ctx, endpoint) : undefined;
  const scaling = await planScaling(
    ctx,
    plan,
    endpoint && current ? { endpoint, config: current.running.config } : undefined,
  );
  // A new endpoint is reviewed against nothing: every variant and setting shows as added.
  const review = reviewUpdate(current?.running ?? NOTHING_RUNNING, scaling.plan);
  showPlan(ctx, {
    operation: !endpoint ? "create" : isUnchanged ? "unchanged" : "update",
    endpointName: config.endpointName,
    modelName: plan.modelName,
    endpointConfigName: plan.configName,
    model: found.model ? "reuse" : found.lookedUp.model ? "create" : "create-or-reuse",
    endpointConfig: found.config ? "reuse" : found.lookedUp.config ? "create" : "create-or-reuse",
    changes: review.changes,
    removals: [...review.removals, ...scaling.removals],
    notes: scaling.notes,
    dryRun: config.dryRun,
  });
  refuseRemovals(ctx, [...review.removals, ...scaling.removals]);
  if (config.dryRun) return { kind: "dry-run" };
  if (endpoint && isUnchanged) return unchanged(ctx, found, endpoint);
  await ensureResources(ctx, scaling.plan, found);
  return changeEndpoint(ctx, scaling, endpoint, current);
}

/**
 * Resolves what the model is made of (before any SageMaker change), puts it in the outputs and
 * the summary, and plans the names and requests from it.
 */
async function planWithSource(ctx: DeployContext): Promise<DeployPlan> {
  const { report } = ctx;
  const source = await resolveModelSource(ctx);
  Object.assign(report.sourceOutputs, source.outputs);
  report.notes.push(...source.notes);
  const plan = planDeploy(ctx.config, ctx.provenance, source);
  report.modelName = plan.modelName;
  report.endpointConfigName = plan.configName;
  return plan;
}

/**
 * Creates or updates the endpoint, waits, and smoke-tests it (inside the lifted autoscaling: a
 * rollback may need it lifted as much as the update did); then the spec's autoscaling.
 */
async function changeEndpoint(
  ctx: DeployContext,
  scaling: ScalingPlan,
  endpoint: Endpoint | undefined,
  current: Awaited<ReturnType<typeof readRunning>> | undefined,
): Promise<DeployOutcome> {
  if (endpoint) ctx.report.previousConfigName = endpoint.EndpointConfigName;
  const outcome = await withScalingLifted(ctx, scaling, current?.running.config, async () => {
    const waited = await changeAndWait(ctx, scaling.plan, endpoint, current?.tags[TAG_KEYS.timing]);
    if (waited.kind === "success")
      await smokeTest(ctx, waited.endpoint, endpoint ? "updated" : "created");
    return waited;
  });
  if (outcome.kind === "success") await applySpecScaling(ctx, scaling.plan);
  return outcome;
}

/** CreateEndpoint or UpdateEndpoint, then the wait (unless wait is false). */
async function changeAndWait(
  ctx: DeployContext,
  plan: DeployPlan,
  endpoint: Endpoint | undefined,
  previousTiming: string | undefined,
): Promise<DeployOutcome> {
  const { config } = ctx;
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
  const outcome = await waitFor(ctx, {
    expectedConfigName: plan.configName,
    change,
    expectedMs: parseTiming(previousTiming)[change.kind],
  });
  // Only updates are recorded: the next change of an endpoint is an update, and a create's
  // extra AddTags would be one more call per deploy against the account's rate limit.
  if (outcome.kind === "success" && change.kind === "update")
    await recordTimingTag(ctx, change, previousTiming);
  return outcome;
}
