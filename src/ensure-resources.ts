import type { DeployContext } from "./deploy-context.js";
import type { DeployPlan } from "./deploy-plan.js";
import type { RunReport } from "./report.js";
import { endpointConfigDifferences, modelDifferences } from "./resources.js";
import { DeployError, isAlreadyExisting } from "./shared/errors.js";
import type { EndpointConfig, Model } from "./shared/sagemaker-gateway.js";
import { TAG_KEYS } from "./shared/tags.js";

/** True when the resource carries this run's deploy-id tag (so a retried create was ours). */
export async function createdByThisRun(ctx: DeployContext, arn: string): Promise<boolean> {
  const tags = await ctx.sagemaker.listTags(arn);
  return tags[TAG_KEYS.deployId] === ctx.provenance.deployId;
}

/** Rejects a same-named resource with other content before anything is changed. */
export function rejectConflicts(
  existing: { readonly model?: Model | undefined; readonly config?: EndpointConfig | undefined },
  wanted: DeployPlan,
): void {
  const hint =
    "Omit the name input to get a content-addressed name, or choose a new name. Nothing was changed.";
  const modelDiff = existing.model ? modelDifferences(existing.model, wanted.model) : [];
  if (modelDiff.length > 0) {
    throw new DeployError(
      `model '${wanted.modelName}' already exists with a different ${modelDiff.join(", ")}. ${hint}`,
    );
  }
  const configDiff = existing.config
    ? endpointConfigDifferences(existing.config, wanted.config)
    : [];
  if (configDiff.length > 0) {
    throw new DeployError(
      `endpoint config '${wanted.configName}' already exists with a different ${configDiff.join(", ")}. ${hint}`,
    );
  }
}

type Kind = "model" | "endpointConfig";

/** Records a resource's ARN and whether this run made it. */
export function setArn(report: RunReport, kind: Kind, arn: string, how: "created" | "reused") {
  if (kind === "model") {
    report.modelArn = arn;
    report.model = how;
  } else {
    report.endpointConfigArn = arn;
    report.endpointConfig = how;
  }
}

/**
 * Creates a model or config unless it exists. A create that answers "already existing" (a retry
 * after a dropped connection, or a concurrent run) is reused, and counted as ours only when it
 * carries this run's deploy-id tag.
 */
async function ensure(
  ctx: DeployContext,
  needed: {
    readonly kind: Kind;
    readonly name: string;
    readonly existingArn: string | undefined;
    readonly create: () => Promise<string>;
    readonly findArn: () => Promise<string | undefined>;
  },
): Promise<void> {
  const label = needed.kind === "model" ? "model" : "endpoint config";
  if (needed.existingArn !== undefined) {
    setArn(ctx.report, needed.kind, needed.existingArn, "reused");
  } else {
    try {
      setArn(ctx.report, needed.kind, await needed.create(), "created");
    } catch (error) {
      if (!isAlreadyExisting(error)) throw error;
      const arn = (await needed.findArn()) ?? "";
      const ours = arn !== "" && (await createdByThisRun(ctx, arn));
      setArn(ctx.report, needed.kind, arn, ours ? "created" : "reused");
    }
  }
  ctx.log.info(`${label} ${needed.name}: ${ctx.report[needed.kind]}`);
}

/** Creates (or reuses) the model, then the endpoint config, of the plan. */
export async function ensureResources(
  ctx: DeployContext,
  plan: DeployPlan,
  found: { readonly model?: Model | undefined; readonly config?: EndpointConfig | undefined },
): Promise<void> {
  const gateway = ctx.sagemaker;
  await ensure(ctx, {
    kind: "model",
    name: plan.modelName,
    existingArn: found.model?.ModelArn,
    create: () => gateway.createModel(plan.model),
    findArn: async () => (await gateway.describeModel(plan.modelName))?.ModelArn,
  });
  await ensure(ctx, {
    kind: "endpointConfig",
    name: plan.configName,
    existingArn: found.config?.EndpointConfigArn,
    create: () => gateway.createEndpointConfig(plan.config),
    findArn: async () => (await gateway.describeEndpointConfig(plan.configName))?.EndpointConfigArn,
  });
}
