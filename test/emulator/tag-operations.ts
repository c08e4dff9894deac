import { validationError } from "./api-error.js";
import type { OperationContext } from "./operation-context.js";
import { mapToTags, tagsToMap } from "./shapes.js";
import { assertNoProblems, validateAddTags, validateResourceArn } from "./validation.js";

function requireTaggable(ctx: OperationContext, arn: string): { tags: Record<string, string> } {
  const resource = ctx.store.byArn(arn);
  if (resource !== undefined) return resource;
  throw validationError(`Could not find resource "${arn}".`);
}

/** AddTags: merge into the resource's tags (same key: new value). */
export function addTags(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateAddTags(input));
  const resource = requireTaggable(ctx, String(input.ResourceArn));
  Object.assign(resource.tags, tagsToMap(input.Tags));
  return { Tags: input.Tags };
}

/** ListTags: all of the resource's tags in one page. */
export function listTags(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateResourceArn(input));
  const resource = requireTaggable(ctx, String(input.ResourceArn));
  return { Tags: mapToTags(resource.tags) };
}
