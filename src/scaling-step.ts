import type { ProductionVariant } from "@aws-sdk/client-sagemaker";
import {
  applyAutoscaling,
  carryCapacity,
  type Lifted,
  liftForUpdate,
  readScaling,
  removedScaling,
  restoreLifted,
  type ScalingState,
  variantsToLift,
} from "./autoscaling.js";
import type { DeployOutcome } from "./deploy.js";
import type { DeployContext } from "./deploy-context.js";
import type { DeployPlan } from "./deploy-plan.js";
import type { Endpoint, EndpointConfig } from "./shared/sagemaker-gateway.js";

/** What autoscaling means for this deploy: the targets read, the counts carried, what is removed. */
export interface ScalingPlan {
  readonly scaling: ScalingState;
  /** The plan with each autoscaled variant's running instance count carried into the new config. */
  readonly plan: DeployPlan;
  readonly removals: readonly string[];
  readonly notes: readonly string[];
}

const NONE: ScalingState = new Map();
const names = (variants: readonly { VariantName?: string | undefined }[] | undefined) =>
  (variants ?? []).flatMap((v) => (v.VariantName ? [v.VariantName] : []));

/**
 * Whether this update needs Application Auto Scaling at all: the spec manages autoscaling, or the
 * update drops a variant or changes its instance type (SageMaker refuses either on an autoscaled
 * variant), or a variant runs another instance count than its config says (autoscaling moved it,
 * and the count must be carried). Otherwise the client is never loaded.
 */
function needsScaling(
  ctx: DeployContext,
  endpoint: Endpoint,
  running: EndpointConfig,
  plan: DeployPlan,
) {
  if (ctx.config.spec?.autoscaling) return true;
  const wanted = new Map((plan.config.ProductionVariants ?? []).map((v) => [v.VariantName, v]));
  const configured = new Map((running.ProductionVariants ?? []).map((v) => [v.VariantName, v]));
  const changed = (running.ProductionVariants ?? []).some((v) => {
    const next = wanted.get(v.VariantName);
    return !next || next.InstanceType !== v.InstanceType;
  });
  const moved = (endpoint.ProductionVariants ?? []).some((v) => {
    const count = configured.get(v.VariantName)?.InitialInstanceCount;
    return (
      v.CurrentInstanceCount !== undefined &&
      count !== undefined &&
      v.CurrentInstanceCount !== count
    );
  });
  return changed || moved;
}

/** Reads the endpoint's autoscaling where the update needs it, and carries autoscaled fleet sizes. */
export async function planScaling(
  ctx: DeployContext,
  plan: DeployPlan,
  current: { readonly endpoint: Endpoint; readonly config: EndpointConfig } | undefined,
): Promise<ScalingPlan> {
  if (!current || !needsScaling(ctx, current.endpoint, current.config, plan))
    return { scaling: NONE, plan, removals: [], notes: [] };
  const newVariants = names(plan.config.ProductionVariants);
  const scaling = await readScaling(ctx.autoscaling, {
    endpointName: ctx.config.endpointName,
    variantNames: [...names(current.config.ProductionVariants), ...newVariants],
    log: ctx.log,
  });
  const wanted = ctx.config.spec?.autoscaling;
  const carried = carryCapacity({
    variants: (plan.config.ProductionVariants ?? []) as ProductionVariant[],
    running: current.endpoint,
    scaling,
    ...(wanted ? { wanted } : {}),
  });
  const lifts = variantsToLift(
    current.config,
    { ProductionVariants: [...carried.variants] },
    scaling,
  );
  return {
    scaling,
    plan: { ...plan, config: { ...plan.config, ProductionVariants: [...carried.variants] } },
    removals: removedScaling(scaling, wanted, newVariants).map((r) => r.description),
    notes: [
      ...carried.notes,
      ...lifts.map(
        (l) =>
          `autoscaling of ${l.variant} is lifted during the update (${l.why}) and put back after`,
      ),
    ],
  };
}

/**
 * Runs the update with the autoscaling SageMaker would refuse it for taken off, and puts that
 * back afterwards, whatever the update's outcome.
 */
export async function withScalingLifted(
  ctx: DeployContext,
  scaling: ScalingPlan,
  runningConfig: EndpointConfig | undefined,
  update: () => Promise<DeployOutcome>,
): Promise<DeployOutcome> {
  if (!runningConfig || scaling.scaling === NONE) return update();
  const lifted: Lifted = await liftForUpdate(ctx.autoscaling, {
    endpointName: ctx.config.endpointName,
    runningConfig,
    newConfig: scaling.plan.config,
    scaling: scaling.scaling,
    log: ctx.log,
  });
  let settled: Endpoint | undefined;
  try {
    const outcome = await update();
    settled = "endpoint" in outcome ? outcome.endpoint : undefined;
    return outcome;
  } finally {
    if (lifted.variants.length > 0) {
      // The wait's last answer shows the endpoint as it settled; only without one is it read.
      const endpoint =
        settled ??
        (await ctx.sagemaker.describeEndpoint(ctx.config.endpointName).catch(() => undefined));
      await restoreLifted(ctx.autoscaling, lifted, { endpoint, log: ctx.log });
    }
  }
}

/** Once InService: makes the endpoint's autoscaling what the spec's section says. */
export async function applySpecScaling(ctx: DeployContext, plan: DeployPlan): Promise<void> {
  const wanted = ctx.config.spec?.autoscaling;
  if (!wanted) return;
  const current = await readScaling(ctx.autoscaling, {
    endpointName: ctx.config.endpointName,
    variantNames: [...names(plan.config.ProductionVariants), ...Object.keys(wanted)],
    log: ctx.log,
  });
  const changes = await applyAutoscaling(ctx.autoscaling, {
    endpointName: ctx.config.endpointName,
    wanted,
    current,
    allowRemoval: ctx.config.allowRemoval,
    log: ctx.log,
  });
  ctx.report.notes.push(...changes.map((c) => `autoscaling ${c.variant}: ${c.description}`));
}
