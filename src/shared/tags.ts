/**
 * Tags the action writes so anyone can trace a resource back to the run that made it, and so
 * the companion Lambda can find the callback target from an EventBridge event alone.
 */
export const TAG_KEYS = {
  repository: "sagemaker-deploy:repository",
  commit: "sagemaker-deploy:commit",
  runId: "sagemaker-deploy:run-id",
  runAttempt: "sagemaker-deploy:run-attempt",
  workflow: "sagemaker-deploy:workflow",
  /** A random id per deploy: tells "created by this run" from "created by someone else". */
  deployId: "sagemaker-deploy:deploy-id",
  callbackWorkflow: "sagemaker-deploy:callback-workflow",
  callbackRef: "sagemaker-deploy:callback-ref",
  expectedConfig: "sagemaker-deploy:expected-config",
  deadline: "sagemaker-deploy:deadline",
  reported: "sagemaker-deploy:reported",
  /** How long the endpoint's last create and update took (learned poll timing). */
  timing: "sagemaker-deploy:timing",
} as const;

/** How many tags the action writes itself; user tags must leave room (SageMaker allows 50). */
export const RESERVED_TAG_COUNT = Object.keys(TAG_KEYS).length;

/** A SageMaker tag. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** SageMaker's longest tag value. */
export const MAX_TAG_VALUE_LENGTH = 256;

/** Characters SageMaker allows in tag values; anything else becomes `_`. */
export function sanitizeTagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, "_").slice(0, MAX_TAG_VALUE_LENGTH);
}

/**
 * Stores any text in a tag value losslessly: `=` and every character SageMaker refuses in tag
 * values become `=XX` (UTF-8 bytes in hex), so `fix#12(hotfix)` is `fix=2312=28hotfix=29`.
 * Answers `undefined` when the encoded text would not fit in a tag.
 */
export function encodeTagValue(text: string): string | undefined {
  let encoded = "";
  for (const char of text) {
    if (/^[\p{L}\p{Z}\p{N}_.:/+\-@]$/u.test(char)) encoded += char;
    else
      for (const byte of new TextEncoder().encode(char))
        encoded += `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded.length <= MAX_TAG_VALUE_LENGTH ? encoded : undefined;
}

/** Reverses {@link encodeTagValue}; `undefined` for a value it cannot have written. */
export function decodeTagValue(value: string): string | undefined {
  if (!/^(?:[^=]|=[0-9A-F]{2})*$/.test(value)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; ) {
    if (value[i] === "=") {
      bytes.push(Number.parseInt(value.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const codePoint = value.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...new TextEncoder().encode(char));
      i += char.length;
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

/** Turns a SageMaker tag list into a map (later duplicates win). */
export function tagsToRecord(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? "";
  return record;
}
