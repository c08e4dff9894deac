import { validationError } from "./api-error.js";
import type { OperationContext } from "./operation-context.js";
import { asRecord, asString, epochSeconds } from "./shapes.js";
import type { ResourceStore } from "./store.js";
import { assertNoProblems, validateName } from "./validation.js";

/** A model package version as CreateModelPackage stored it. */
interface PackageRecord {
  readonly groupName: string;
  readonly version: number;
  readonly arn: string;
  readonly creationTime: number;
  readonly input: Record<string, unknown>;
  approval: string;
}

/** The Model Registry of one emulator: groups, and their versions in creation order. */
interface Registry {
  readonly groups: Map<string, { readonly name: string; readonly arn: string }>;
  readonly packages: PackageRecord[];
}

/** SageMaker's approval statuses; a new version is PendingManualApproval unless told. */
const APPROVAL_STATUSES = ["Approved", "Rejected", "PendingManualApproval"] as const;

/**
 * One registry per resource store, so each emulator has its own. It is not part of the store's
 * snapshot, and `reset()` does not empty it: tests create their groups under fresh names.
 */
const registries = new WeakMap<ResourceStore, Registry>();

function registryOf(ctx: OperationContext): Registry {
  let registry = registries.get(ctx.store);
  if (registry === undefined) {
    registry = { groups: new Map(), packages: [] };
    registries.set(ctx.store, registry);
  }
  return registry;
}

function checkApproval(value: unknown): string {
  const status = asString(value) ?? "PendingManualApproval";
  if (!(APPROVAL_STATUSES as readonly string[]).includes(status)) {
    throw validationError(
      `1 validation error detected: Value '${status}' at 'modelApprovalStatus' failed to satisfy constraint: Member must satisfy enum value set: [${APPROVAL_STATUSES.join(", ")}]`,
    );
  }
  return status;
}

/** The group named by a name or a group ARN (`…:model-package-group/<name>`). */
function groupNameOf(nameOrArn: string): string {
  return nameOrArn.replace(/^arn:aws[a-z-]*:sagemaker:[^:]+:\d{12}:model-package-group\//, "");
}

function findPackage(ctx: OperationContext, nameOrArn: string): PackageRecord {
  const wanted = nameOrArn.toLowerCase();
  const found = registryOf(ctx).packages.find((p) => p.arn.toLowerCase() === wanted);
  if (found !== undefined) return found;
  throw validationError(`ModelPackage ${nameOrArn} does not exist.`);
}

/** CreateModelPackageGroup: a named group for versions. */
export function createModelPackageGroup(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  assertNoProblems(validateName(input, "ModelPackageGroupName"));
  const name = String(input.ModelPackageGroupName);
  const groups = registryOf(ctx).groups;
  const existing = groups.get(name.toLowerCase());
  if (existing !== undefined) {
    throw validationError(`Model Package Group already exists: ${existing.arn}`);
  }
  const arn = `arn:aws:sagemaker:${ctx.region}:${ctx.accountId}:model-package-group/${name.toLowerCase()}`;
  groups.set(name.toLowerCase(), { name, arn });
  return { ModelPackageGroupArn: arn };
}

/** CreateModelPackage: the next version of a group (versioned packages only). */
export function createModelPackage(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const groupName = groupNameOf(asString(input.ModelPackageGroupName) ?? "");
  const registry = registryOf(ctx);
  const group = registry.groups.get(groupName.toLowerCase());
  if (group === undefined) {
    throw validationError(`Model Package Group ${groupName} does not exist.`);
  }
  const containers = asRecord(input.InferenceSpecification).Containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw validationError("InferenceSpecification.Containers must have at least one container.");
  }
  const version = registry.packages.filter((p) => p.groupName === group.name).length + 1;
  const record: PackageRecord = {
    groupName: group.name,
    version,
    arn: `arn:aws:sagemaker:${ctx.region}:${ctx.accountId}:model-package/${group.name.toLowerCase()}/${version}`,
    creationTime: ctx.now,
    input: structuredClone(input),
    approval: checkApproval(input.ModelApprovalStatus),
  };
  registry.packages.push(record);
  return { ModelPackageArn: record.arn };
}

/** UpdateModelPackage: approval status only. */
export function updateModelPackage(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const record = findPackage(ctx, asString(input.ModelPackageArn) ?? "");
  if (input.ModelApprovalStatus !== undefined) {
    record.approval = checkApproval(input.ModelApprovalStatus);
  }
  return { ModelPackageArn: record.arn };
}

function summary(record: PackageRecord): Record<string, unknown> {
  return {
    ModelPackageName: record.groupName,
    ModelPackageGroupName: record.groupName,
    ModelPackageVersion: record.version,
    ModelPackageArn: record.arn,
    CreationTime: epochSeconds(record.creationTime),
    ModelPackageStatus: "Completed",
    ModelApprovalStatus: record.approval,
  };
}

/** DescribeModelPackage: what was created, with SageMaker's status fields. */
export function describeModelPackage(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const record = findPackage(ctx, asString(input.ModelPackageName) ?? "");
  return {
    ...summary(record),
    ...(record.input.ModelPackageDescription === undefined
      ? {}
      : { ModelPackageDescription: record.input.ModelPackageDescription }),
    InferenceSpecification: record.input.InferenceSpecification,
    ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
    CertifyForMarketplace: false,
  };
}

/** ListModelPackages: group and approval filters, CreationTime or Name order, paged. */
export function listModelPackages(
  ctx: OperationContext,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const group = asString(input.ModelPackageGroupName);
  const approval = asString(input.ModelApprovalStatus);
  const byName = input.SortBy === "Name";
  const ascending = input.SortOrder === "Ascending";
  const matching = registryOf(ctx)
    .packages.filter(
      (p) => group === undefined || p.groupName.toLowerCase() === groupNameOf(group).toLowerCase(),
    )
    .filter((p) => approval === undefined || p.approval === approval)
    .sort((a, b) =>
      byName
        ? a.arn.localeCompare(b.arn)
        : a.creationTime - b.creationTime || a.version - b.version,
    );
  if (!ascending) matching.reverse();
  const start = Number(asString(input.NextToken) ?? 0) || 0;
  const size = typeof input.MaxResults === "number" ? input.MaxResults : 10;
  const page = matching.slice(start, start + size);
  const next = start + size < matching.length ? { NextToken: String(start + size) } : {};
  return { ModelPackageSummaryList: page.map(summary), ...next };
}
