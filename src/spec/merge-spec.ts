import type {
  CreateEndpointConfigInput,
  CreateModelInput,
  ProductionVariant,
} from "@aws-sdk/client-sagemaker";
import { isRecord } from "../shared/patterns.js";
import type { SpecAutoscaling } from "./spec-types.js";

/** CreateModel's members the action does not derive (it derives ModelName and Tags). */
export type ModelMembers = Omit<CreateModelInput, "ModelName" | "Tags">;
/** CreateEndpointConfig's members the action does not derive; a variant's ModelName may be left out. */
export type EndpointConfigMembers = Omit<CreateEndpointConfigInput, "EndpointConfigName" | "Tags">;

/** What one deploy puts on the endpoint, from the spec and the simple inputs together. */
export interface SpecDeployment {
  readonly model: ModelMembers;
  readonly endpointConfig: EndpointConfigMembers;
  readonly autoscaling?: SpecAutoscaling;
}

/** The simple inputs that map onto spec members; `undefined` where the input is not set. */
export interface SimpleMembers {
  readonly image?: string;
  readonly modelDataUrl?: string;
  readonly executionRoleArn?: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly variantName?: string;
  readonly instanceType?: string;
  readonly initialInstanceCount?: number;
  readonly serverless?: { readonly memorySizeInMB: number; readonly maxConcurrency: number };
  /** Members whose value is only action.yml's default: they fill a gap, never conflict. */
  readonly defaulted: ReadonlySet<"VariantName" | "InitialInstanceCount">;
}

type Json = Record<string, unknown>;

/** Fills `member` of `target` from an input unless the spec set it too, which is a problem. */
function fill(
  target: Json,
  member: string,
  value: unknown,
  places: { readonly input: string; readonly spec: string; readonly defaulted?: boolean },
  problems: string[],
): void {
  if (value === undefined) return;
  if (target[member] !== undefined) {
    if (places.defaulted) return;
    problems.push(
      `${places.input}: set twice, by the input and by ${places.spec}; keep one of them`,
    );
    return;
  }
  target[member] = value;
}

function mergeModel(spec: Json, simple: SimpleMembers, problems: string[]): ModelMembers {
  const model: Json = structuredClone(spec);
  const containerInputs = [
    ["image", simple.image],
    ["model-data-url", simple.modelDataUrl],
    ["environment", simple.environment],
  ] as const;
  if (model.Containers !== undefined) {
    for (const [input, value] of containerInputs) {
      if (value !== undefined)
        problems.push(
          `${input}: not used when spec.model.Containers gives the containers; set it in the container instead`,
        );
    }
  } else if (containerInputs.some(([, value]) => value !== undefined)) {
    const container: Json = isRecord(model.PrimaryContainer) ? model.PrimaryContainer : {};
    const at = (member: string) => ({ input: "", spec: `spec.model.PrimaryContainer.${member}` });
    fill(container, "Image", simple.image, { ...at("Image"), input: "image" }, problems);
    fill(
      container,
      "ModelDataUrl",
      simple.modelDataUrl,
      { ...at("ModelDataUrl"), input: "model-data-url" },
      problems,
    );
    fill(
      container,
      "Environment",
      simple.environment,
      { ...at("Environment"), input: "environment" },
      problems,
    );
    model.PrimaryContainer = container;
  }
  fill(
    model,
    "ExecutionRoleArn",
    simple.executionRoleArn,
    { input: "execution-role-arn", spec: "spec.model.ExecutionRoleArn" },
    problems,
  );
  if (model.PrimaryContainer === undefined && model.Containers === undefined)
    problems.push(
      "image: required (or give the containers in spec.model.PrimaryContainer or spec.model.Containers)",
    );
  if (model.ExecutionRoleArn === undefined)
    problems.push("execution-role-arn: required (or set spec.model.ExecutionRoleArn)");
  return model as ModelMembers;
}

function simpleVariant(simple: SimpleMembers): Json {
  return {
    ...(simple.variantName !== undefined ? { VariantName: simple.variantName } : {}),
    ...(simple.serverless
      ? {
          ServerlessConfig: {
            MemorySizeInMB: simple.serverless.memorySizeInMB,
            MaxConcurrency: simple.serverless.maxConcurrency,
          },
        }
      : {
          ...(simple.instanceType !== undefined ? { InstanceType: simple.instanceType } : {}),
          ...(simple.initialInstanceCount !== undefined
            ? { InitialInstanceCount: simple.initialInstanceCount }
            : {}),
        }),
  };
}

const VARIANT_INPUTS = [
  ["variant-name", "VariantName"],
  ["instance-type", "InstanceType"],
  ["initial-instance-count", "InitialInstanceCount"],
  ["serverless-memory-size", "ServerlessConfig"],
] as const;

function mergeVariants(spec: Json, simple: SimpleMembers, problems: string[]): Json[] {
  const fromInputs = simpleVariant(simple);
  const variants = spec.ProductionVariants;
  if (!Array.isArray(variants)) {
    if (simple.instanceType === undefined && !simple.serverless)
      problems.push(
        "instance-type: required (or set serverless-memory-size, or give spec.endpoint-config.ProductionVariants)",
      );
    return [{ VariantName: "AllTraffic", InitialInstanceCount: 1, ...fromInputs }];
  }
  const merged = variants.map((variant) =>
    isRecord(variant) ? { ...variant } : variant,
  ) as Json[];
  const only = merged.length === 1 ? merged[0] : undefined;
  for (const [input, member] of VARIANT_INPUTS) {
    const value = fromInputs[member];
    const defaulted = (simple.defaulted as ReadonlySet<string>).has(member);
    if (value === undefined) continue;
    // action.yml's default instance count means nothing to a serverless variant.
    if (defaulted && member === "InitialInstanceCount" && only?.ServerlessConfig !== undefined)
      continue;
    if (only === undefined) {
      if (defaulted) continue;
      problems.push(
        `${input}: not used when spec.endpoint-config.ProductionVariants has ${merged.length} variants; set it on each variant`,
      );
      continue;
    }
    fill(
      only,
      member,
      value,
      { input, spec: `spec.endpoint-config.ProductionVariants[0].${member}`, defaulted },
      problems,
    );
  }
  return merged;
}

/**
 * Puts the spec and the simple inputs together: inputs fill what the spec leaves out, and a
 * member both set is a problem naming both places. Variants without a ModelName get the
 * deploy's model when the requests are built.
 */
export function mergeSpec(
  spec: Json,
  simple: SimpleMembers,
): { readonly deployment: SpecDeployment; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const model = mergeModel(isRecord(spec.model) ? spec.model : {}, simple, problems);
  const configSpec: Json = isRecord(spec["endpoint-config"])
    ? structuredClone(spec["endpoint-config"])
    : {};
  const endpointConfig = {
    ...configSpec,
    ProductionVariants: mergeVariants(configSpec, simple, problems),
  } as unknown as EndpointConfigMembers;
  const autoscaling = isRecord(spec.autoscaling)
    ? (spec.autoscaling as unknown as SpecAutoscaling)
    : undefined;
  return {
    deployment: { model, endpointConfig, ...(autoscaling ? { autoscaling } : {}) },
    problems,
  };
}

/** The variants of a config, each with `modelName` where the spec left ModelName out. */
export function withModelName<T extends { ModelName?: string | undefined }>(
  variants: readonly T[] | undefined,
  modelName: string,
): T[] {
  return (variants ?? []).map((variant) => ({
    ...variant,
    ModelName: variant.ModelName ?? modelName,
  }));
}

/** The production variants, typed as the SDK types them. */
export type Variant = ProductionVariant;
