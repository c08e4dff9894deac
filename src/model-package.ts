import type { CreateModelInput } from "@aws-sdk/client-sagemaker";
import type { Log } from "./ports.js";
import type { ModelPackageRef } from "./release-inputs.js";
import { DeployError } from "./shared/errors.js";
import type { ModelPackage, SageMakerGateway } from "./shared/sagemaker-gateway.js";
import { sanitizeTagValue, type Tag } from "./shared/tags.js";

/** The tag that records the package version a model was created from. */
export const MODEL_PACKAGE_TAG_KEY = "sagemaker-deploy:model-package";

/** A package version checked fit to deploy. */
export interface ResolvedPackage {
  readonly arn: string;
  readonly group?: string;
  readonly version?: number;
  readonly approval: string;
  /** The package's containers, for the summary and the content identity. */
  readonly containers: readonly {
    readonly image?: string;
    readonly imageDigest?: string;
    readonly modelDataUrl?: string;
  }[];
}

/** Options for {@link resolveModelPackage}. */
export interface ResolvePackageOptions {
  readonly gateway: SageMakerGateway;
  readonly ref: ModelPackageRef;
  readonly allowUnapproved: boolean;
  /** The deploy's region: SageMaker creates a model only from a package in its own region. */
  readonly region: string;
  readonly log: Log;
}

const NOTHING = "Nothing was created.";

async function latestApproved(gateway: SageMakerGateway, group: string): Promise<string> {
  const [latest] = await gateway.listModelPackages(
    {
      ModelPackageGroupName: group,
      ModelApprovalStatus: "Approved",
      SortBy: "CreationTime",
      SortOrder: "Descending",
    },
    1,
  );
  if (latest?.ModelPackageArn) return latest.ModelPackageArn;
  throw new DeployError(
    `model-package: group '${group}' has no Approved version. Approve one (aws sagemaker update-model-package --model-package-arn ARN --model-approval-status Approved) and re-run. ${NOTHING}`,
  );
}

function label(described: ModelPackage, arn: string): string {
  return described.ModelPackageVersion !== undefined && described.ModelPackageGroupName
    ? `version ${described.ModelPackageVersion} of '${described.ModelPackageGroupName}'`
    : `'${arn}'`;
}

/** Refuses a package SageMaker cannot deploy here, or one not Approved (unless allowed). */
function checkFit(described: ModelPackage, arn: string, options: ResolvePackageOptions): void {
  const what = `model-package: ${label(described, arn)}`;
  const region = arn.split(":")[3];
  if (region !== options.region) {
    throw new DeployError(
      `${what} is in ${region}, but the endpoint is in ${options.region}: SageMaker creates a model only from a package in its own region. ${NOTHING}`,
    );
  }
  if (described.ModelPackageStatus !== "Completed") {
    throw new DeployError(
      `${what} is ${described.ModelPackageStatus ?? "in an unknown status"}, not Completed, so it cannot be deployed yet. ${NOTHING}`,
    );
  }
  const approval = described.ModelApprovalStatus ?? "PendingManualApproval";
  if (approval !== "Approved" && !options.allowUnapproved) {
    throw new DeployError(
      `${what} is ${approval}, not Approved. Approve it, or set allow-unapproved: true to deploy it anyway. ${NOTHING}`,
    );
  }
  if ((described.InferenceSpecification?.Containers ?? []).length === 0) {
    throw new DeployError(`${what} has no inference containers to deploy. ${NOTHING}`);
  }
}

/**
 * Finds the package version to deploy: the ARN given, or the group's latest Approved version
 * (ListModelPackages, newest first), then DescribeModelPackage, whose answer decides: it must
 * be Completed, in the endpoint's region, and Approved unless `allowUnapproved`.
 */
export async function resolveModelPackage(
  options: ResolvePackageOptions,
): Promise<ResolvedPackage> {
  const { gateway, ref } = options;
  const arn = ref.kind === "version" ? ref.arn : await latestApproved(gateway, ref.group);
  const described = await gateway.describeModelPackage(arn);
  if (described === undefined) {
    throw new DeployError(`model-package: '${arn}' does not exist. ${NOTHING}`);
  }
  checkFit(described, arn, options);
  const approval = described.ModelApprovalStatus ?? "PendingManualApproval";
  if (approval !== "Approved") {
    options.log.warning(
      `Deploying ${label(described, arn)}, which is ${approval} (allow-unapproved is true).`,
    );
  }
  options.log.info(`model package ${arn}: ${label(described, arn)}, ${approval}`);
  return {
    arn,
    ...(described.ModelPackageGroupName ? { group: described.ModelPackageGroupName } : {}),
    ...(described.ModelPackageVersion !== undefined
      ? { version: described.ModelPackageVersion }
      : {}),
    approval,
    containers: (described.InferenceSpecification?.Containers ?? []).map((c) => ({
      ...(c.Image ? { image: c.Image } : {}),
      ...(c.ImageDigest ? { imageDigest: c.ImageDigest } : {}),
      ...(c.ModelDataUrl ? { modelDataUrl: c.ModelDataUrl } : {}),
    })),
  };
}

/**
 * CreateModel's request for a package version, as AWS documents it: one container naming the
 * package (SageMaker expands it into the package's containers), with the `environment` input
 * as that container's Environment, which SageMaker lays over each package container's own.
 */
export function modelFromPackage(options: {
  readonly modelName: string;
  readonly packageArn: string;
  readonly executionRoleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly tags: readonly Tag[];
}): CreateModelInput {
  const hasEnvironment = Object.keys(options.environment).length > 0;
  return {
    ModelName: options.modelName,
    Containers: [
      {
        ModelPackageName: options.packageArn,
        ...(hasEnvironment ? { Environment: { ...options.environment } } : {}),
      },
    ],
    ExecutionRoleArn: options.executionRoleArn,
    ...(options.tags.length > 0 ? { Tags: [...options.tags] } : {}),
  };
}

/** The tag recording the package version (an ARN always fits SageMaker's tag charset). */
export function packageTags(resolved: ResolvedPackage): Tag[] {
  return [{ Key: MODEL_PACKAGE_TAG_KEY, Value: sanitizeTagValue(resolved.arn) }];
}

/** The outputs of a package deploy: `model-package-arn`, and `image-digest` when the package records it. */
export function packageOutputs(resolved: ResolvedPackage): Record<string, string> {
  const digests = resolved.containers.flatMap((c) => (c.imageDigest ? [c.imageDigest] : []));
  return {
    "model-package-arn": resolved.arn,
    ...(digests.length > 0 ? { "image-digest": digests.join(",") } : {}),
  };
}
