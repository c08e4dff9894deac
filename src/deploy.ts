import * as core from "@actions/core";
import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigInput,
  CreateModelCommand,
  type CreateModelInput,
  DescribeEndpointConfigCommand,
  type DescribeEndpointConfigCommandOutput,
  DescribeModelCommand,
  type DescribeModelCommandOutput,
  ListTagsCommand,
  type SageMakerClient,
  UpdateEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import type { Clock } from "./clock.js";
import { formatDuration } from "./durations.js";
import { callAws, DeployError, errorMessage, isAlreadyExisting, unlessNotFound } from "./errors.js";
import type { Config, HandoffSpec } from "./inputs.js";
import { configNameFor, modelNameFor } from "./names.js";
import { type Provenance, provenanceTags } from "./provenance.js";
import { consoleLinks, type RunReport } from "./report.js";
import {
  endpointConfigDifferences,
  endpointConfigRequest,
  modelDifferences,
  modelRequest,
} from "./resources.js";
import { isTransitional, judgeSettled, type Verdict } from "./status.js";
import { sanitizeTagValue, TAG_KEYS, type Tag, tagsToRecord } from "./tags.js";
import { printable } from "./validators.js";
import {
  describeEndpointIfExists,
  type Endpoint,
  type WaitOutcome,
  waitForEndpoint,
} from "./wait.js";

/** Everything a deploy needs, handed in so tests control AWS, time and cancellation. */
export interface DeployContext {
  readonly client: SageMakerClient;
  readonly config: Config;
  readonly provenance: Provenance;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Absolute end of the wait (epoch ms). */
  readonly deadline: number;
  readonly report: RunReport;
}

/** How a deploy ended before any hand-off or cleanup. */
export type DeployOutcome =
  | WaitOutcome
  | { readonly kind: "unchanged"; readonly endpoint: Endpoint }
  | { readonly kind: "not-waited"; readonly endpoint?: Endpoint };

type Described<T> = Omit<T, "$metadata">;

/** Runs a Describe call; `undefined` when SageMaker says the resource does not exist. */
function describeOptional<T>(
  operation: string,
  resource: string,
  call: () => Promise<T>,
): Promise<T | undefined> {
  return unlessNotFound(() => callAws(operation, resource, call));
}

function describeEndpoint(ctx: DeployContext): Promise<Endpoint | undefined> {
  return describeEndpointIfExists(ctx.client, ctx.config.endpointName);
}

/** Logs a status change with the time since the run started. */
function logStatus(ctx: DeployContext, endpoint: Endpoint, verdict: Verdict): void {
  core.debug(`DescribeEndpoint: ${JSON.stringify(endpoint)}`);
  const elapsedMs = ctx.clock.now() - ctx.report.startedAt;
  const status = endpoint.EndpointStatus ?? "Unknown";
  ctx.report.timeline.push({ elapsedMs, status });
  ctx.report.status = status;
  const reason = endpoint.FailureReason ? ` (${printable(endpoint.FailureReason)})` : "";
  core.info(
    `[${formatDuration(elapsedMs)}] endpoint ${ctx.config.endpointName}: ${status}${reason}`,
  );
  if (verdict.kind === "failure") ctx.report.failureReason = verdict.reason;
}

/** Waits for the endpoint per the status table (or `judge`), logging each change. */
function waitFor(
  ctx: DeployContext,
  expectedConfigName: string,
  judge?: (e: Endpoint) => Verdict,
): Promise<WaitOutcome> {
  return waitForEndpoint({
    client: ctx.client,
    endpointName: ctx.config.endpointName,
    expectedConfigName,
    ...(judge ? { judge } : {}),
    deadline: ctx.deadline,
    pollIntervalMs: ctx.config.pollIntervalMs,
    signal: ctx.signal,
    clock: ctx.clock,
    onStatusChange: (endpoint, verdict) => logStatus(ctx, endpoint, verdict),
    onPollError: (error) =>
      core.info(
        `DescribeEndpoint failed, retrying at the next poll: ${printable(errorMessage(error))}`,
      ),
  });
}

/** Rejects a same-named resource with other content before anything is changed. */
function rejectConflicts(existing: Found, wanted: Plan): void {
  const hint =
    "Omit the name input to get a content-addressed name, or choose a new name. Nothing was changed.";
  const modelDiff = existing.model ? modelDifferences(existing.model, wanted.model) : [];
  if (modelDiff.length > 0) {
    throw new DeployError(
      `model '${wanted.model.ModelName}' already exists with a different ${modelDiff.join(", ")}. ${hint}`,
    );
  }
  const configDiff = existing.config
    ? endpointConfigDifferences(existing.config, wanted.config)
    : [];
  if (configDiff.length > 0) {
    throw new DeployError(
      `endpoint config '${wanted.config.EndpointConfigName}' already exists with a different ${configDiff.join(", ")}. ${hint}`,
    );
  }
}

/** Waits out an operation someone else started on the endpoint, within the deadline. */
async function settle(
  ctx: DeployContext,
  endpoint: Endpoint | undefined,
): Promise<Endpoint | undefined> {
  if (!endpoint || !isTransitional(endpoint.EndpointStatus)) return endpoint;
  core.info(
    `Endpoint ${ctx.config.endpointName} is ${endpoint.EndpointStatus}; waiting for that operation to finish before deploying.`,
  );
  const outcome = await waitFor(ctx, "", judgeSettled);
  if (outcome.kind === "cancelled")
    throw new DeployError(
      "Cancelled while waiting for the endpoint's current operation; nothing was changed.",
    );
  if (outcome.kind === "timeout") {
    throw new DeployError(
      `Endpoint '${ctx.config.endpointName}' was still ${outcome.endpoint?.EndpointStatus ?? "busy"} at the wait-timeout; nothing was changed. Re-run when it settles.`,
    );
  }
  return outcome.endpoint;
}

/** Refuses endpoints that cannot take an update, and says what to do. */
function checkUpdatable(endpoint: Endpoint): void {
  const status = endpoint.EndpointStatus;
  if (status === "InService") return;
  const reason = endpoint.FailureReason ? ` (${printable(endpoint.FailureReason)})` : "";
  const fix =
    status === "Failed"
      ? `A Failed endpoint cannot be updated: delete it (aws sagemaker delete-endpoint --endpoint-name ${endpoint.EndpointName}) and re-run.`
      : "Only an InService endpoint can be updated; bring it back to InService or delete it, then re-run.";
  throw new DeployError(
    `Endpoint '${endpoint.EndpointName}' is ${status}${reason}. ${fix} Nothing was changed.`,
  );
}

/** True when the resource carries this run's deploy-id tag (so a retried create was ours). */
async function createdByThisRun(ctx: DeployContext, arn: string): Promise<boolean> {
  const answer = await callAws("ListTags", arn, () =>
    ctx.client.send(new ListTagsCommand({ ResourceArn: arn })),
  );
  return tagsToRecord(answer.Tags)[TAG_KEYS.deployId] === ctx.provenance.deployId;
}

/** One resource the deploy needs: how to create it, and how to find its ARN if it exists. */
interface Needed {
  readonly kind: "model" | "endpointConfig";
  readonly name: string;
  /** The ARN of the same-named resource found before any change (same content), if any. */
  readonly existingArn: string | undefined;
  readonly create: () => Promise<string | undefined>;
  readonly findArn: () => Promise<string | undefined>;
}

/**
 * Creates a model or config unless it exists. A create that answers "already existing" (a retry
 * after a dropped connection, or a concurrent run) is reused, and counted as ours only when it
 * carries this run's deploy-id tag.
 */
async function ensure(ctx: DeployContext, needed: Needed): Promise<void> {
  const label = needed.kind === "model" ? "model" : "endpoint config";
  if (needed.existingArn !== undefined) {
    setArn(ctx.report, needed.kind, needed.existingArn, "reused");
  } else {
    try {
      setArn(ctx.report, needed.kind, (await needed.create()) ?? "", "created");
    } catch (error) {
      if (!isAlreadyExisting(error)) throw error;
      const arn = (await needed.findArn()) ?? "";
      setArn(
        ctx.report,
        needed.kind,
        arn,
        (await createdByThisRun(ctx, arn)) ? "created" : "reused",
      );
    }
  }
  core.info(`${label} ${needed.name}: ${ctx.report[needed.kind]}`);
}

/** When the companion Lambda stops waiting: the runner's deadline plus handoff-timeout (ISO 8601). */
export function handoffDeadline(waitDeadline: number, handoff: HandoffSpec): string {
  return new Date(waitDeadline + handoff.timeoutMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function setArn(
  report: RunReport,
  kind: "model" | "endpointConfig",
  arn: string,
  how: "created" | "reused",
): void {
  if (kind === "model") {
    report.modelArn = arn;
    report.model = how;
  } else {
    report.endpointConfigArn = arn;
    report.endpointConfig = how;
  }
}

/**
 * The tags for the endpoint: the user's, provenance, and what the companion Lambda reads. The
 * callback tags are always written, empty without hand-off, so an earlier hand-off's callback
 * never answers for this deploy's state-change events.
 */
function endpointTags(ctx: DeployContext, configName: string, baseTags: readonly Tag[]): Tag[] {
  const handoff = ctx.config.handoff;
  return [
    ...baseTags,
    { Key: TAG_KEYS.expectedConfig, Value: configName },
    { Key: TAG_KEYS.callbackWorkflow, Value: handoff ? sanitizeTagValue(handoff.workflow) : "" },
    {
      Key: TAG_KEYS.callbackRef,
      Value: handoff ? sanitizeTagValue(handoff.ref ?? ctx.provenance.ref) : "",
    },
    { Key: TAG_KEYS.deadline, Value: handoff ? handoffDeadline(ctx.deadline, handoff) : "" },
  ];
}

/** The names and requests this run deploys. */
interface Plan {
  readonly modelName: string;
  readonly configName: string;
  readonly tags: readonly Tag[];
  readonly model: CreateModelInput;
  readonly config: CreateEndpointConfigInput;
}

function planDeploy(ctx: DeployContext): Plan {
  const { config } = ctx;
  const modelName = modelNameFor(config.endpointName, config.model, config.modelName);
  const configName = configNameFor(
    config.endpointName,
    modelName,
    config.variant,
    config.endpointConfigName,
  );
  const tags = [...config.tags, ...provenanceTags(ctx.provenance)];
  return {
    modelName,
    configName,
    tags,
    model: modelRequest(modelName, config.model, tags),
    config: endpointConfigRequest(configName, modelName, config.variant, tags),
  };
}

/** What exists before the run changes anything. */
interface Found {
  readonly endpoint: Endpoint | undefined;
  readonly model: Described<DescribeModelCommandOutput> | undefined;
  readonly config: Described<DescribeEndpointConfigCommandOutput> | undefined;
}

/** Looks up the endpoint, model and config (read-only, in parallel). */
async function inspect(ctx: DeployContext, plan: Plan): Promise<Found> {
  const [endpoint, model, config] = await Promise.all([
    describeEndpoint(ctx),
    describeModel(ctx, plan.modelName),
    describeEndpointConfig(ctx, plan.configName),
  ]);
  return { endpoint, model, config };
}

function describeModel(ctx: DeployContext, name: string) {
  return describeOptional("DescribeModel", name, () =>
    ctx.client.send(new DescribeModelCommand({ ModelName: name })),
  );
}

function describeEndpointConfig(ctx: DeployContext, name: string) {
  return describeOptional("DescribeEndpointConfig", name, () =>
    ctx.client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
  );
}

/**
 * The deploy itself: inspect (read-only), refuse conflicts, then CreateModel →
 * CreateEndpointConfig → CreateEndpoint or UpdateEndpoint, then wait per the status table.
 */
export async function deploy(ctx: DeployContext): Promise<DeployOutcome> {
  const { config, report } = ctx;
  const plan = planDeploy(ctx);
  report.modelName = plan.modelName;
  report.endpointConfigName = plan.configName;
  const found = await inspect(ctx, plan);
  rejectConflicts(found, plan);
  const endpoint = await settle(ctx, found.endpoint);
  if (endpoint) {
    report.endpointArn = endpoint.EndpointArn;
    checkUpdatable(endpoint);
    if (endpoint.EndpointConfigName === plan.configName) return unchanged(ctx, found, endpoint);
  }
  await ensureModel(ctx, plan, found.model?.ModelArn);
  await ensureEndpointConfig(ctx, plan, found.config?.EndpointConfigArn);
  const tags = endpointTags(ctx, plan.configName, plan.tags);
  if (endpoint) await updateEndpoint(ctx, plan.configName, tags);
  else await createEndpoint(ctx, plan.configName, tags);
  core.info(`Watch it: ${consoleLinks.endpoint(config.region, config.endpointName)}`);
  return config.wait ? waitFor(ctx, plan.configName) : notWaited(ctx);
}

/** The endpoint already runs this exact config (same name, so same content): no call to make. */
function unchanged(ctx: DeployContext, found: Found, endpoint: Endpoint): DeployOutcome {
  const { report } = ctx;
  if (found.model?.ModelArn) setArn(report, "model", found.model.ModelArn, "reused");
  setArn(report, "endpointConfig", found.config?.EndpointConfigArn ?? "", "reused");
  report.operation = "unchanged";
  report.status = endpoint.EndpointStatus;
  core.info(
    `Endpoint ${report.endpointName} already runs endpoint config ${report.endpointConfigName}; nothing to change.`,
  );
  return { kind: "unchanged", endpoint };
}

function ensureModel(
  ctx: DeployContext,
  plan: Plan,
  existingArn: string | undefined,
): Promise<void> {
  return ensure(ctx, {
    kind: "model",
    name: plan.modelName,
    existingArn,
    create: async () =>
      (
        await callAws("CreateModel", plan.modelName, () =>
          ctx.client.send(new CreateModelCommand(plan.model)),
        )
      ).ModelArn,
    findArn: async () => (await describeModel(ctx, plan.modelName))?.ModelArn,
  });
}

function ensureEndpointConfig(
  ctx: DeployContext,
  plan: Plan,
  existingArn: string | undefined,
): Promise<void> {
  return ensure(ctx, {
    kind: "endpointConfig",
    name: plan.configName,
    existingArn,
    create: async () =>
      (
        await callAws("CreateEndpointConfig", plan.configName, () =>
          ctx.client.send(new CreateEndpointConfigCommand(plan.config)),
        )
      ).EndpointConfigArn,
    findArn: async () => (await describeEndpointConfig(ctx, plan.configName))?.EndpointConfigArn,
  });
}

async function notWaited(ctx: DeployContext): Promise<DeployOutcome> {
  const endpoint = await describeEndpoint(ctx);
  if (endpoint) ctx.report.status = endpoint.EndpointStatus;
  return { kind: "not-waited", ...(endpoint ? { endpoint } : {}) };
}

async function createEndpoint(ctx: DeployContext, configName: string, tags: Tag[]): Promise<void> {
  const name = ctx.config.endpointName;
  const request = { EndpointName: name, EndpointConfigName: configName, Tags: tags };
  try {
    const answer = await callAws("CreateEndpoint", name, () =>
      ctx.client.send(new CreateEndpointCommand(request)),
    );
    ctx.report.endpointArn = answer.EndpointArn;
  } catch (error) {
    // A retried create whose first attempt went through: ours only if it carries our deploy-id.
    if (!isAlreadyExisting(error)) throw error;
    const endpoint = await describeEndpoint(ctx);
    if (!endpoint?.EndpointArn || !(await createdByThisRun(ctx, endpoint.EndpointArn))) {
      throw new DeployError(
        `CreateEndpoint '${name}' failed: another deploy created the endpoint at the same time. Re-run to update it.`,
        { cause: error },
      );
    }
    ctx.report.endpointArn = endpoint.EndpointArn;
  }
  ctx.report.operation = "created";
  core.info(`endpoint ${name}: CreateEndpoint accepted (config ${configName})`);
}

/** True when the endpoint is already being updated to (or runs) `configName`. */
async function isUpdatingTo(ctx: DeployContext, configName: string): Promise<boolean> {
  const endpoint = await describeEndpoint(ctx).catch(() => undefined);
  return (
    endpoint?.PendingDeploymentSummary?.EndpointConfigName === configName ||
    (endpoint?.EndpointConfigName === configName && endpoint.EndpointStatus !== "InService")
  );
}

async function updateEndpoint(ctx: DeployContext, configName: string, tags: Tag[]): Promise<void> {
  const name = ctx.config.endpointName;
  const deploymentConfig = ctx.config.deploymentConfig;
  try {
    await callAws("UpdateEndpoint", name, () =>
      ctx.client.send(
        new UpdateEndpointCommand({
          EndpointName: name,
          EndpointConfigName: configName,
          ...(deploymentConfig ? { DeploymentConfig: deploymentConfig } : {}),
        }),
      ),
    );
  } catch (error) {
    // A retry after a dropped answer finds the update already running: that update is ours.
    if (!(await isUpdatingTo(ctx, configName))) throw error;
  }
  ctx.report.operation = "updated";
  core.info(`endpoint ${name}: UpdateEndpoint accepted (config ${configName})`);
  const arn = ctx.report.endpointArn;
  if (arn) {
    // Tags describe the deployment now running; a tagging failure must not fail a good deploy.
    await callAws("AddTags", name, () =>
      ctx.client.send(new AddTagsCommand({ ResourceArn: arn, Tags: tags })),
    ).catch((error) => core.warning(printable(errorMessage(error))));
  }
}
