import { validationError } from "./api-error.js";
import { instanceCountOf, refuseAutoscaledChanges } from "./autoscaling-operations.js";
import { requireConfig } from "./config-operations.js";
import {
  currentView,
  lagReads,
  type PastView,
  startCreate,
  startDelete,
  startUpdate,
  takeLaggingRead,
} from "./lifecycle.js";
import type { OperationContext } from "./operation-context.js";
import { ARN_KIND, arnOf } from "./operation-context.js";
import { asList, asRecord, asString, epochSeconds, tagsToMap } from "./shapes.js";
import type { EndpointRecord } from "./store.js";
import { ENDPOINT_STATUS } from "./types.js";
import {
  assertNoProblems,
  validateCreateEndpoint,
  validateName,
  validateUpdateEndpoint,
} from "./validation.js";

/** The endpoint, or SageMaker's `Could not find endpoint "<name>".` */
function requireEndpoint(ctx: OperationContext, name: string): EndpointRecord {
  const endpoint = ctx.store.endpoint(name);
  if (endpoint !== undefined) return endpoint;
  throw validationError(`Could not find endpoint "${name}".`);
}

function clock(ctx: OperationContext) {
  return { start: ctx.now, timeScale: ctx.timeScale };
}

/** CreateEndpoint: validate, refuse duplicates, need the config, then play the create lifecycle. */
export function createEndpoint(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateCreateEndpoint(input));
  const name = String(input.EndpointName);
  const existing = ctx.store.endpoint(name);
  if (existing !== undefined) {
    throw validationError(`Cannot create already existing endpoint "${existing.arn}".`);
  }
  const config = requireConfig(ctx, String(input.EndpointConfigName));
  const endpoint: EndpointRecord = {
    name,
    arn: arnOf(ctx, ARN_KIND.endpoint, name),
    creationTime: ctx.now,
    lastModifiedTime: ctx.now,
    tags: tagsToMap(input.Tags),
    status: ENDPOINT_STATUS.creating,
    configName: config.name,
    steps: [],
  };
  const lifecycle = ctx.lifecycleFor(name);
  startCreate(endpoint, lifecycle.create, clock(ctx));
  lagReads(endpoint, lifecycle.staleReads.afterCreate, "not-found");
  ctx.store.putEndpoint(endpoint);
  return { EndpointArn: endpoint.arn };
}

/** UpdateEndpoint: only from InService; the endpoint keeps its old config until the update succeeds. */
export function updateEndpoint(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateUpdateEndpoint(input));
  const endpoint = requireEndpoint(ctx, String(input.EndpointName));
  const config = requireConfig(ctx, String(input.EndpointConfigName));
  if (endpoint.status !== ENDPOINT_STATUS.inService) {
    throw validationError(`Cannot update in-progress endpoint "${endpoint.arn}".`);
  }
  refuseAutoscaledChanges(ctx, endpoint, config);
  const lifecycle = ctx.lifecycleFor(endpoint.name);
  const before = currentView(endpoint);
  startUpdate(endpoint, lifecycle.update, config.name, clock(ctx));
  lagReads(endpoint, lifecycle.staleReads.afterUpdate, before);
  return { EndpointArn: endpoint.arn };
}

/** DeleteEndpoint: Deleting, then gone after the lifecycle's deleteAfterMs. */
export function deleteEndpoint(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "EndpointName"));
  const endpoint = requireEndpoint(ctx, String(input.EndpointName));
  if (endpoint.status !== ENDPOINT_STATUS.deleting) {
    startDelete(endpoint, ctx.lifecycleFor(endpoint.name).deleteAfterMs, clock(ctx));
  }
  ctx.store.scaling.forgetEndpoint(endpoint.name);
  return {};
}

/** Statuses in which an endpoint has never run, so DescribeEndpoint shows no variants. */
const NEVER_RAN: readonly string[] = [ENDPOINT_STATUS.creating, ENDPOINT_STATUS.failed];

/** DescribeEndpoint's ProductionVariants, from the config the endpoint runs on. */
function describeVariants(
  ctx: OperationContext,
  endpoint: { status: string; configName: string },
): unknown[] | undefined {
  const config = ctx.store.config(endpoint.configName);
  if (config === undefined || NEVER_RAN.includes(endpoint.status)) return undefined;
  return asList(config.input.ProductionVariants).map((value) => {
    const variant = asRecord(value);
    const weight = variant.InitialVariantWeight ?? 1;
    const count = instanceCountOf(ctx, endpoint, variant);
    const capacity =
      variant.ServerlessConfig === undefined
        ? { CurrentInstanceCount: count, DesiredInstanceCount: count }
        : {
            CurrentServerlessConfig: variant.ServerlessConfig,
            DesiredServerlessConfig: variant.ServerlessConfig,
          };
    return {
      VariantName: variant.VariantName,
      CurrentWeight: weight,
      DesiredWeight: weight,
      ...capacity,
    };
  });
}

/** A lagging read: "not found" just after a create, or the endpoint as it was before an update. */
function describePast(
  ctx: OperationContext,
  endpoint: EndpointRecord,
  past: PastView,
): Record<string, unknown> {
  ctx.noteFault("stale-read");
  if (past === "not-found") throw validationError(`Could not find endpoint "${endpoint.name}".`);
  return {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    EndpointConfigName: past.configName,
    EndpointStatus: past.status,
    ...(past.failureReason === undefined ? {} : { FailureReason: past.failureReason }),
    CreationTime: epochSeconds(endpoint.creationTime),
    LastModifiedTime: epochSeconds(past.lastModifiedTime),
    ProductionVariants: describeVariants(ctx, past),
  };
}

/**
 * DescribeEndpoint: status per lifecycle; during an update, PendingDeploymentSummary names the
 * new config. Just after a create or update with Lifecycle.staleReads, the past view instead.
 */
export function describeEndpoint(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "EndpointName"));
  const endpoint = requireEndpoint(ctx, String(input.EndpointName));
  const past = takeLaggingRead(endpoint);
  if (past !== undefined) return describePast(ctx, endpoint, past);
  const pending = endpoint.pending;
  return {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    EndpointConfigName: endpoint.configName,
    EndpointStatus: endpoint.status,
    ...(endpoint.failureReason === undefined ? {} : { FailureReason: endpoint.failureReason }),
    CreationTime: epochSeconds(endpoint.creationTime),
    LastModifiedTime: epochSeconds(endpoint.lastModifiedTime),
    ProductionVariants: describeVariants(ctx, endpoint),
    PendingDeploymentSummary:
      pending === undefined
        ? undefined
        : { EndpointConfigName: pending.configName, StartTime: epochSeconds(pending.startTime) },
  };
}

function endpointSummary(endpoint: EndpointRecord): Record<string, unknown> {
  return {
    EndpointName: endpoint.name,
    EndpointArn: endpoint.arn,
    CreationTime: epochSeconds(endpoint.creationTime),
    LastModifiedTime: epochSeconds(endpoint.lastModifiedTime),
    EndpointStatus: endpoint.status,
  };
}

/** ListEndpoints: NameContains, StatusEquals, newest first, MaxResults/NextToken paging. */
export function listEndpoints(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const nameContains = asString(input.NameContains)?.toLowerCase();
  const status = asString(input.StatusEquals);
  const matching = ctx.store
    .endpoints()
    .filter((e) => nameContains === undefined || e.name.toLowerCase().includes(nameContains))
    .filter((e) => status === undefined || e.status === status)
    .sort((a, b) => b.creationTime - a.creationTime);
  const start = Number(asString(input.NextToken) ?? 0) || 0;
  const size = typeof input.MaxResults === "number" ? input.MaxResults : 10;
  const page = matching.slice(start, start + size);
  const next = start + size < matching.length ? { NextToken: String(start + size) } : {};
  return { Endpoints: page.map(endpointSummary), ...next };
}
