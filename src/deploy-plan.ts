import type { CreateEndpointConfigInput, CreateModelInput } from "@aws-sdk/client-sagemaker";
import type { Config, HandoffSpec } from "./inputs.js";
import { configNameFor, modelNameFor } from "./names.js";
import { type Provenance, provenanceTags } from "./provenance.js";
import { endpointConfigRequest, modelRequest } from "./resources.js";
import { encodeTagValue, TAG_KEYS, type Tag } from "./shared/tags.js";

/** The names and requests this run deploys. */
export interface DeployPlan {
  readonly modelName: string;
  readonly configName: string;
  readonly tags: readonly Tag[];
  readonly model: CreateModelInput;
  readonly config: CreateEndpointConfigInput;
}

/** Derives the names (content-addressed unless given) and builds the create requests. */
export function planDeploy(config: Config, provenance: Provenance): DeployPlan {
  const modelName = modelNameFor(config.endpointName, config.model, config.modelName);
  const configName = configNameFor(
    config.endpointName,
    modelName,
    config.variant,
    config.endpointConfigName,
  );
  const tags = [...config.tags, ...provenanceTags(provenance)];
  return {
    modelName,
    configName,
    tags,
    model: modelRequest(modelName, config.model, tags),
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
