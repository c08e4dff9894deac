/**
 * SageMaker's own constraints, checked before any call so a bad input creates nothing.
 * Patterns are those of the SageMaker API reference.
 */
export const PATTERNS = {
  /** ModelName, EndpointConfigName, EndpointName, VariantName. */
  resourceName: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/,
  roleArn: /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/,
  modelDataUrl: /^(https|s3):\/\/([^/\s]+)\/?(\S*)$/,
  image: /^[^\s]{1,255}$/,
  instanceType: /^ml\.[a-z0-9]+\.[a-z0-9]+$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  environmentKey: /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/,
  tagKey: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  tagValue: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  lambdaFunction:
    /^(arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:)?[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/,
  /**
   * GitHub's `owner/repo`: an owner of letters, digits and inner hyphens (at most 39), a
   * repository of letters, digits, `.`, `_` and `-`, but never `.` or `..`.
   */
  repository:
    /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/,
  workflowFile: /^([A-Za-z0-9_.-]{1,200}\.ya?ml|\d{1,20})$/,
  gitRef: /^[^\s~^:?*[\\\p{Cc}]{1,255}$/u,
} as const;

/** True for a plain object (not null, not an array): the one guard for untrusted JSON. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
