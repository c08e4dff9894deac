import { validationError } from "./api-error.js";
import { createEndpointConfig } from "./config-operations.js";
import { startCreate, startDelete, startUpdate } from "./lifecycle.js";
import { createModel } from "./model-operations.js";
import type { OperationContext } from "./operation-context.js";
import { ARN_KIND, arnOf } from "./operation-context.js";
import { asRecord, tagsToMap } from "./shapes.js";
import type { EndpointRecord } from "./store.js";
import type { EndpointStatus, SeedEndpoint, SeedResources } from "./types.js";
import { ENDPOINT_STATUS } from "./types.js";
import { assertNoProblems, validateName } from "./validation.js";

const STATUSES: readonly string[] = Object.values(ENDPOINT_STATUS);

function isEndpointStatus(value: string): value is EndpointStatus {
  return STATUSES.includes(value);
}

/** Set a transitional status in motion along the endpoint's lifecycle. */
function startSeeded(
  ctx: OperationContext,
  endpoint: EndpointRecord,
  status: EndpointStatus,
): void {
  const lifecycle = ctx.lifecycleFor(endpoint.name);
  const clock = { start: ctx.now, timeScale: ctx.timeScale };
  if (status === ENDPOINT_STATUS.creating) startCreate(endpoint, lifecycle.create, clock);
  if (status === ENDPOINT_STATUS.updating || status === ENDPOINT_STATUS.systemUpdating) {
    startUpdate(endpoint, lifecycle.update, endpoint.configName, clock);
    endpoint.status = status;
    if (status === ENDPOINT_STATUS.systemUpdating) endpoint.pending = undefined;
  }
  if (status === ENDPOINT_STATUS.deleting) startDelete(endpoint, lifecycle.deleteAfterMs, clock);
}

/** An endpoint that existed before the run; its config need not exist (someone may have deleted it). */
function seedEndpoint(ctx: OperationContext, seed: SeedEndpoint): void {
  assertNoProblems(validateName({ ...seed }, "EndpointName"));
  const status = seed.status ?? ENDPOINT_STATUS.inService;
  if (!isEndpointStatus(status)) throw new Error(`seed: unknown endpoint status '${status}'`);
  const existing = ctx.store.endpoint(seed.EndpointName);
  if (existing !== undefined) {
    throw validationError(`Cannot create already existing endpoint "${existing.arn}".`);
  }
  const endpoint: EndpointRecord = {
    name: seed.EndpointName,
    arn: arnOf(ctx, ARN_KIND.endpoint, seed.EndpointName),
    creationTime: ctx.now,
    lastModifiedTime: ctx.now,
    tags: tagsToMap(seed.Tags),
    status,
    configName: seed.EndpointConfigName,
    failureReason: seed.failureReason,
    steps: [],
  };
  startSeeded(ctx, endpoint, status);
  ctx.store.putEndpoint(endpoint);
}

/** A detached JSON copy, as if the input had come over the wire. */
function plain(input: object): Record<string, unknown> {
  return asRecord(JSON.parse(JSON.stringify(input)));
}

/** Create resources as if they existed before the run: validated, but not recorded as requests. */
export function seedResources(ctx: OperationContext, resources: SeedResources): void {
  for (const model of resources.models ?? []) createModel(ctx, plain(model));
  for (const config of resources.endpointConfigs ?? []) createEndpointConfig(ctx, plain(config));
  for (const endpoint of resources.endpoints ?? []) seedEndpoint(ctx, endpoint);
}
