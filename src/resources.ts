import type {
  CreateEndpointConfigInput,
  CreateModelInput,
  DescribeEndpointConfigCommandOutput,
  DescribeModelCommandOutput,
  ProductionVariant,
} from "@aws-sdk/client-sagemaker";
import type { ModelSpec, VariantSpec } from "./inputs.js";
import type { Tag } from "./shared/tags.js";

/** CreateModel's request, in the seed workflow's field order. */
export function modelRequest(
  modelName: string,
  model: ModelSpec,
  tags: readonly Tag[],
): CreateModelInput {
  const hasEnvironment = Object.keys(model.environment).length > 0;
  return {
    ModelName: modelName,
    PrimaryContainer: {
      Image: model.image,
      ...(model.modelDataUrl ? { ModelDataUrl: model.modelDataUrl } : {}),
      ...(hasEnvironment ? { Environment: { ...model.environment } } : {}),
    },
    ExecutionRoleArn: model.executionRoleArn,
    ...(tags.length > 0 ? { Tags: [...tags] } : {}),
  };
}

function variantRequest(modelName: string, variant: VariantSpec): ProductionVariant {
  if (variant.serverless) {
    return {
      VariantName: variant.variantName,
      ModelName: modelName,
      ServerlessConfig: {
        MemorySizeInMB: variant.serverless.memorySizeInMB,
        MaxConcurrency: variant.serverless.maxConcurrency,
      },
    };
  }
  return {
    VariantName: variant.variantName,
    ModelName: modelName,
    InitialInstanceCount: variant.initialInstanceCount,
    InstanceType: variant.instanceType as ProductionVariant["InstanceType"],
  };
}

/** CreateEndpointConfig's request, in the seed workflow's field order. */
export function endpointConfigRequest(
  configName: string,
  modelName: string,
  variant: VariantSpec,
  tags: readonly Tag[],
): CreateEndpointConfigInput {
  return {
    EndpointConfigName: configName,
    ProductionVariants: [variantRequest(modelName, variant)],
    ...(tags.length > 0 ? { Tags: [...tags] } : {}),
  };
}

function sameRecord(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const left = Object.entries(a ?? {}).sort();
  const right = Object.entries(b ?? {}).sort();
  return JSON.stringify(left) === JSON.stringify(right);
}

/** Lists how an existing model differs from the one this run would create (empty: the same). */
export function modelDifferences(
  existing: Omit<DescribeModelCommandOutput, "$metadata">,
  wanted: CreateModelInput,
): string[] {
  const have = existing.PrimaryContainer ?? existing.Containers?.[0];
  const want = wanted.PrimaryContainer ?? wanted.Containers?.[0];
  const differences: string[] = [];
  const packageName = want?.ModelPackageName ?? "";
  if ((have?.ModelPackageName ?? "") !== packageName) differences.push("model package");
  // A package model's image and data come from the package (DescribeModel may expand them).
  else if (packageName === "") {
    if (have?.Image !== want?.Image) differences.push("image");
    if ((have?.ModelDataUrl ?? "") !== (want?.ModelDataUrl ?? ""))
      differences.push("model data URL");
  }
  if (!sameRecord(have?.Environment, want?.Environment)) differences.push("environment");
  if (existing.ExecutionRoleArn !== wanted.ExecutionRoleArn) differences.push("execution role");
  return differences;
}

/** Lists how an existing endpoint config differs from the one this run would create. */
export function endpointConfigDifferences(
  existing: Omit<DescribeEndpointConfigCommandOutput, "$metadata">,
  wanted: CreateEndpointConfigInput,
): string[] {
  const have = existing.ProductionVariants ?? [];
  const want = wanted.ProductionVariants ?? [];
  if (have.length !== want.length) return ["production variants"];
  const differences = new Set<string>();
  want.forEach((w, index) => {
    const h = have[index];
    if (h?.VariantName !== w.VariantName) differences.add("variant name");
    if (h?.ModelName !== w.ModelName) differences.add("model");
    if (h?.InstanceType !== w.InstanceType) differences.add("instance type");
    if (h?.InitialInstanceCount !== w.InitialInstanceCount) differences.add("instance count");
    const hs = h?.ServerlessConfig;
    const ws = w.ServerlessConfig;
    if (hs?.MemorySizeInMB !== ws?.MemorySizeInMB || hs?.MaxConcurrency !== ws?.MaxConcurrency) {
      differences.add("serverless settings");
    }
  });
  return [...differences];
}
