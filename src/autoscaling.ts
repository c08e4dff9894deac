import type { ProductionVariant } from "@aws-sdk/client-sagemaker";
import {
  type AutoScalingGateway,
  isAccessDenied,
  type ScalableTarget,
  type ScalingPolicy,
  type ScalingPolicyInput,
  type ScheduledAction,
  type ScheduledActionInput,
  type SuspendedState,
  variantResourceId,
} from "./autoscaling-gateway.js";
import type { Log } from "./ports.js";
import { DeployError, errorMessage } from "./shared/errors.js";
import type { Endpoint, EndpointConfig } from "./shared/sagemaker-gateway.js";
import type { SpecAutoscaling, SpecScalableVariant, SpecScalingPolicy } from "./spec/spec-types.js";

export type { SpecAutoscaling, SpecScalableVariant, SpecScalingPolicy };

/** One variant's registered scalable target and its scaling policies. */
export interface VariantScaling {
  readonly resourceId: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly suspendedState?: SuspendedState;
  readonly policies: readonly ScalingPolicy[];
}

/** Registered targets by variant name; a variant without a target is absent. */
export type EndpointScaling = ReadonlyMap<string, VariantScaling>;

/** What {@link readScaling} learned: the targets, or "unknown" when the caller may not read them. */
export type ScalingState = EndpointScaling | "unknown";

/** Options for {@link readScaling}. */
export interface ReadScalingOptions {
  readonly endpointName: string;
  /** The variants to look at: the running endpoint's and the new config's. */
  readonly variantNames: readonly string[];
  readonly log: Log;
}

/**
 * The registered targets and policies of these variants of the endpoint. When the caller may not
 * read them (AccessDenied), warns once and answers "unknown": the deploy goes on, carrying no
 * instance counts and lifting nothing. Any other failure is thrown.
 */
export async function readScaling(
  aas: AutoScalingGateway,
  options: ReadScalingOptions,
): Promise<ScalingState> {
  const { endpointName, log } = options;
  const ids = new Map(
    [...new Set(options.variantNames)].map((v) => [variantResourceId(endpointName, v), v]),
  );
  try {
    const targets = await aas.describeScalableTargets([...ids.keys()]);
    const entries = await Promise.all(
      targets.flatMap((target) => {
        const variant = ids.get(target.ResourceId ?? "");
        if (variant === undefined) return [];
        return [readVariant(aas, variant, target)];
      }),
    );
    const scaling = new Map(entries);
    log.debug(`autoscaling of ${endpointName}: ${JSON.stringify([...scaling])}`);
    return scaling;
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    log.warning(
      `Cannot read the autoscaling of endpoint ${endpointName}: ${errorMessage(error)}. Deploying without it: an autoscaled variant starts at its configured instance count, and an instance-type change of an autoscaled variant will be refused by SageMaker. Allow application-autoscaling:DescribeScalableTargets and application-autoscaling:DescribeScalingPolicies to keep an autoscaled fleet's size.`,
    );
    return "unknown";
  }
}

async function readVariant(
  aas: AutoScalingGateway,
  variant: string,
  target: ScalableTarget,
): Promise<[string, VariantScaling]> {
  const resourceId = target.ResourceId ?? "";
  const policies = await aas.describeScalingPolicies(resourceId);
  return [
    variant,
    {
      resourceId,
      minCapacity: target.MinCapacity ?? 0,
      maxCapacity: target.MaxCapacity ?? 0,
      ...(target.SuspendedState ? { suspendedState: target.SuspendedState } : {}),
      policies,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Carrying an autoscaled fleet's size into the new config

/** Options for {@link carryCapacity}. */
export interface CarryOptions {
  /** The new config's production variants. */
  readonly variants: readonly ProductionVariant[];
  /** The running endpoint (DescribeEndpoint), if there is one. */
  readonly running: Endpoint | undefined;
  readonly scaling: ScalingState;
  /** The spec's autoscaling section: a variant it lists is clamped into its new [min, max]. */
  readonly wanted?: SpecAutoscaling;
}

/** The variants with carried instance counts, and one plan line per carried variant. */
export interface CarriedCapacity {
  readonly variants: readonly ProductionVariant[];
  /** Instance count by variant name, for each variant whose count came from the running fleet. */
  readonly carried: ReadonlyMap<string, number>;
  /** e.g. `AllTraffic: keeps 4 instances (autoscaled; initial-instance-count 1 ignored)`. */
  readonly notes: readonly string[];
}

/**
 * For each new variant that has a scalable target on the running endpoint, InitialInstanceCount
 * becomes the variant's running instance count, clamped into [min, max] (the spec's range when
 * it lists the variant, else the registered one) and never below 1 (SageMaker's minimum), so an
 * update does not shrink an autoscaled fleet to its configured count.
 */
export function carryCapacity(options: CarryOptions): CarriedCapacity {
  const { running, scaling, wanted } = options;
  const carried = new Map<string, number>();
  const notes: string[] = [];
  const variants = options.variants.map((variant) => {
    const name = variant.VariantName ?? "";
    const target = scaling === "unknown" ? undefined : scaling.get(name);
    const live = runningCount(running, name);
    if (!target || live === undefined || variant.ServerlessConfig) return variant;
    const range = wanted?.[name] ?? { min: target.minCapacity, max: target.maxCapacity };
    const count = Math.max(1, Math.min(range.max, Math.max(range.min, live)));
    carried.set(name, count);
    notes.push(carryNote(name, live, count, range, variant.InitialInstanceCount));
    return { ...variant, InitialInstanceCount: count };
  });
  return { variants, carried, notes };
}

function runningCount(running: Endpoint | undefined, variant: string): number | undefined {
  const live = running?.ProductionVariants?.find((v) => v.VariantName === variant);
  return live?.CurrentInstanceCount ?? live?.DesiredInstanceCount;
}

function carryNote(
  variant: string,
  live: number,
  count: number,
  range: { readonly min: number; readonly max: number },
  configured: number | undefined,
): string {
  const ignored =
    configured !== undefined && configured !== count
      ? `; initial-instance-count ${configured} ignored`
      : "";
  if (count === live) return `${variant}: keeps ${instances(count)} (autoscaled${ignored})`;
  const why =
    count < live
      ? `lowered to max ${range.max}`
      : count === range.min
        ? `raised to min ${range.min}`
        : "raised to 1, the fewest a production variant starts with";
  return `${variant}: starts with ${instances(count)} (autoscaled: ${live} running, ${why}${ignored})`;
}

function instances(count: number): string {
  return `${count} instance${count === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------------------------
// Lifting autoscaling around an update SageMaker refuses while it is registered

/** A variant whose autoscaling an update must take off first, and why. */
export interface LiftReason {
  readonly variant: string;
  /** e.g. `instance type ml.m5.large → ml.c5.xlarge`, or `the new config drops it`. */
  readonly why: string;
  /** True when the new config has no such variant, so after a successful update it is not put back. */
  readonly dropped: boolean;
}

/**
 * The autoscaled variants an update to `newConfig` changes in a way SageMaker refuses while they
 * are scalable targets: a different instance type, or the variant left out.
 */
export function variantsToLift(
  runningConfig: EndpointConfig,
  newConfig: Pick<EndpointConfig, "ProductionVariants">,
  scaling: ScalingState,
): LiftReason[] {
  if (scaling === "unknown") return [];
  return (runningConfig.ProductionVariants ?? []).flatMap((old): LiftReason[] => {
    const variant = old.VariantName ?? "";
    if (!scaling.has(variant)) return [];
    const next = newConfig.ProductionVariants?.find((v) => v.VariantName === variant);
    if (!next) return [{ variant, why: "the new config drops it", dropped: true }];
    if (next.InstanceType === old.InstanceType) return [];
    const to = next.InstanceType ?? "serverless";
    return [{ variant, why: `instance type ${old.InstanceType} → ${to}`, dropped: false }];
  });
}

/** One variant's autoscaling as it was before the lift. */
export interface LiftedVariant extends LiftReason {
  readonly scaling: VariantScaling;
  /** Deregistering a target deletes its scheduled actions too, so they are saved as well. */
  readonly scheduledActions: readonly ScheduledAction[];
}

/** What {@link liftForUpdate} took away, for {@link restoreLifted} to put back. */
export interface Lifted {
  readonly endpointName: string;
  readonly variants: readonly LiftedVariant[];
}

/** Options for {@link liftForUpdate}. */
export interface LiftOptions {
  readonly endpointName: string;
  readonly runningConfig: EndpointConfig;
  readonly newConfig: Pick<EndpointConfig, "ProductionVariants">;
  readonly scaling: ScalingState;
  readonly log: Log;
}

/**
 * Before an UpdateEndpoint that SageMaker would refuse because of autoscaling: saves each such
 * variant's target, policies and scheduled actions, then deletes the policies and deregisters
 * the target. Call {@link restoreLifted} after the update whatever its outcome. If a step fails,
 * what was already taken away is put back before the error is thrown.
 */
export async function liftForUpdate(
  aas: AutoScalingGateway,
  options: LiftOptions,
): Promise<Lifted> {
  const { endpointName, scaling, log } = options;
  const lifted: LiftedVariant[] = [];
  if (scaling === "unknown") return { endpointName, variants: lifted };
  try {
    for (const reason of variantsToLift(options.runningConfig, options.newConfig, scaling)) {
      const variant = scaling.get(reason.variant);
      if (!variant) continue;
      const scheduledActions = await aas.describeScheduledActions(variant.resourceId);
      lifted.push({ ...reason, scaling: variant, scheduledActions });
      await liftVariant(aas, reason, variant, log);
    }
  } catch (error) {
    await restoreLifted(aas, { endpointName, variants: lifted }, { endpoint: undefined, log });
    throw error;
  }
  return { endpointName, variants: lifted };
}

async function liftVariant(
  aas: AutoScalingGateway,
  reason: LiftReason,
  variant: VariantScaling,
  log: Log,
): Promise<void> {
  for (const policy of variant.policies) {
    if (policy.PolicyType === "StepScaling") {
      log.warning(
        `autoscaling ${reason.variant}: step scaling policy ${policy.PolicyName} gets a new ARN when it is put back after the update; point the CloudWatch alarms that invoke it at the new ARN.`,
      );
    }
    await aas.deleteScalingPolicy(variant.resourceId, policy.PolicyName ?? "");
  }
  await aas.deregisterScalableTarget(variant.resourceId);
  log.info(
    `autoscaling ${reason.variant}: ${reason.why}, which SageMaker refuses while the variant is autoscaled; removed ${count(variant.policies.length, "policy", "policies")} and the scalable target (${range(variant)}) until the update ends.`,
  );
}

/** Options for {@link restoreLifted}. */
export interface RestoreOptions {
  /**
   * The endpoint after the update (DescribeEndpoint, once it settled): a lifted variant it no
   * longer has is not put back. `undefined` when it could not be read: every variant is tried.
   */
  readonly endpoint: Endpoint | undefined;
  readonly log: Log;
}

/** What {@link restoreLifted} did, by variant name. */
export interface Restored {
  readonly restored: readonly string[];
  /** Variants the endpoint no longer has (the update that dropped them succeeded). */
  readonly skipped: readonly string[];
  /** Variants whose autoscaling could not be put back, with why; each was also logged as a warning. */
  readonly failed: readonly { readonly variant: string; readonly reason: string }[];
}

/**
 * After the update (it succeeded, failed or rolled back): registers each lifted target again and
 * puts back its policies and scheduled actions. Runs even in a cancelled job and never throws, so
 * it can sit in a `finally`; a failure is logged as a warning that says how to put it back by hand.
 */
export async function restoreLifted(
  aas: AutoScalingGateway,
  lifted: Lifted,
  options: RestoreOptions,
): Promise<Restored> {
  const { endpoint, log } = options;
  const repair = aas.uncancellable();
  const present = endpoint?.ProductionVariants?.map((v) => v.VariantName);
  const result = { restored: [] as string[], skipped: [] as string[], failed: [] as Failure[] };
  for (const variant of lifted.variants) {
    if (present && !present.includes(variant.variant)) {
      result.skipped.push(variant.variant);
      log.info(`autoscaling ${variant.variant}: not put back; the endpoint no longer has it.`);
      continue;
    }
    try {
      await restoreVariant(repair, variant, log);
      result.restored.push(variant.variant);
    } catch (error) {
      result.failed.push({ variant: variant.variant, reason: errorMessage(error) });
      log.warning(restoreFailure(variant, error));
    }
  }
  return result;
}

type Failure = { readonly variant: string; readonly reason: string };

async function restoreVariant(aas: AutoScalingGateway, lifted: LiftedVariant, log: Log) {
  const { scaling } = lifted;
  await aas.registerScalableTarget({
    resourceId: scaling.resourceId,
    minCapacity: scaling.minCapacity,
    maxCapacity: scaling.maxCapacity,
    ...(scaling.suspendedState ? { suspendedState: scaling.suspendedState } : {}),
  });
  for (const policy of scaling.policies) {
    const arn = await aas.putScalingPolicy(policyInput(scaling.resourceId, policy));
    if (policy.PolicyType === "StepScaling")
      log.info(
        `autoscaling ${lifted.variant}: step scaling policy ${policy.PolicyName} is now ${arn}`,
      );
  }
  for (const action of lifted.scheduledActions) {
    await aas.putScheduledAction(scheduledActionInput(scaling.resourceId, action));
  }
  log.info(
    `autoscaling ${lifted.variant}: put back the scalable target (${range(scaling)}), ${count(scaling.policies.length, "policy", "policies")} and ${count(lifted.scheduledActions.length, "scheduled action", "scheduled actions")}.`,
  );
}

function restoreFailure(lifted: LiftedVariant, error: unknown): string {
  const { scaling } = lifted;
  const names = scaling.policies.map((p) => p.PolicyName).join(", ");
  return `autoscaling ${lifted.variant}: could not put back its autoscaling: ${errorMessage(error)}. The variant is not autoscaled now; register it again (aws application-autoscaling register-scalable-target --service-namespace sagemaker --scalable-dimension sagemaker:variant:DesiredInstanceCount --resource-id ${scaling.resourceId} --min-capacity ${scaling.minCapacity} --max-capacity ${scaling.maxCapacity})${names ? ` and put back its policies (${names})` : ""}, or re-run the deploy.`;
}

function policyInput(resourceId: string, policy: ScalingPolicy): ScalingPolicyInput {
  return {
    ResourceId: resourceId,
    PolicyName: policy.PolicyName ?? "",
    PolicyType: policy.PolicyType,
    TargetTrackingScalingPolicyConfiguration: policy.TargetTrackingScalingPolicyConfiguration,
    StepScalingPolicyConfiguration: policy.StepScalingPolicyConfiguration,
    PredictiveScalingPolicyConfiguration: policy.PredictiveScalingPolicyConfiguration,
  };
}

function scheduledActionInput(resourceId: string, action: ScheduledAction): ScheduledActionInput {
  return {
    ResourceId: resourceId,
    ScheduledActionName: action.ScheduledActionName ?? "",
    Schedule: action.Schedule,
    Timezone: action.Timezone,
    StartTime: action.StartTime,
    EndTime: action.EndTime,
    ScalableTargetAction: action.ScalableTargetAction,
  };
}

function range(scaling: Pick<VariantScaling, "minCapacity" | "maxCapacity">): string {
  return `min ${scaling.minCapacity}, max ${scaling.maxCapacity}`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// What an update removes, and applying the spec's section

/** A target or policy the running endpoint has that the deploy would remove. */
export interface ScalingRemoval {
  readonly variant: string;
  /** Set for a policy; absent for the whole scalable target (with its policies). */
  readonly policyName?: string;
  /** `variant-dropped`: the new config has no such variant; `not-in-spec`: the spec's section leaves it out. */
  readonly reason: "variant-dropped" | "not-in-spec";
  /** e.g. `autoscaling of AllTraffic (min 1, max 4, 1 policy): the spec's autoscaling section leaves it out`. */
  readonly description: string;
}

/**
 * The autoscaling a deploy removes. A target counts when its variant is not in the new config,
 * or when the spec has an `autoscaling` section that leaves the variant out; a policy counts when
 * the section lists the variant but not the policy (by name, derived as {@link policyNameOf}).
 * Without an `autoscaling` section the deploy leaves autoscaling alone: a target on a variant the
 * new config keeps is kept as it is. Nothing is known, so nothing is listed, when the scaling is
 * "unknown".
 */
export function removedScaling(
  scaling: ScalingState,
  wanted: SpecAutoscaling | undefined,
  newVariantNames: readonly string[],
): ScalingRemoval[] {
  if (scaling === "unknown") return [];
  return [...scaling].flatMap(([variant, target]): ScalingRemoval[] => {
    const what = `autoscaling of ${variant} (${range(target)}, ${count(target.policies.length, "policy", "policies")})`;
    if (!newVariantNames.includes(variant)) {
      const description = `${what}: the new config drops the variant`;
      return [{ variant, reason: "variant-dropped", description }];
    }
    if (wanted === undefined) return [];
    const spec = ownEntry(wanted, variant);
    if (spec === undefined) {
      const description = `${what}: the spec's autoscaling section leaves it out`;
      return [{ variant, reason: "not-in-spec", description }];
    }
    const keep = new Set(policyNames(variant, spec));
    return target.policies
      .map((p) => p.PolicyName ?? "")
      .filter((name) => !keep.has(name))
      .map((policyName) => ({
        variant,
        policyName,
        reason: "not-in-spec" as const,
        description: `scaling policy ${policyName} of ${variant}: the spec's autoscaling section leaves it out`,
      }));
  });
}

/** The PolicyName of a spec policy: its `name`, else `<variant>-<metric>`. */
export function policyNameOf(variant: string, policy: SpecScalingPolicy): string {
  return policy.name ?? `${variant}-${policy.metric}`;
}

function policyNames(variant: string, spec: SpecScalableVariant): string[] {
  return spec.policies.map((policy) => policyNameOf(variant, policy));
}

function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** One thing {@link applyAutoscaling} did (or left in place). */
export interface ScalingChange {
  readonly variant: string;
  readonly kind:
    | "registered"
    | "updated-target"
    | "put-policy"
    | "updated-policy"
    | "deleted-policy"
    | "deregistered"
    | "kept";
  /** A readable line for the log and the summary. */
  readonly description: string;
}

/** Options for {@link applyAutoscaling}. */
export interface ApplyOptions {
  readonly endpointName: string;
  readonly wanted: SpecAutoscaling;
  /** The endpoint's scaling read after the update settled (lifting and restoring change it). */
  readonly current: ScalingState;
  /** Delete targets and policies the spec leaves out; without it they are left and reported. */
  readonly allowRemoval: boolean;
  readonly log: Log;
}

/**
 * Makes the endpoint's autoscaling what the spec's section says, once the endpoint is InService:
 * registers each listed variant's target (min, max) and puts its target-tracking policies,
 * touching only what differs; targets and policies the section leaves out are deleted only with
 * `allowRemoval`. Answers what it did, in order.
 */
export async function applyAutoscaling(
  aas: AutoScalingGateway,
  options: ApplyOptions,
): Promise<ScalingChange[]> {
  const { endpointName, wanted, current, log } = options;
  checkPolicyNames(wanted);
  const changes: ScalingChange[] = [];
  const record = (change: ScalingChange) => {
    changes.push(change);
    if (change.kind === "kept") log.warning(`autoscaling ${change.variant}: ${change.description}`);
    else log.info(`autoscaling ${change.variant}: ${change.description}`);
  };
  for (const [variant, spec] of Object.entries(wanted)) {
    const have = current === "unknown" ? undefined : current.get(variant);
    const resourceId = variantResourceId(endpointName, variant);
    await applyTarget(aas, { variant, resourceId, spec, have, record });
    await applyPolicies(aas, { variant, resourceId, spec, have, record });
  }
  const variants = current === "unknown" ? [] : [...current.keys()];
  for (const removal of removedScaling(current, wanted, variants)) {
    await applyRemoval(aas, { endpointName, removal, allowRemoval: options.allowRemoval, record });
  }
  return changes;
}

/** Two spec policies of one variant may not end up with one PolicyName. */
function checkPolicyNames(wanted: SpecAutoscaling): void {
  for (const [variant, spec] of Object.entries(wanted)) {
    const names = policyNames(variant, spec);
    const twice = names.filter((name, index) => names.indexOf(name) !== index);
    if (twice.length > 0) {
      throw new DeployError(
        `autoscaling ${variant}: two policies are both named ${twice[0]}; give each policy of a variant its own name (policies without a name are named <variant>-<metric>).`,
      );
    }
  }
}

interface VariantStep {
  readonly variant: string;
  readonly resourceId: string;
  readonly spec: SpecScalableVariant;
  readonly have: VariantScaling | undefined;
  readonly record: (change: ScalingChange) => void;
}

async function applyTarget(aas: AutoScalingGateway, step: VariantStep): Promise<void> {
  const { variant, resourceId, spec, have } = step;
  if (have?.minCapacity === spec.min && have.maxCapacity === spec.max) return;
  await aas.registerScalableTarget({ resourceId, minCapacity: spec.min, maxCapacity: spec.max });
  const wantedRange = range({ minCapacity: spec.min, maxCapacity: spec.max });
  step.record(
    have
      ? {
          variant,
          kind: "updated-target",
          description: `scalable target now ${wantedRange} (was ${range(have)})`,
        }
      : { variant, kind: "registered", description: `registered scalable target (${wantedRange})` },
  );
}

async function applyPolicies(aas: AutoScalingGateway, step: VariantStep): Promise<void> {
  const { variant, resourceId, spec, have } = step;
  for (const policy of spec.policies) {
    const input = targetTrackingInput(resourceId, policyNameOf(variant, policy), policy);
    const existing = have?.policies.find((p) => p.PolicyName === input.PolicyName);
    if (existing && samePolicy(existing, input)) continue;
    await aas.putScalingPolicy(input);
    const what = `target tracking policy ${input.PolicyName} (${policy.metric} at ${policy.target})`;
    step.record(
      existing
        ? { variant, kind: "updated-policy", description: `updated ${what}` }
        : { variant, kind: "put-policy", description: `put ${what}` },
    );
  }
}

function targetTrackingInput(
  resourceId: string,
  policyName: string,
  policy: SpecScalingPolicy,
): ScalingPolicyInput {
  return {
    ResourceId: resourceId,
    PolicyName: policyName,
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: policy.target,
      PredefinedMetricSpecification: {
        PredefinedMetricType: policy.metric as NonNullable<
          NonNullable<
            ScalingPolicyInput["TargetTrackingScalingPolicyConfiguration"]
          >["PredefinedMetricSpecification"]
        >["PredefinedMetricType"],
      },
      ...(policy.scaleInCooldown === undefined ? {} : { ScaleInCooldown: policy.scaleInCooldown }),
      ...(policy.scaleOutCooldown === undefined
        ? {}
        : { ScaleOutCooldown: policy.scaleOutCooldown }),
    },
  };
}

/** True when the registered policy already is the one the spec asks for, member by member. */
function samePolicy(existing: ScalingPolicy, wanted: ScalingPolicyInput): boolean {
  const have = existing.TargetTrackingScalingPolicyConfiguration;
  const want = wanted.TargetTrackingScalingPolicyConfiguration;
  return (
    existing.PolicyType === wanted.PolicyType &&
    have !== undefined &&
    want !== undefined &&
    have.TargetValue === want.TargetValue &&
    have.PredefinedMetricSpecification?.PredefinedMetricType ===
      want.PredefinedMetricSpecification?.PredefinedMetricType &&
    have.PredefinedMetricSpecification?.ResourceLabel === undefined &&
    have.CustomizedMetricSpecification === undefined &&
    !have.DisableScaleIn &&
    have.ScaleInCooldown === want.ScaleInCooldown &&
    have.ScaleOutCooldown === want.ScaleOutCooldown
  );
}

interface RemovalStep {
  readonly endpointName: string;
  readonly removal: ScalingRemoval;
  readonly allowRemoval: boolean;
  readonly record: (change: ScalingChange) => void;
}

async function applyRemoval(aas: AutoScalingGateway, step: RemovalStep): Promise<void> {
  const { removal, record } = step;
  const { variant, policyName } = removal;
  if (!step.allowRemoval) {
    const description = `${removal.description}; left in place because removals are not allowed`;
    record({ variant, kind: "kept", description });
    return;
  }
  const resourceId = variantResourceId(step.endpointName, variant);
  if (policyName !== undefined) {
    await aas.deleteScalingPolicy(resourceId, policyName);
    record({
      variant,
      kind: "deleted-policy",
      description: `deleted scaling policy ${policyName}`,
    });
    return;
  }
  await aas.deregisterScalableTarget(resourceId);
  const description = `deregistered the scalable target and its policies (${removal.description})`;
  record({ variant, kind: "deregistered", description });
}
