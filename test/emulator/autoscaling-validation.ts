import {
  MetricType,
  PolicyType,
  ScalableDimension,
  ServiceNamespace,
} from "@aws-sdk/client-application-auto-scaling";
import { ApiError, validationError } from "./api-error.js";
import { parseVariantId } from "./scaling-store.js";
import { asList, isRecord } from "./shapes.js";
import { assertNoProblems } from "./validation.js";

/** Application Auto Scaling's error types beyond ValidationException. */
export const AAS_ERROR = {
  notFound: "ObjectNotFoundException",
  invalidToken: "InvalidNextTokenException",
} as const;

/** The one namespace and dimension this emulator serves: a SageMaker variant's instance count. */
export const SAGEMAKER_NAMESPACE = "sagemaker";
export const VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount";

/** Limits from models/application-autoscaling.json (ResourceIdMaxLen1600, PolicyName). */
const LIMITS = { resourceId: 1600, policyName: 256, scheduledActionName: 256 } as const;

/** The model's PolicyName pattern `\p{Print}+`. */
const PRINTABLE = /^[\x20-\x7E]+$/;

/** The answer AWS gives for a namespace, resource id and dimension that do not fit together. */
const UNSUPPORTED = "Unsupported service namespace, resource type or scalable dimension";

function quote(value: unknown): string {
  if (value === undefined || value === null) return "null";
  return `'${typeof value === "object" ? JSON.stringify(value) : String(value)}'`;
}

/** One failed constraint in AWS's wording. */
function constraint(path: string, value: unknown, rule: string): string {
  return `Value ${quote(value)} at '${path}' failed to satisfy constraint: ${rule}`;
}

function checkRequired(problems: string[], path: string, value: unknown): boolean {
  if (value !== undefined && value !== null) return true;
  problems.push(constraint(path, null, "Member must not be null"));
  return false;
}

function checkEnum(problems: string[], path: string, value: unknown, values: readonly string[]) {
  if (value === undefined || value === null) return;
  if (typeof value === "string" && values.includes(value)) return;
  problems.push(
    constraint(path, value, `Member must satisfy enum value set: [${values.join(", ")}]`),
  );
}

/** A string within [min, max] characters, matching `pattern` if given. */
export function checkText(
  problems: string[],
  path: string,
  value: unknown,
  rule: { min: number; max: number; pattern?: RegExp },
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") {
    problems.push(constraint(path, value, "Member must be a string"));
    return;
  }
  if (value.length < rule.min) {
    problems.push(
      constraint(path, value, `Member must have length greater than or equal to ${rule.min}`),
    );
  }
  if (value.length > rule.max) {
    problems.push(
      constraint(path, value, `Member must have length less than or equal to ${rule.max}`),
    );
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    problems.push(
      constraint(path, value, `Member must satisfy regular expression pattern: \\p{Print}+`),
    );
  }
}

/** An integer, at least `min` when given. */
export function checkInteger(problems: string[], path: string, value: unknown, min?: number) {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    problems.push(constraint(path, value, "Member must be an integer"));
    return;
  }
  if (min !== undefined && value < min) {
    problems.push(
      constraint(path, value, `Member must have value greater than or equal to ${min}`),
    );
  }
}

/** The namespace (required) and the optional ResourceId and ScalableDimension of a Describe call. */
export function checkDescribeKey(problems: string[], input: Record<string, unknown>): void {
  if (checkRequired(problems, "serviceNamespace", input.ServiceNamespace)) {
    checkEnum(
      problems,
      "serviceNamespace",
      input.ServiceNamespace,
      Object.values(ServiceNamespace),
    );
  }
  checkText(problems, "resourceId", input.ResourceId, { min: 1, max: LIMITS.resourceId });
  checkEnum(
    problems,
    "scalableDimension",
    input.ScalableDimension,
    Object.values(ScalableDimension),
  );
}

/** The ServiceNamespace, ResourceId and ScalableDimension every call on one target needs. */
export function checkTargetKey(problems: string[], input: Record<string, unknown>): void {
  checkDescribeKey(problems, input);
  checkRequired(problems, "resourceId", input.ResourceId);
  checkRequired(problems, "scalableDimension", input.ScalableDimension);
}

/**
 * The variant a valid target key names; AWS's "Unsupported …" answer for any other namespace,
 * dimension or resource type (this emulator serves SageMaker variants only).
 */
export function variantKey(input: Record<string, unknown>): {
  resourceId: string;
  endpointName: string;
  variantName: string;
} {
  const resourceId = String(input.ResourceId);
  const variant = parseVariantId(resourceId);
  if (
    input.ServiceNamespace !== SAGEMAKER_NAMESPACE ||
    input.ScalableDimension !== VARIANT_DIMENSION ||
    variant === undefined
  ) {
    throw validationError(UNSUPPORTED);
  }
  return { resourceId, ...variant };
}

/** Constraint problems of a RegisterScalableTarget input. */
export function validateRegisterScalableTarget(input: Record<string, unknown>): void {
  const problems: string[] = [];
  checkTargetKey(problems, input);
  checkInteger(problems, "minCapacity", input.MinCapacity);
  checkInteger(problems, "maxCapacity", input.MaxCapacity);
  checkText(problems, "roleARN", input.RoleARN, { min: 1, max: LIMITS.resourceId });
  if (input.SuspendedState !== undefined && !isRecord(input.SuspendedState)) {
    problems.push(constraint("suspendedState", input.SuspendedState, "Member must be a structure"));
  }
  assertNoProblems(problems);
}

/** Constraint problems of a PutScalingPolicy or DeleteScalingPolicy input. */
export function validatePolicyKey(input: Record<string, unknown>): void {
  const problems: string[] = [];
  checkRequired(problems, "policyName", input.PolicyName);
  checkText(problems, "policyName", input.PolicyName, {
    min: 1,
    max: LIMITS.policyName,
    pattern: PRINTABLE,
  });
  checkTargetKey(problems, input);
  checkEnum(problems, "policyType", input.PolicyType, Object.values(PolicyType));
  assertNoProblems(problems);
}

/** Constraint problems of a PutScheduledAction input. */
export function validateScheduledAction(input: Record<string, unknown>): void {
  const problems: string[] = [];
  checkRequired(problems, "scheduledActionName", input.ScheduledActionName);
  checkText(problems, "scheduledActionName", input.ScheduledActionName, {
    min: 1,
    max: LIMITS.scheduledActionName,
    pattern: PRINTABLE,
  });
  checkTargetKey(problems, input);
  checkText(problems, "schedule", input.Schedule, { min: 1, max: LIMITS.resourceId });
  assertNoProblems(problems);
}

/** Predefined metrics of a SageMaker variant (the SDK's MetricType values that name one). */
const VARIANT_METRICS: readonly string[] = Object.values(MetricType).filter((m) =>
  m.startsWith("SageMakerVariant"),
);

/**
 * A TargetTrackingScalingPolicyConfiguration: TargetValue, exactly one metric (a SageMaker
 * variant metric when predefined), whole-second cooldowns.
 */
export function validateTargetTracking(configuration: unknown): void {
  if (!isRecord(configuration)) {
    throw validationError(
      "TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling",
    );
  }
  const problems: string[] = [];
  const path = "targetTrackingScalingPolicyConfiguration";
  if (checkRequired(problems, `${path}.targetValue`, configuration.TargetValue)) {
    if (
      typeof configuration.TargetValue !== "number" ||
      !Number.isFinite(configuration.TargetValue)
    )
      problems.push(
        constraint(`${path}.targetValue`, configuration.TargetValue, "Member must be a number"),
      );
  }
  checkInteger(problems, `${path}.scaleInCooldown`, configuration.ScaleInCooldown, 0);
  checkInteger(problems, `${path}.scaleOutCooldown`, configuration.ScaleOutCooldown, 0);
  const predefined = configuration.PredefinedMetricSpecification;
  if (isRecord(predefined)) {
    const metricPath = `${path}.predefinedMetricSpecification.predefinedMetricType`;
    if (checkRequired(problems, metricPath, predefined.PredefinedMetricType))
      checkEnum(problems, metricPath, predefined.PredefinedMetricType, Object.values(MetricType));
  }
  assertNoProblems(problems);
  const metrics = [predefined, configuration.CustomizedMetricSpecification].filter(isRecord);
  if (metrics.length !== 1) {
    throw validationError(
      "Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified",
    );
  }
  if (isRecord(predefined) && !VARIANT_METRICS.includes(String(predefined.PredefinedMetricType))) {
    throw validationError(
      `Unsupported metric type ${String(predefined.PredefinedMetricType)} for scalable dimension ${VARIANT_DIMENSION}`,
    );
  }
}

/** MaxResults within [1, max] and a NextToken this emulator gave out; the page's start. */
export function pageStart(input: Record<string, unknown>, max: number): number {
  const problems: string[] = [];
  checkInteger(problems, "maxResults", input.MaxResults, 1);
  if (typeof input.MaxResults === "number" && input.MaxResults > max) {
    problems.push(
      constraint(
        "maxResults",
        input.MaxResults,
        `Member must have value less than or equal to ${max}`,
      ),
    );
  }
  assertNoProblems(problems);
  if (input.NextToken === undefined) return 0;
  const start = Number(input.NextToken);
  if (typeof input.NextToken !== "string" || !Number.isInteger(start) || start < 0) {
    throw new ApiError(AAS_ERROR.invalidToken, "Invalid token");
  }
  return start;
}

/** One page of `items` with the NextToken of the next, as the Describe calls answer. */
export function page<T>(
  items: readonly T[],
  input: Record<string, unknown>,
  max: number,
): { items: T[]; next: { NextToken?: string } } {
  const start = pageStart(input, max);
  const size = typeof input.MaxResults === "number" ? input.MaxResults : max;
  const next = start + size < items.length ? { NextToken: String(start + size) } : {};
  return { items: items.slice(start, start + size), next };
}

/** The strings of an optional list member (ResourceIds, PolicyNames, ScheduledActionNames). */
export function stringList(value: unknown): string[] | undefined {
  return value === undefined ? undefined : asList(value).map(String);
}
