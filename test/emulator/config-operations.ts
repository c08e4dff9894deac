import { validationError } from "./api-error.js";
import { requireModel } from "./model-operations.js";
import type { OperationContext } from "./operation-context.js";
import { ARN_KIND, arnOf, withoutTags } from "./operation-context.js";
import { asList, asRecord, epochSeconds, tagsToMap } from "./shapes.js";
import type { ResourceRecord } from "./store.js";
import {
  assertNoProblems,
  validateCreateEndpointConfig,
  validateName,
  variantCapacityProblem,
} from "./validation.js";

/** The config, or SageMaker's `Could not find endpoint configuration "<name>".` */
export function requireConfig(ctx: OperationContext, name: string): ResourceRecord {
  const config = ctx.store.config(name);
  if (config !== undefined) return config;
  throw validationError(`Could not find endpoint configuration "${name}".`);
}

/** CreateEndpointConfig: validate, refuse duplicates, check the models exist, store. */
export function createEndpointConfig(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateCreateEndpointConfig(input));
  const variants = asList(input.ProductionVariants).map(asRecord);
  const capacityProblem = variants.map(variantCapacityProblem).find((p) => p !== undefined);
  if (capacityProblem !== undefined) throw validationError(capacityProblem);
  const name = String(input.EndpointConfigName);
  const existing = ctx.store.config(name);
  if (existing !== undefined) {
    throw validationError(
      `Cannot create already existing endpoint configuration "${existing.arn}".`,
    );
  }
  for (const variant of variants) requireModel(ctx, String(variant.ModelName));
  const arn = arnOf(ctx, ARN_KIND.endpointConfig, name);
  ctx.store.putConfig({ name, arn, input, tags: tagsToMap(input.Tags), creationTime: ctx.now });
  return { EndpointConfigArn: arn };
}

/** DescribeEndpointConfig: what was created, plus ARN and CreationTime. */
export function describeEndpointConfig(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "EndpointConfigName"));
  const config = requireConfig(ctx, String(input.EndpointConfigName));
  return {
    ...withoutTags(config.input),
    EndpointConfigName: config.name,
    EndpointConfigArn: config.arn,
    CreationTime: epochSeconds(config.creationTime),
  };
}

/** DeleteEndpointConfig: immediate; deleting one an endpoint uses is allowed (as in AWS) but recorded. */
export function deleteEndpointConfig(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "EndpointConfigName"));
  const config = requireConfig(ctx, String(input.EndpointConfigName));
  const same = (name: string | undefined) => name?.toLowerCase() === config.name.toLowerCase();
  for (const endpoint of ctx.store.endpoints()) {
    const uses = [endpoint.configName, endpoint.pending?.configName, endpoint.partlyOn];
    if (uses.some(same)) {
      ctx.recordViolation(
        `DeleteEndpointConfig '${config.name}' while endpoint '${endpoint.name}' uses it`,
      );
    }
  }
  ctx.store.deleteConfig(config.name);
  return {};
}
