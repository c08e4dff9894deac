import { isRecord } from "../../src/shared/patterns.js";

export { isRecord };

/** The value if it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value if it is an object, else an empty object. */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The value if it is an array, else an empty array. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** SageMaker's `Tags: [{Key, Value}]` as a map (later keys win). */
export function tagsToMap(tags: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of asList(tags)) {
    const key = asString(asRecord(tag).Key);
    if (key !== undefined) map[key] = asString(asRecord(tag).Value) ?? "";
  }
  return map;
}

/** A tag map as SageMaker's `[{Key, Value}]`. */
export function mapToTags(map: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}

/** Epoch milliseconds as the epoch seconds awsJson1_1 puts on the wire. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
