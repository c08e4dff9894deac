import { createHash } from "node:crypto";
import type { ModelSpec, VariantSpec } from "./inputs.js";

/** SageMaker names are at most 63 characters. */
const MAX_NAME_LENGTH = 63;
/** 12 hex digits: 48 bits, so two different contents practically never share a name. */
const HASH_LENGTH = 12;

/** JSON with object keys sorted, so equal content always hashes alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What every derived name of an endpoint starts with: `<endpoint-name, trimmed>-`. */
export function derivedNamePrefix(endpointName: string): string {
  return `${endpointName.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, "")}-`;
}

/** True for a name {@link deriveName} could have given one of this endpoint's resources. */
export function isDerivedName(endpointName: string, name: string): boolean {
  const prefix = derivedNamePrefix(endpointName);
  const hash = name.slice(prefix.length);
  return (
    name.toLowerCase().startsWith(prefix.toLowerCase()) &&
    new RegExp(`^[0-9a-f]{${HASH_LENGTH}}$`).test(hash)
  );
}

/** `<endpoint-name>-<hash of content>`, trimmed to 63 characters and still a valid name. */
export function deriveName(
  endpointName: string,
  kind: "model" | "config",
  content: unknown,
): string {
  const hash = createHash("sha256")
    .update(`${kind}\n${canonicalJson(content)}`)
    .digest("hex")
    .slice(0, HASH_LENGTH);
  return `${derivedNamePrefix(endpointName)}${hash}`;
}

/**
 * The model's name: the `model-name` input, or derived from what the model holds and what it was
 * resolved to (image digest, model-data version, package version), so new bytes behind the same
 * inputs get a new name. Without an identity the name is what it always was.
 */
export function modelNameFor(
  endpointName: string,
  model: ModelSpec,
  explicit?: string,
  identity: Readonly<Record<string, string>> = {},
): string {
  const content = Object.keys(identity).length > 0 ? { ...model, identity } : model;
  return explicit ?? deriveName(endpointName, "model", content);
}

/** The endpoint config's name: the input, or derived from the model name and the variant. */
export function configNameFor(
  endpointName: string,
  modelName: string,
  variant: VariantSpec,
  explicit?: string,
): string {
  return explicit ?? deriveName(endpointName, "config", { modelName, variant });
}
