import type {
  CreateEndpointConfigInput,
  CreateModelInput,
  ProductionVariant,
} from "@aws-sdk/client-sagemaker";
import type { EndpointConfig, Model } from "./shared/sagemaker-gateway.js";

/** What an update changes and what it would take away from the running endpoint. */
export interface UpdateReview {
  /** Readable lines: `variant AllTraffic: instance type ml.m5.large → ml.m5.xlarge`. */
  readonly changes: readonly string[];
  /** What the running endpoint has that the update would remove (refused without allow-removal). */
  readonly removals: readonly string[];
}

/** The running endpoint, as read before the update. */
export interface RunningEndpoint {
  readonly config: EndpointConfig;
  /** The models of the running production variants, by model name, where they could be read. */
  readonly models: ReadonlyMap<string, Model>;
}

type VariantLike = Pick<
  ProductionVariant,
  | "VariantName"
  | "ModelName"
  | "InstanceType"
  | "InitialInstanceCount"
  | "InitialVariantWeight"
  | "ServerlessConfig"
  | "ManagedInstanceScaling"
>;

function describeVariant(v: VariantLike): string {
  if (v.ServerlessConfig)
    return `serverless ${v.ServerlessConfig.MemorySizeInMB} MB × ${v.ServerlessConfig.MaxConcurrency}`;
  const weight = v.InitialVariantWeight !== undefined ? `, weight ${v.InitialVariantWeight}` : "";
  return `${v.InstanceType ?? "?"} × ${v.InitialInstanceCount ?? "?"}${weight}`;
}

function imagesOf(model: Pick<CreateModelInput, "PrimaryContainer" | "Containers"> | undefined) {
  const containers = model?.PrimaryContainer ? [model.PrimaryContainer] : (model?.Containers ?? []);
  return containers.map((c) => c.Image ?? c.ModelPackageName ?? "?").join(", ");
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function variantChanges(
  kind: string,
  running: readonly VariantLike[],
  wanted: readonly VariantLike[],
  models: { readonly running: ReadonlyMap<string, Model>; readonly wanted: CreateModelInput },
  out: { changes: string[]; removals: string[] },
): void {
  const byName = new Map(running.map((v) => [v.VariantName, v]));
  for (const want of wanted) {
    const have = byName.get(want.VariantName);
    const label = `${kind} ${want.VariantName}`;
    if (!have) {
      out.changes.push(`+ ${label} (${describeVariant(want)})`);
      continue;
    }
    byName.delete(want.VariantName);
    const pairs: [string, unknown, unknown][] = [
      ["instance type", have.InstanceType, want.InstanceType],
      ["instance count", have.InitialInstanceCount, want.InitialInstanceCount],
      ["weight", have.InitialVariantWeight, want.InitialVariantWeight],
      ["serverless", have.ServerlessConfig, want.ServerlessConfig],
    ];
    for (const [what, from, to] of pairs)
      if (!same(from, to))
        out.changes.push(
          `${label}: ${what} ${JSON.stringify(from ?? null)} → ${JSON.stringify(to ?? null)}`,
        );
    const before = have.ModelName ? imagesOf(models.running.get(have.ModelName)) : "";
    const after = want.ModelName === models.wanted.ModelName ? imagesOf(models.wanted) : "";
    if (have.ModelName !== want.ModelName)
      out.changes.push(
        `${label}: model ${have.ModelName ?? "?"}${before ? ` (${before})` : ""} → ${want.ModelName ?? "?"}${after ? ` (${after})` : ""}`,
      );
    if (have.ManagedInstanceScaling && !want.ManagedInstanceScaling)
      out.removals.push(`managed instance scaling of ${label} (ManagedInstanceScaling)`);
    // Serverless capacity kept warm: without it every cold invocation pays a start-up.
    if (
      have.ServerlessConfig?.ProvisionedConcurrency !== undefined &&
      want.ServerlessConfig?.ProvisionedConcurrency === undefined
    )
      out.removals.push(
        `provisioned concurrency of ${label} (ServerlessConfig.ProvisionedConcurrency ${have.ServerlessConfig.ProvisionedConcurrency})`,
      );
  }
  for (const gone of byName.values()) {
    out.changes.push(`- ${kind} ${gone.VariantName} (${describeVariant(gone)})`);
    out.removals.push(`${kind} ${gone.VariantName}`);
  }
}

function settingChange(
  what: string,
  member: string,
  running: unknown,
  wanted: unknown,
  out: { changes: string[]; removals: string[] },
): void {
  if (same(running, wanted)) return;
  if (running !== undefined && wanted === undefined) {
    out.changes.push(`- ${what}`);
    out.removals.push(`${what} (${member})`);
  } else out.changes.push(running === undefined ? `+ ${what}` : `~ ${what} changed`);
}

/**
 * Compares the running endpoint config (and its models) with the one this run deploys: a
 * readable diff for the plan, and what the update would remove from the endpoint.
 */
export function reviewUpdate(
  running: RunningEndpoint,
  wanted: { readonly config: CreateEndpointConfigInput; readonly model: CreateModelInput },
): UpdateReview {
  const out = { changes: [] as string[], removals: [] as string[] };
  const have = running.config;
  const want = wanted.config;
  const models = { running: running.models, wanted: wanted.model };
  variantChanges(
    "variant",
    have.ProductionVariants ?? [],
    want.ProductionVariants ?? [],
    models,
    out,
  );
  variantChanges(
    "shadow variant",
    have.ShadowProductionVariants ?? [],
    want.ShadowProductionVariants ?? [],
    models,
    out,
  );
  const capture = (c: typeof have.DataCaptureConfig) =>
    c && c.EnableCapture !== false ? c : undefined;
  settingChange(
    "data capture",
    "DataCaptureConfig",
    capture(have.DataCaptureConfig),
    capture(want.DataCaptureConfig),
    out,
  );
  settingChange(
    "asynchronous inference",
    "AsyncInferenceConfig",
    have.AsyncInferenceConfig,
    want.AsyncInferenceConfig,
    out,
  );
  settingChange("the KMS key", "KmsKeyId", have.KmsKeyId, want.KmsKeyId, out);
  const runningModel = [...running.models.values()][0];
  if (runningModel) {
    settingChange(
      "the model's VPC",
      "VpcConfig",
      runningModel.VpcConfig,
      wanted.model.VpcConfig,
      out,
    );
    if (runningModel.EnableNetworkIsolation && !wanted.model.EnableNetworkIsolation) {
      out.changes.push("- network isolation");
      out.removals.push("the model's network isolation (EnableNetworkIsolation)");
    }
  }
  return out;
}
