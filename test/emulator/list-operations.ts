import type { OperationContext } from "./operation-context.js";
import { asString, epochSeconds } from "./shapes.js";
import type { ResourceRecord } from "./store.js";

/** NameContains (case-insensitive), CreationTime or Name order (default: newest first), paged. */
function listResources(
  resources: readonly ResourceRecord[],
  input: Record<string, unknown>,
): { page: ResourceRecord[]; next: { NextToken?: string } } {
  const nameContains = asString(input.NameContains)?.toLowerCase();
  const byName = input.SortBy === "Name";
  const matching = resources
    .filter((r) => nameContains === undefined || r.name.toLowerCase().includes(nameContains))
    .sort((a, b) => (byName ? a.name.localeCompare(b.name) : a.creationTime - b.creationTime));
  if (input.SortOrder !== "Ascending") matching.reverse();
  const start = Number(asString(input.NextToken) ?? 0) || 0;
  const size = typeof input.MaxResults === "number" ? input.MaxResults : 10;
  const page = matching.slice(start, start + size);
  return { page, next: start + size < matching.length ? { NextToken: String(start + size) } : {} };
}

/** ListModels: name, ARN and CreationTime of each model. */
export function listModels(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const { page, next } = listResources(ctx.store.models(), input);
  return {
    Models: page.map((m) => ({
      ModelName: m.name,
      ModelArn: m.arn,
      CreationTime: epochSeconds(m.creationTime),
    })),
    ...next,
  };
}

/** ListEndpointConfigs: name, ARN and CreationTime of each endpoint config. */
export function listEndpointConfigs(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const { page, next } = listResources(ctx.store.configs(), input);
  return {
    EndpointConfigs: page.map((c) => ({
      EndpointConfigName: c.name,
      EndpointConfigArn: c.arn,
      CreationTime: epochSeconds(c.creationTime),
    })),
    ...next,
  };
}
