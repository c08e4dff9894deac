import { checkShape, type ShapeName } from "../../src/spec/shape-check.js";
import { validationError } from "./api-error.js";
import { asList, asRecord, isRecord } from "./shapes.js";

/** Patterns SageMaker enforces, spelled as its error messages quote them. */
export const PATTERNS = {
  name: "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
  roleArn: "^arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$",
  image: "[\\S]+",
  modelDataUrl: "^(https|s3)://([^/]+)/?(.*)$",
  environmentKey: "[a-zA-Z_][a-zA-Z0-9_]*",
  instanceType: "^ml\\.[a-z0-9]+\\.[a-z0-9]+$",
} as const;

/** Limits from the SageMaker API reference (CreateModel, CreateEndpointConfig, Tag). */
const LIMITS = {
  image: 255,
  modelDataUrl: 1024,
  roleArn: 2048,
  environmentEntries: 100,
  environmentKey: 1024,
  environmentValue: 1024,
  variants: 10,
  tags: 50,
  tagKey: 128,
  tagValue: 256,
  serverlessMemory: { min: 1024, max: 6144, step: 1024 },
  serverlessConcurrency: { min: 1, max: 200 },
} as const;

interface StringRule {
  required?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
  multipleOf?: number;
}

const compiled = new Map<string, RegExp>();

/** Full-match test, as AWS applies its patterns. */
function matches(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^(?:${pattern})$`);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

function quote(value: unknown): string {
  if (value === undefined || value === null) return "null";
  return `'${typeof value === "object" ? JSON.stringify(value) : String(value)}'`;
}

/** One failed constraint in SageMaker's wording. */
function constraint(path: string, value: unknown, rule: string): string {
  return `Value ${quote(value)} at '${path}' failed to satisfy constraint: ${rule}`;
}

function checkString(problems: string[], path: string, value: unknown, rule: StringRule): void {
  if (value === undefined || value === null) {
    if (rule.required) problems.push(constraint(path, null, "Member must not be null"));
    return;
  }
  if (typeof value !== "string") {
    problems.push(constraint(path, value, "Member must be a string"));
    return;
  }
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    problems.push(
      constraint(path, value, `Member must have length greater than or equal to ${rule.minLength}`),
    );
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    problems.push(
      constraint(path, value, `Member must have length less than or equal to ${rule.maxLength}`),
    );
  }
  if (rule.pattern !== undefined && !matches(rule.pattern, value)) {
    problems.push(
      constraint(path, value, `Member must satisfy regular expression pattern: ${rule.pattern}`),
    );
  }
}

function checkNumber(problems: string[], path: string, value: unknown, rule: NumberRule): void {
  if (value === undefined || value === null) {
    if (rule.required) problems.push(constraint(path, null, "Member must not be null"));
    return;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.push(constraint(path, value, "Member must be a number"));
    return;
  }
  if (rule.min !== undefined && value < rule.min) {
    problems.push(
      constraint(path, value, `Member must have value greater than or equal to ${rule.min}`),
    );
  }
  if (rule.max !== undefined && value > rule.max) {
    problems.push(
      constraint(path, value, `Member must have value less than or equal to ${rule.max}`),
    );
  }
  if (rule.multipleOf !== undefined && value % rule.multipleOf !== 0) {
    problems.push(constraint(path, value, `Member must be a multiple of ${rule.multipleOf}`));
  }
}

function checkListLength(
  problems: string[],
  path: string,
  value: unknown,
  limits: { required?: boolean; min?: number; max: number },
): void {
  if (value === undefined || value === null) {
    if (limits.required) problems.push(constraint(path, null, "Member must not be null"));
    return;
  }
  const size = Array.isArray(value)
    ? value.length
    : isRecord(value)
      ? Object.keys(value).length
      : -1;
  if (size < 0) {
    problems.push(constraint(path, value, "Member must be a list"));
    return;
  }
  if (limits.min !== undefined && size < limits.min) {
    problems.push(
      constraint(path, value, `Member must have length greater than or equal to ${limits.min}`),
    );
  }
  if (size > limits.max) {
    problems.push(
      constraint(path, value, `Member must have length less than or equal to ${limits.max}`),
    );
  }
}

function checkEnvironment(problems: string[], path: string, environment: unknown): void {
  checkListLength(problems, path, environment, { max: LIMITS.environmentEntries });
  for (const [key, value] of Object.entries(asRecord(environment))) {
    if (key.length > LIMITS.environmentKey || !matches(PATTERNS.environmentKey, key)) {
      const rule = `Member must have length less than or equal to ${LIMITS.environmentKey}, Member must satisfy regular expression pattern: ${PATTERNS.environmentKey}`;
      problems.push(constraint(path, key, `Map keys must satisfy constraint: [${rule}]`));
    }
    if (typeof value !== "string" || value.length > LIMITS.environmentValue) {
      const rule = `Member must have length less than or equal to ${LIMITS.environmentValue}`;
      problems.push(constraint(path, value, `Map value must satisfy constraint: [${rule}]`));
    }
  }
}

function checkTags(problems: string[], path: string, tags: unknown, required = false): void {
  checkListLength(problems, path, tags, { required, max: LIMITS.tags });
  asList(tags).forEach((tag, index) => {
    const item = asRecord(tag);
    const itemPath = `${path}.${index + 1}.member`;
    checkString(problems, `${itemPath}.key`, item.Key, {
      required: true,
      minLength: 1,
      maxLength: LIMITS.tagKey,
    });
    if (typeof item.Key === "string" && item.Key.toLowerCase().startsWith("aws:")) {
      problems.push(constraint(`${itemPath}.key`, item.Key, "Member must not start with 'aws:'"));
    }
    checkString(problems, `${itemPath}.value`, item.Value, { maxLength: LIMITS.tagValue });
  });
}

function checkContainer(problems: string[], path: string, container: unknown): void {
  if (container === undefined || container === null) {
    problems.push(constraint(path, null, "Member must not be null"));
    return;
  }
  const input = asRecord(container);
  checkString(problems, `${path}.image`, input.Image, {
    required: true,
    maxLength: LIMITS.image,
    pattern: PATTERNS.image,
  });
  checkString(problems, `${path}.modelDataUrl`, input.ModelDataUrl, {
    maxLength: LIMITS.modelDataUrl,
    pattern: PATTERNS.modelDataUrl,
  });
  checkEnvironment(problems, `${path}.environment`, input.Environment);
}

function checkVariant(problems: string[], path: string, variant: unknown): void {
  const input = asRecord(variant);
  checkString(problems, `${path}.variantName`, input.VariantName, {
    required: true,
    pattern: PATTERNS.name,
  });
  checkString(problems, `${path}.modelName`, input.ModelName, {
    required: true,
    pattern: PATTERNS.name,
  });
  checkString(problems, `${path}.instanceType`, input.InstanceType, {
    pattern: PATTERNS.instanceType,
  });
  checkNumber(problems, `${path}.initialInstanceCount`, input.InitialInstanceCount, { min: 1 });
  checkNumber(problems, `${path}.initialVariantWeight`, input.InitialVariantWeight, { min: 0 });
  if (input.ServerlessConfig === undefined) return;
  const serverless = asRecord(input.ServerlessConfig);
  checkNumber(problems, `${path}.serverlessConfig.memorySizeInMB`, serverless.MemorySizeInMB, {
    required: true,
    min: LIMITS.serverlessMemory.min,
    max: LIMITS.serverlessMemory.max,
    multipleOf: LIMITS.serverlessMemory.step,
  });
  checkNumber(problems, `${path}.serverlessConfig.maxConcurrency`, serverless.MaxConcurrency, {
    required: true,
    ...LIMITS.serverlessConcurrency,
  });
}

/** Throws SageMaker's "N validation error(s) detected: a; b" ValidationException if any. */
export function assertNoProblems(problems: readonly string[]): void {
  if (problems.length === 0) return;
  const noun = problems.length === 1 ? "error" : "errors";
  throw validationError(`${problems.length} validation ${noun} detected: ${problems.join("; ")}`);
}

/** Constraint problems of a resource name member, e.g. `ModelName` at `modelName`. */
export function validateName(input: Record<string, unknown>, member: string): string[] {
  const problems: string[] = [];
  const path = member.charAt(0).toLowerCase() + member.slice(1);
  checkString(problems, path, input[member], { required: true, pattern: PATTERNS.name });
  return problems;
}

/** Constraint problems of a CreateModel input. */
export function validateCreateModel(input: Record<string, unknown>): string[] {
  const problems = validateName(input, "ModelName");
  checkString(problems, "executionRoleArn", input.ExecutionRoleArn, {
    required: true,
    maxLength: LIMITS.roleArn,
    pattern: PATTERNS.roleArn,
  });
  if (input.Containers === undefined || input.PrimaryContainer !== undefined) {
    checkContainer(problems, "primaryContainer", input.PrimaryContainer);
  }
  checkTags(problems, "tags", input.Tags);
  if (problems.length === 0) problems.push(...modelConstraints(input, "CreateModelInput"));
  return problems;
}

/**
 * Once the hand-written checks (AWS's own messages) pass, the members they do not reach, checked against the constraints
 * generated from AWS's SageMaker model (src/spec/generated): unknown members, enums such as
 * instance types, ranges such as VolumeSizeInGB, nested structures.
 */
function modelConstraints(input: Record<string, unknown>, shape: ShapeName): string[] {
  return checkShape(input, shape, "request").map(
    (problem) =>
      `Value at '${problem.replace(/^request\.?/, "")}' failed to satisfy the API model's constraint`,
  );
}

/** Constraint problems of a CreateEndpointConfig input. */
export function validateCreateEndpointConfig(input: Record<string, unknown>): string[] {
  const problems = validateName(input, "EndpointConfigName");
  checkListLength(problems, "productionVariants", input.ProductionVariants, {
    required: true,
    min: 1,
    max: LIMITS.variants,
  });
  asList(input.ProductionVariants).forEach((variant, index) => {
    checkVariant(problems, `productionVariants.${index + 1}.member`, variant);
  });
  checkTags(problems, "tags", input.Tags);
  if (problems.length === 0) problems.push(...modelConstraints(input, "CreateEndpointConfigInput"));
  return problems;
}

/** The cross-field rule of a production variant: instances or serverless, never neither. */
export function variantCapacityProblem(variant: Record<string, unknown>): string | undefined {
  const hasInstances =
    variant.InstanceType !== undefined && variant.InitialInstanceCount !== undefined;
  if (hasInstances || variant.ServerlessConfig !== undefined) return undefined;
  return `Either InstanceType and InitialInstanceCount, or ServerlessConfig, must be specified for production variant '${String(variant.VariantName)}'.`;
}

/** Constraint problems of a CreateEndpoint input. */
export function validateCreateEndpoint(input: Record<string, unknown>): string[] {
  const problems = [
    ...validateName(input, "EndpointName"),
    ...validateName(input, "EndpointConfigName"),
  ];
  checkTags(problems, "tags", input.Tags);
  return problems;
}

/** Constraint problems of an UpdateEndpoint input. */
export function validateUpdateEndpoint(input: Record<string, unknown>): string[] {
  return [...validateName(input, "EndpointName"), ...validateName(input, "EndpointConfigName")];
}

/** Constraint problems of the ResourceArn of AddTags and ListTags. */
export function validateResourceArn(input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  checkString(problems, "resourceArn", input.ResourceArn, { required: true, maxLength: 256 });
  return problems;
}

/** Constraint problems of an AddTags input. */
export function validateAddTags(input: Record<string, unknown>): string[] {
  const problems = validateResourceArn(input);
  checkTags(problems, "tags", input.Tags, true);
  return problems;
}
