import type { CreateEndpointConfigInput, CreateModelInput } from "@aws-sdk/client-sagemaker";
import type { Config, HandoffSpec } from "./inputs.js";
import { AS_GIVEN, type ModelSource } from "./model-source.js";
import { configNameFor, deriveName, modelNameFor } from "./names.js";
import { type Provenance, provenanceTags } from "./provenance.js";
import { endpointConfigRequest, modelRequest } from "./resources.js";
import { encodeTagValue, TAG_KEYS, type Tag } from "./shared/tags.js";
import { type SpecDeployment, withModelName } from "./spec/merge-spec.js";

/** The names and requests this run deploys. */
export interface DeployPlan {
  readonly modelName: string;
  readonly configName: string;
  readonly tags: readonly Tag[];
  readonly model: CreateModelInput;
  readonly config: CreateEndpointConfigInput;
}

/** With a spec: names hash every member the resource holds; variants default to this model. */
function planFromSpec(config: Config, spec: SpecDeployment, tags: readonly Tag[]): DeployPlan {
  const modelName = config.modelName ?? deriveName(config.endpointName, "model", spec.model);
  const { ProductionVariants, ShadowProductionVariants, ...rest } = spec.endpointConfig;
  const members = {
    ...rest,
    ProductionVariants: withModelName(ProductionVariants, modelName),
    ...(ShadowProductionVariants
      ? { ShadowProductionVariants: withModelName(ShadowProductionVariants, modelName) }
      : {}),
  };
  const configName =
    config.endpointConfigName ?? deriveName(config.endpointName, "config", members);
  return {
    modelName,
    configName,
    tags,
    model: { ModelName: modelName, ...spec.model, ...(tags.length > 0 ? { Tags: [...tags] } : {}) },
    config: {
      EndpointConfigName: configName,
      ...members,
      ...(tags.length > 0 ? { Tags: [...tags] } : {}),
    },
  };
}

/**
 * Derives the names (content-addressed unless given) and builds the create requests. The model
 * is created from what `source` resolved (the pinned image, or the package version), and its
 * name hashes that identity too, so an overwritten object or a re-pushed tag is a new model.
 */
export function planDeploy(
  config: Config,
  provenance: Provenance,
  source: ModelSource = AS_GIVEN,
): DeployPlan {
  const tags = [...config.tags, ...provenanceTags(provenance), ...source.tags];
  if (config.spec) return planFromSpec(config, config.spec, tags);
  const model = source.image ? { ...config.model, image: source.image } : config.model;
  const modelName = modelNameFor(config.endpointName, model, config.modelName, source.identity);
  const configName = configNameFor(
    config.endpointName,
    modelName,
    config.variant,
    config.endpointConfigName,
  );
  return {
    modelName,
    configName,
    tags,
    model: source.packageModel
      ? source.packageModel(modelName, tags)
      : modelRequest(modelName, model, tags),
    config: endpointConfigRequest(configName, modelName, config.variant, tags),
  };
}

/** When the companion Lambda stops waiting: the runner's deadline plus handoff-timeout (ISO 8601). */
export function handoffDeadline(waitDeadline: number, handoff: HandoffSpec): string {
  return new Date(waitDeadline + handoff.timeoutMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The endpoint's tags: the user's, provenance, and what the companion Lambda checks before it
 * reports. The callback tags are always written, empty without hand-off, so an earlier hand-off's
 * callback never answers for this deploy. The ref is stored losslessly (inputs refuse a ref too
 * long to store), so the companion dispatches on exactly the ref the run named.
 */
export function endpointTags(options: {
  readonly plan: DeployPlan;
  readonly handoff: HandoffSpec | undefined;
  readonly provenance: Provenance;
  readonly waitDeadline: number;
}): Tag[] {
  const { plan, handoff, provenance } = options;
  return [
    ...plan.tags,
    { Key: TAG_KEYS.expectedConfig, Value: plan.configName },
    { Key: TAG_KEYS.callbackWorkflow, Value: handoff ? handoff.workflow : "" },
    {
      Key: TAG_KEYS.callbackRef,
      Value: handoff ? (encodeTagValue(handoff.ref ?? provenance.ref) ?? "") : "",
    },
    {
      Key: TAG_KEYS.deadline,
      Value: handoff ? handoffDeadline(options.waitDeadline, handoff) : "",
    },
  ];
}
