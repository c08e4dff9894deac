import { randomUUID } from "node:crypto";
import { ApiError, validationError } from "./api-error.js";
import {
  AAS_ERROR,
  checkDescribeKey,
  checkTargetKey,
  page,
  SAGEMAKER_NAMESPACE,
  stringList,
  VARIANT_DIMENSION,
  validatePolicyKey,
  validateRegisterScalableTarget,
  validateScheduledAction,
  validateTargetTracking,
  variantKey,
} from "./autoscaling-validation.js";
import type { Handler, OperationContext } from "./operation-context.js";
import type { PolicyRecord, ScheduledActionRecord, TargetRecord } from "./scaling-store.js";
import { parseVariantId } from "./scaling-store.js";
import { asList, asRecord, epochSeconds, isRecord } from "./shapes.js";
import type { EndpointRecord } from "./store.js";
import { ENDPOINT_STATUS } from "./types.js";
import { assertNoProblems } from "./validation.js";

/** Page sizes AWS allows: DescribeScalableTargets and DescribeScheduledActions 50, DescribeScalingPolicies 10. */
const MAX_RESULTS = { targets: 50, policies: 10, scheduledActions: 50 } as const;

const KEY = { ServiceNamespace: SAGEMAKER_NAMESPACE, ScalableDimension: VARIANT_DIMENSION };

function notFound(message: string): ApiError {
  return new ApiError(AAS_ERROR.notFound, message);
}

function keyText(resourceId: string): string {
  return `service namespace: ${SAGEMAKER_NAMESPACE}, resource ID: ${resourceId}, scalable dimension: ${VARIANT_DIMENSION}`;
}

/** The target, or AWS's ObjectNotFoundException `No scalable target registered for …`. */
function requireTarget(ctx: OperationContext, resourceId: string): TargetRecord {
  const target = ctx.store.scaling.target(resourceId);
  if (target !== undefined) return target;
  throw notFound(`No scalable target registered for ${keyText(resourceId)}`);
}

/** The config variants of an endpoint: the one it runs and, during an update, the one it moves to. */
function variantsOf(ctx: OperationContext, endpoint: EndpointRecord): Record<string, unknown>[] {
  const names = [endpoint.configName, endpoint.pending?.configName].filter((n) => n !== undefined);
  return names.flatMap((name) =>
    asList(ctx.store.config(name)?.input.ProductionVariants).map(asRecord),
  );
}

/** Application Auto Scaling asks SageMaker whether the variant exists before registering it. */
function requireVariant(ctx: OperationContext, endpointName: string, variantName: string) {
  const endpoint = ctx.store.endpoint(endpointName);
  if (endpoint === undefined) throw validationError(`Could not find endpoint "${endpointName}".`);
  const variant = variantsOf(ctx, endpoint).find((v) => v.VariantName === variantName);
  if (variant === undefined || variant.ServerlessConfig !== undefined) {
    throw validationError(
      `The endpoint "${endpoint.name}" has no instance-based production variant "${variantName}".`,
    );
  }
  return endpoint;
}

/**
 * The instance count of a variant of the config the endpoint runs: the one autoscaling set, else
 * the config's InitialInstanceCount (also for a view without the endpoint's name).
 */
export function instanceCountOf(
  ctx: OperationContext,
  endpoint: { name?: string; configName: string },
  variant: Record<string, unknown>,
): unknown {
  const set =
    endpoint.name === undefined
      ? undefined
      : ctx.store.scaling.instanceCount(
          endpoint.name,
          endpoint.configName,
          String(variant.VariantName),
        );
  return set ?? variant.InitialInstanceCount;
}

/**
 * Registering changes a running variant's capacity into [min, max]; a resource that is not
 * active keeps its capacity (RegisterScalableTarget's documented behaviour).
 */
function clampRunningCount(
  ctx: OperationContext,
  endpoint: EndpointRecord,
  variantName: string,
  target: TargetRecord,
): void {
  if (endpoint.status !== ENDPOINT_STATUS.inService) return;
  const running = asList(ctx.store.config(endpoint.configName)?.input.ProductionVariants)
    .map(asRecord)
    .find((v) => v.VariantName === variantName);
  if (running === undefined) return;
  const count = instanceCountOf(ctx, endpoint, running);
  if (typeof count !== "number") return;
  const clamped = Math.min(target.maxCapacity, Math.max(target.minCapacity, count));
  if (clamped !== count) {
    ctx.store.scaling.setInstanceCount(endpoint.name, endpoint.configName, variantName, clamped);
  }
}

/** RegisterScalableTarget: a new target needs MinCapacity and MaxCapacity; an existing one is updated. */
export const registerScalableTarget: Handler = (ctx, input) => {
  validateRegisterScalableTarget(input);
  const { resourceId, endpointName, variantName } = variantKey(input);
  const endpoint = requireVariant(ctx, endpointName, variantName);
  const existing = ctx.store.scaling.target(resourceId);
  const min = typeof input.MinCapacity === "number" ? input.MinCapacity : existing?.minCapacity;
  const max = typeof input.MaxCapacity === "number" ? input.MaxCapacity : existing?.maxCapacity;
  if (min === undefined || max === undefined) {
    throw validationError(
      "MinCapacity and MaxCapacity are required when registering a new scalable target",
    );
  }
  if (max < min) throw validationError("Maximum capacity cannot be less than minimum capacity");
  const target: TargetRecord = {
    resourceId,
    minCapacity: min,
    maxCapacity: max,
    suspendedState: {
      DynamicScalingInSuspended: false,
      DynamicScalingOutSuspended: false,
      ScheduledScalingSuspended: false,
      ...existing?.suspendedState,
      ...(asRecord(input.SuspendedState) as Record<string, boolean>),
    },
    roleArn: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
    arn:
      existing?.arn ??
      `arn:aws:application-autoscaling:${ctx.region}:${ctx.accountId}:scalable-target/${randomUUID().replaceAll("-", "")}`,
    creationTime: existing?.creationTime ?? ctx.now,
  };
  ctx.store.scaling.putTarget(target);
  clampRunningCount(ctx, endpoint, variantName, target);
  return { ScalableTargetARN: target.arn };
};

function describeTarget(target: TargetRecord): Record<string, unknown> {
  return {
    ...KEY,
    ResourceId: target.resourceId,
    MinCapacity: target.minCapacity,
    MaxCapacity: target.maxCapacity,
    RoleARN: target.roleArn,
    CreationTime: epochSeconds(target.creationTime),
    SuspendedState: { ...target.suspendedState },
    ScalableTargetARN: target.arn,
  };
}

/** Keeps what the namespace, dimension and (optional) resource ids of a Describe call select. */
function selects(input: Record<string, unknown>, resourceId: string, ids?: string[]): boolean {
  if (input.ServiceNamespace !== SAGEMAKER_NAMESPACE) return false;
  if (input.ScalableDimension !== undefined && input.ScalableDimension !== VARIANT_DIMENSION)
    return false;
  return ids === undefined || ids.includes(resourceId);
}

/** DescribeScalableTargets: ResourceIds and ScalableDimension filters, MaxResults/NextToken paging. */
export const describeScalableTargets: Handler = (ctx, input) => {
  const problems: string[] = [];
  checkDescribeKey(problems, input);
  assertNoProblems(problems);
  const ids = stringList(input.ResourceIds);
  const matching = ctx.store.scaling.targets().filter((t) => selects(input, t.resourceId, ids));
  const { items, next } = page(matching, input, MAX_RESULTS.targets);
  return { ScalableTargets: items.map(describeTarget), ...next };
};

/** DeregisterScalableTarget: the target goes, and its policies and scheduled actions with it. */
export const deregisterScalableTarget: Handler = (ctx, input) => {
  const problems: string[] = [];
  checkTargetKey(problems, input);
  assertNoProblems(problems);
  const { resourceId } = variantKey(input);
  requireTarget(ctx, resourceId);
  ctx.store.scaling.deleteTarget(resourceId);
  return {};
};

/** The members of a policy type's configuration that PutScalingPolicy stores and Describe echoes. */
const CONFIGURATION_MEMBER = {
  TargetTrackingScaling: "TargetTrackingScalingPolicyConfiguration",
  StepScaling: "StepScalingPolicyConfiguration",
  PredictiveScaling: "PredictiveScalingPolicyConfiguration",
} as const;

function policyConfiguration(input: Record<string, unknown>): {
  type: keyof typeof CONFIGURATION_MEMBER;
  configuration: Record<string, unknown>;
} {
  // AWS's default policy type is StepScaling.
  const type = (input.PolicyType ?? "StepScaling") as keyof typeof CONFIGURATION_MEMBER;
  if (type === "PredictiveScaling") {
    throw validationError(
      `PredictiveScaling is not supported for service namespace ${SAGEMAKER_NAMESPACE}`,
    );
  }
  const member = CONFIGURATION_MEMBER[type];
  if (type === "TargetTrackingScaling") validateTargetTracking(input[member]);
  else if (!isRecord(input[member])) {
    throw validationError(`${member} is required for a policy of type ${type}`);
  }
  return { type, configuration: { [member]: input[member] } };
}

/** Target tracking creates one alarm to scale out and one to scale in. */
function alarmsFor(ctx: OperationContext, resourceId: string, type: string) {
  if (type !== "TargetTrackingScaling") return [];
  return ["AlarmHigh", "AlarmLow"].map((kind) => {
    const name = `TargetTracking-${resourceId}-${kind}-${randomUUID()}`;
    return {
      AlarmName: name,
      AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`,
    };
  });
}

/** PutScalingPolicy: needs a registered target; a policy of the same name is replaced (same ARN). */
export const putScalingPolicy: Handler = (ctx, input) => {
  validatePolicyKey(input);
  const { resourceId } = variantKey(input);
  requireTarget(ctx, resourceId);
  const { type, configuration } = policyConfiguration(input);
  const policyName = String(input.PolicyName);
  const existing = ctx.store.scaling.policy(resourceId, policyName);
  const policy: PolicyRecord = {
    resourceId,
    policyName,
    policyType: type,
    configuration,
    arn:
      existing?.arn ??
      `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${randomUUID()}:resource/${SAGEMAKER_NAMESPACE}/${resourceId}:policyName/${policyName}`,
    alarms: existing?.policyType === type ? existing.alarms : alarmsFor(ctx, resourceId, type),
    creationTime: existing?.creationTime ?? ctx.now,
  };
  ctx.store.scaling.putPolicy(policy);
  return { PolicyARN: policy.arn, Alarms: policy.alarms };
};

function describePolicy(policy: PolicyRecord): Record<string, unknown> {
  return {
    PolicyARN: policy.arn,
    PolicyName: policy.policyName,
    ...KEY,
    ResourceId: policy.resourceId,
    PolicyType: policy.policyType,
    ...structuredClone(policy.configuration),
    Alarms: policy.alarms.map((alarm) => ({ ...alarm })),
    CreationTime: epochSeconds(policy.creationTime),
  };
}

/** DescribeScalingPolicies: ResourceId, ScalableDimension and PolicyNames filters, paged by 10. */
export const describeScalingPolicies: Handler = (ctx, input) => {
  const problems: string[] = [];
  checkDescribeKey(problems, input);
  assertNoProblems(problems);
  const names = stringList(input.PolicyNames);
  const id = typeof input.ResourceId === "string" ? [input.ResourceId] : undefined;
  const matching = ctx.store.scaling
    .policiesOf()
    .filter((p) => selects(input, p.resourceId, id))
    .filter((p) => names === undefined || names.includes(p.policyName));
  const { items, next } = page(matching, input, MAX_RESULTS.policies);
  return { ScalingPolicies: items.map(describePolicy), ...next };
};

/** DeleteScalingPolicy: AWS's ObjectNotFoundException when there is no such policy. */
export const deleteScalingPolicy: Handler = (ctx, input) => {
  validatePolicyKey(input);
  const { resourceId } = variantKey(input);
  const name = String(input.PolicyName);
  if (ctx.store.scaling.policy(resourceId, name) === undefined) {
    throw notFound(`No scaling policy found for ${keyText(resourceId)}, policy name: ${name}`);
  }
  ctx.store.scaling.deletePolicy(resourceId, name);
  return {};
};

/** The members of a scheduled action that PutScheduledAction stores and Describe echoes. */
const SCHEDULED_MEMBERS = ["Schedule", "Timezone", "StartTime", "EndTime", "ScalableTargetAction"];

/** PutScheduledAction: needs a registered target; a new action needs a Schedule; members merge. */
export const putScheduledAction: Handler = (ctx, input) => {
  validateScheduledAction(input);
  const { resourceId } = variantKey(input);
  requireTarget(ctx, resourceId);
  const name = String(input.ScheduledActionName);
  const existing = ctx.store.scaling.scheduledAction(resourceId, name);
  const members = { ...existing?.members };
  for (const member of SCHEDULED_MEMBERS) {
    if (input[member] !== undefined) members[member] = structuredClone(input[member]);
  }
  if (members.Schedule === undefined) {
    throw validationError("Schedule is required when creating a new scheduled action");
  }
  const action: ScheduledActionRecord = {
    resourceId,
    name,
    members,
    arn:
      existing?.arn ??
      `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scheduledAction:${randomUUID()}:resource/${SAGEMAKER_NAMESPACE}/${resourceId}:scheduledActionName/${name}`,
    creationTime: existing?.creationTime ?? ctx.now,
  };
  ctx.store.scaling.putScheduledAction(action);
  return {};
};

/** DescribeScheduledActions: ResourceId, ScalableDimension and ScheduledActionNames filters. */
export const describeScheduledActions: Handler = (ctx, input) => {
  const problems: string[] = [];
  checkDescribeKey(problems, input);
  assertNoProblems(problems);
  const names = stringList(input.ScheduledActionNames);
  const id = typeof input.ResourceId === "string" ? [input.ResourceId] : undefined;
  const matching = ctx.store.scaling
    .scheduledActionsOf()
    .filter((a) => selects(input, a.resourceId, id))
    .filter((a) => names === undefined || names.includes(a.name));
  const { items, next } = page(matching, input, MAX_RESULTS.scheduledActions);
  return {
    ScheduledActions: items.map((action) => ({
      ScheduledActionName: action.name,
      ScheduledActionARN: action.arn,
      ...KEY,
      ResourceId: action.resourceId,
      ...structuredClone(action.members),
      CreationTime: epochSeconds(action.creationTime),
    })),
    ...next,
  };
};

/** The Application Auto Scaling operations the emulator speaks, by X-Amz-Target suffix. */
export const AUTOSCALING_OPERATIONS = {
  RegisterScalableTarget: registerScalableTarget,
  DescribeScalableTargets: describeScalableTargets,
  DeregisterScalableTarget: deregisterScalableTarget,
  PutScalingPolicy: putScalingPolicy,
  DescribeScalingPolicies: describeScalingPolicies,
  DeleteScalingPolicy: deleteScalingPolicy,
  PutScheduledAction: putScheduledAction,
  DescribeScheduledActions: describeScheduledActions,
} as const satisfies Record<string, Handler>;

/**
 * SageMaker refuses an UpdateEndpoint that changes the instance type of, or removes, a variant
 * that is a scalable target: deregister it first, then register it again after the update.
 */
export function refuseAutoscaledChanges(
  ctx: OperationContext,
  endpoint: EndpointRecord,
  newConfig: { input: Record<string, unknown> },
): void {
  const running = asList(ctx.store.config(endpoint.configName)?.input.ProductionVariants).map(
    asRecord,
  );
  const next = asList(newConfig.input.ProductionVariants).map(asRecord);
  for (const target of ctx.store.scaling.targetsOfEndpoint(endpoint.name)) {
    const variantName = parseVariantId(target.resourceId)?.variantName;
    const old = running.find((v) => v.VariantName === variantName);
    if (old === undefined) continue;
    const exists = `An Application AutoScaling scalable target exists for variant "${variantName}" of endpoint "${endpoint.name}"`;
    const after = next.find((v) => v.VariantName === variantName);
    if (after === undefined) {
      throw validationError(
        `${exists}, which the update removes. Deregister the scalable target (DeregisterScalableTarget) before removing the variant.`,
      );
    }
    if (after.InstanceType !== old.InstanceType) {
      throw validationError(
        `${exists}, and the update changes its instance type from ${String(old.InstanceType)} to ${String(after.InstanceType ?? "serverless")}. Deregister the scalable target (DeregisterScalableTarget) before changing the instance type, then register it again after the update.`,
      );
    }
  }
}

/**
 * Control: autoscaling set a running variant's instance count (e.g. scaled it out to 4), so
 * DescribeEndpoint's CurrentInstanceCount and DesiredInstanceCount show it. Throws naming the
 * bad part.
 */
export function setInstanceCount(
  ctx: OperationContext,
  endpointName: string,
  variantName: string,
  count: number,
): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`count must be a whole number of instances (0 or more), got ${count}`);
  }
  const endpoint = ctx.store.endpoint(endpointName);
  if (endpoint === undefined) throw new Error(`no endpoint named ${endpointName}`);
  const variant = asList(ctx.store.config(endpoint.configName)?.input.ProductionVariants)
    .map(asRecord)
    .find((v) => v.VariantName === variantName);
  if (variant === undefined || variant.ServerlessConfig !== undefined) {
    throw new Error(
      `endpoint ${endpointName} runs no instance-based variant ${variantName} (config ${endpoint.configName})`,
    );
  }
  ctx.store.scaling.setInstanceCount(endpoint.name, endpoint.configName, variantName, count);
}
