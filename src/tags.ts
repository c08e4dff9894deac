/**
 * Tags the action writes so anyone can trace a resource back to the run that made it, and so
 * the companion Lambda can find the callback target from an EventBridge event alone.
 */
export const TAG_KEYS = {
  repository: "sagemaker-deploy:repository",
  commit: "sagemaker-deploy:commit",
  runId: "sagemaker-deploy:run-id",
  workflow: "sagemaker-deploy:workflow",
  /** A random id per deploy: tells "created by this run" from "created by someone else". */
  deployId: "sagemaker-deploy:deploy-id",
  callbackWorkflow: "sagemaker-deploy:callback-workflow",
  callbackRef: "sagemaker-deploy:callback-ref",
  expectedConfig: "sagemaker-deploy:expected-config",
  deadline: "sagemaker-deploy:deadline",
  reported: "sagemaker-deploy:reported",
} as const;

export type TagKey = (typeof TAG_KEYS)[keyof typeof TAG_KEYS];

/** A SageMaker tag. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Characters SageMaker allows in tag values; anything else becomes `_`. */
export function sanitizeTagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, 256);
}

/** Turns a SageMaker tag list into a map (later duplicates win). */
export function tagsToRecord(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? "";
  return record;
}
