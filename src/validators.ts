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
  workflowFile: /^([A-Za-z0-9_.-]{1,200}\.ya?ml|\d{1,20})$/,
  gitRef: /^[^\s~^:?*[\\\p{Cc}]{1,255}$/u,
} as const;

/** Quotes a user value for an error message: JSON-escaped (no newlines or control bytes), shortened. */
export function quote(value: string, max = 80): string {
  const short = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(short);
}

/** Replaces control characters so a value from AWS or a user cannot start a workflow command. */
export function printable(value: string): string {
  return value.replace(/\p{Cc}+/gu, " ");
}

/** Parses a whole, positive number in [min, max]; `undefined` when it is not one. */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** Parses YAML 1.2 core booleans as GitHub's `getBooleanInput` does. */
export function parseBoolean(text: string): boolean | undefined {
  if (["true", "True", "TRUE"].includes(text)) return true;
  if (["false", "False", "FALSE"].includes(text)) return false;
  return undefined;
}

/** One `KEY=VALUE` a line (blank lines and `#` comments skipped); problems name the line. */
export function parseKeyValueLines(text: string): {
  pairs: [string, string][];
  problems: string[];
} {
  const pairs: [string, string][] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const at = line.indexOf("=");
    if (at <= 0) {
      problems.push(`line ${index + 1} is not KEY=VALUE`);
      return;
    }
    pairs.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  });
  return { pairs, problems };
}
