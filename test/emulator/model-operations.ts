import { validationError } from "./api-error.js";
import type { OperationContext } from "./operation-context.js";
import { ARN_KIND, arnOf, withoutTags } from "./operation-context.js";
import { asList, asRecord, epochSeconds, tagsToMap } from "./shapes.js";
import type { ResourceRecord } from "./store.js";
import { assertNoProblems, validateCreateModel, validateName } from "./validation.js";

/** The model, or SageMaker's `Could not find model "<arn>".` */
export function requireModel(ctx: OperationContext, name: string): ResourceRecord {
  const model = ctx.store.model(name);
  if (model !== undefined) return model;
  throw validationError(`Could not find model "${arnOf(ctx, ARN_KIND.model, name)}".`);
}

/** CreateModel: validate, refuse duplicates, store. */
export function createModel(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateCreateModel(input));
  const name = String(input.ModelName);
  const existing = ctx.store.model(name);
  if (existing !== undefined) {
    throw validationError(`Cannot create already existing model "${existing.arn}".`);
  }
  const arn = arnOf(ctx, ARN_KIND.model, name);
  ctx.store.putModel({ name, arn, input, tags: tagsToMap(input.Tags), creationTime: ctx.now });
  return { ModelArn: arn };
}

/** DescribeModel: what was created, plus ARN and CreationTime. */
export function describeModel(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "ModelName"));
  const model = requireModel(ctx, String(input.ModelName));
  return {
    EnableNetworkIsolation: false,
    ...withoutTags(model.input),
    ModelName: model.name,
    ModelArn: model.arn,
    CreationTime: epochSeconds(model.creationTime),
  };
}

/** DeleteModel: immediate; a config still naming it is allowed (as in AWS) but recorded. */
export function deleteModel(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "ModelName"));
  const model = requireModel(ctx, String(input.ModelName));
  for (const config of ctx.store.configs()) {
    const variants = asList(config.input.ProductionVariants).map(asRecord);
    if (variants.some((v) => String(v.ModelName).toLowerCase() === model.name.toLowerCase())) {
      ctx.recordViolation(
        `DeleteModel '${model.name}' still referenced by config '${config.name}'`,
      );
    }
  }
  ctx.store.deleteModel(model.name);
  return {};
}
