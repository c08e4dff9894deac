import type { CreateModelInput } from "@aws-sdk/client-sagemaker";
import type { DeployContext } from "./deploy-context.js";
import type { ModelPackageRef } from "./release-inputs.js";
import type { Tag } from "./shared/tags.js";

/**
 * What the model is made of, resolved before any SageMaker change: the image pinned by digest
 * and the model data's version, or a Model Registry package version.
 */
export interface ModelSource {
  /** The image to create the model with (`repo@sha256:…` once resolved); else the input's. */
  readonly image?: string;
  /** What the model's derived name hashes beside the inputs, so new bytes get a new name. */
  readonly identity: Readonly<Record<string, string>>;
  /** CreateModel's request for a package version; else the model is built from the inputs. */
  readonly packageModel?: (modelName: string, tags: readonly Tag[]) => CreateModelInput;
  readonly tags: readonly Tag[];
  /** image-digest, model-data-version, model-package-arn: those known. */
  readonly outputs: Readonly<Record<string, string>>;
  /** For the job summary. */
  readonly notes: readonly string[];
}

/** A model used as the inputs give it: a spec's containers are created as written. */
export const AS_GIVEN: ModelSource = { identity: {}, tags: [], outputs: {}, notes: [] };

async function fromPackage(ctx: DeployContext, ref: ModelPackageRef): Promise<ModelSource> {
  const { config } = ctx;
  const { modelFromPackage, packageOutputs, packageTags, resolveModelPackage } = await import(
    "./model-package.js"
  );
  const resolved = await resolveModelPackage({
    gateway: ctx.sagemaker,
    ref,
    allowUnapproved: config.release?.allowUnapproved ?? false,
    region: config.region,
    log: ctx.log,
  });
  const which =
    resolved.group !== undefined && resolved.version !== undefined
      ? ` (version ${resolved.version} of ${resolved.group})`
      : "";
  return {
    identity: { modelPackage: resolved.arn },
    packageModel: (modelName, tags) =>
      modelFromPackage({
        modelName,
        packageArn: resolved.arn,
        executionRoleArn: config.model.executionRoleArn,
        environment: config.model.environment,
        tags,
      }),
    tags: packageTags(resolved),
    outputs: packageOutputs(resolved),
    notes: [`Model package: ${resolved.arn}${which}, ${resolved.approval}.`],
  };
}

async function fromContent(ctx: DeployContext): Promise<ModelSource> {
  const { model, region } = ctx.config;
  const { identityNotes, identityOutputs, identityTags, resolveContentIdentity } = await import(
    "./content-identity.js"
  );
  const identity = await resolveContentIdentity({
    image: model.image,
    ...(model.modelDataUrl ? { modelData: { url: model.modelDataUrl } } : {}),
    region,
    gateways: {
      ecr: (at) => ctx.release.ecr(at, ctx.signal),
      s3: (at) => ctx.release.s3(at, ctx.signal),
    },
    log: ctx.log,
  });
  return {
    ...(identity.image ? { image: identity.image.image } : {}),
    // The digest is in the pinned image already; the data version is not in the URL.
    identity: identity.modelData ? { modelDataVersion: identity.modelData.value } : {},
    tags: identityTags(identity),
    outputs: identityOutputs(identity),
    notes: identityNotes(identity),
  };
}

/**
 * Resolves what the model is made of, before any SageMaker change: model-package's version
 * (checked Approved and deployable), or the image's digest and the model data's version.
 * A spec's containers are used as written (an image there is pinned only by its own digest).
 */
export function resolveModelSource(ctx: DeployContext): Promise<ModelSource> {
  const ref = ctx.config.release?.modelPackage;
  if (ref) return fromPackage(ctx, ref);
  if (ctx.config.spec) return Promise.resolve(AS_GIVEN);
  return fromContent(ctx);
}
