import { createHash } from "node:crypto";
import type { EcrGateway } from "./ecr-gateway.js";
import type { Log } from "./ports.js";
import type { S3Gateway } from "./s3-gateway.js";
import { DeployError, errorMessage } from "./shared/errors.js";
import { encodeTagValue, sanitizeTagValue, type Tag } from "./shared/tags.js";

/**
 * Tags that record what the model was created from (beside the provenance tags), so the
 * resource says which bytes it serves even when the inputs named a moving tag or object.
 */
export const IDENTITY_TAG_KEYS = {
  imageDigest: "sagemaker-deploy:image-digest",
  modelDataVersion: "sagemaker-deploy:model-data-version",
} as const;

/** Objects a model-data prefix may hold before it is refused as too large to fingerprint. */
export const MAX_LISTED_OBJECTS = 100_000;

/** Builds the gateways lazily, so their SDK clients load only for a deploy that needs them. */
export interface IdentityGateways {
  readonly ecr: (region: string) => Promise<EcrGateway>;
  readonly s3: (region: string) => Promise<S3Gateway>;
}

/** The image as the model will be created with it. */
export interface ImageIdentity {
  /** The URI to put in the model: `repo@sha256:…` when the digest is known, else as given. */
  readonly image: string;
  /** `sha256:…`, when the image is pinned. */
  readonly digest?: string;
  /** The tag it was resolved from, if any. */
  readonly tag?: string;
}

/** What identifies the model data: its S3 version, its ETag, or a fingerprint of a prefix. */
export interface ModelDataIdentity {
  readonly url: string;
  readonly kind: "version-id" | "etag" | "listing";
  /** The VersionId, the ETag (unquoted), or `sha256:<hex>` of the listing's keys and ETags. */
  readonly value: string;
  /** For a listing: how many objects it holds. */
  readonly objects?: number;
}

/** Everything resolved before any SageMaker call. */
export interface ContentIdentity {
  readonly image?: ImageIdentity;
  readonly modelData?: ModelDataIdentity;
}

/** An ECR image URI: `<acct>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag][@digest]`. */
const ECR_IMAGE =
  /^(?<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(?<repo>[a-z0-9][a-z0-9._/-]*?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;
const DIGEST_SUFFIX = /@(sha256:[a-f0-9]{64})$/;

/** `s3://bucket/key`, `https://bucket.s3[.region].amazonaws.com/key`, `https://s3[.region].amazonaws.com/bucket/key`. */
const S3_URL = /^s3:\/\/(?<bucket>[^/]+)\/?(?<key>.*)$/;
const S3_VIRTUAL_HOST =
  /^https:\/\/(?<bucket>[a-z0-9][a-z0-9.-]*[a-z0-9])\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?\/(?<key>.*)$/;
const S3_PATH_STYLE =
  /^https:\/\/s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?\/(?<bucket>[^/]+)\/?(?<key>.*)$/;

/** Where an S3 URL points, or `undefined` for a URL that is not S3's. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const s3 = S3_URL.exec(url)?.groups;
  if (s3?.bucket !== undefined) return { bucket: s3.bucket, key: s3.key ?? "" };
  const https = (S3_VIRTUAL_HOST.exec(url) ?? S3_PATH_STYLE.exec(url))?.groups;
  if (https?.bucket === undefined) return undefined;
  try {
    return { bucket: https.bucket, key: decodeURIComponent(https.key ?? "") };
  } catch {
    return undefined;
  }
}

/**
 * Resolves the image to its digest. An ECR tag is looked up (DescribeImages) and the model gets
 * `repo@sha256:…`, so a new push of the same tag is a new model; an image given by digest is
 * taken as is; any other registry's tag is used with a warning, since only a digest pins it.
 */
export async function resolveImage(
  image: string,
  options: { readonly gateways: IdentityGateways; readonly log: Log },
): Promise<ImageIdentity> {
  const given = DIGEST_SUFFIX.exec(image)?.[1];
  if (given !== undefined) return { image, digest: given };
  const ecr = ECR_IMAGE.exec(image)?.groups;
  if (ecr?.account === undefined || ecr.region === undefined || ecr.repo === undefined) {
    options.log.warning(
      `image '${image}' is not in ECR, so its tag is not resolved: only a digest (image@sha256:…) pins what SageMaker pulls, and a new push to the same tag keeps the same model name.`,
    );
    return { image };
  }
  const tag = ecr.tag ?? "latest";
  const gateway = await options.gateways.ecr(ecr.region);
  let digest: string | undefined;
  try {
    digest = await gateway.imageDigest({
      registryId: ecr.account,
      repositoryName: ecr.repo,
      tag,
    });
  } catch (error) {
    throw new DeployError(
      `Could not resolve image '${image}' to its digest: ${errorMessage(error)}. The job's role needs ecr:DescribeImages on the repository. Nothing was created.`,
      { cause: error },
    );
  } finally {
    gateway.destroy();
  }
  if (digest === undefined) {
    throw new DeployError(
      `image '${image}' was not found in ECR: there is no repository '${ecr.repo}' with tag '${tag}' in account ${ecr.account} (${ecr.region}). Push the image first or fix the tag. Nothing was created.`,
    );
  }
  const registry = image.slice(0, image.indexOf("/"));
  options.log.info(`image ${image} is ${digest}`);
  return { image: `${registry}/${ecr.repo}@${digest}`, digest, tag };
}

function unquote(etag: string): string {
  return etag.replace(/^"(.*)"$/, "$1");
}

/** `sha256:<hex>` of the listing's keys and ETags, one `key<TAB>etag` line per object. */
export function fingerprintListing(objects: readonly { key: string; etag: string }[]): string {
  const hash = createHash("sha256");
  for (const object of [...objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
    hash.update(`${object.key}\t${unquote(object.etag)}\n`);
  return `sha256:${hash.digest("hex")}`;
}

async function fingerprintPrefix(
  s3: S3Gateway,
  url: string,
  where: { bucket: string; key: string },
): Promise<ModelDataIdentity> {
  const listing = await s3.listObjects(where.bucket, where.key, MAX_LISTED_OBJECTS);
  if (listing.truncated) {
    throw new DeployError(
      `model data '${url}' holds more than ${MAX_LISTED_OBJECTS} objects; point it at a narrower prefix. Nothing was created.`,
    );
  }
  if (listing.objects.length === 0) {
    throw new DeployError(
      `model data '${url}' holds no objects. Upload the model data first or fix the prefix. Nothing was created.`,
    );
  }
  return {
    url,
    kind: "listing",
    value: fingerprintListing(listing.objects),
    objects: listing.objects.length,
  };
}

async function identifyObject(
  s3: S3Gateway,
  url: string,
  where: { bucket: string; key: string },
): Promise<ModelDataIdentity> {
  const head = await s3.headObject(where.bucket, where.key);
  if (head === undefined) {
    throw new DeployError(
      `model data '${url}' does not exist. Upload it first or fix the URL. Nothing was created.`,
    );
  }
  // "null" is the VersionId of an object written while versioning was off: it names nothing.
  if (head.versionId !== undefined && head.versionId !== "null")
    return { url, kind: "version-id", value: head.versionId };
  return { url, kind: "etag", value: unquote(head.etag ?? "") };
}

/**
 * Identifies the model data: HeadObject's VersionId (versioned bucket) or ETag for an object;
 * for a prefix (a URL ending in `/`, or `kind: "prefix"` for ModelDataSource S3Prefix) a hash of
 * every key and ETag under it. A missing object, or an empty prefix, is an error before any
 * SageMaker call. A URL outside S3 is not resolved (a warning says so).
 */
export async function resolveModelData(
  source: { readonly url: string; readonly kind?: "object" | "prefix" },
  options: { readonly region: string; readonly gateways: IdentityGateways; readonly log: Log },
): Promise<ModelDataIdentity | undefined> {
  const where = parseS3Url(source.url);
  if (where === undefined) {
    options.log.warning(
      `model data '${source.url}' is not an S3 URL, so its version is not resolved: a new upload to the same URL keeps the same model name.`,
    );
    return undefined;
  }
  const prefix = source.kind === "prefix" || where.key === "" || where.key.endsWith("/");
  const s3 = await options.gateways.s3(options.region);
  try {
    const identity = prefix
      ? await fingerprintPrefix(s3, source.url, where)
      : await identifyObject(s3, source.url, where);
    options.log.info(`model data ${source.url} is ${describeModelData(identity)}`);
    return identity;
  } catch (error) {
    if (error instanceof DeployError) throw error;
    // Without s3:ListBucket, S3 answers HeadObject of a missing object 403, not 404.
    const needs = prefix
      ? "s3:ListBucket on the bucket"
      : "s3:GetObject on the object (and s3:ListBucket on the bucket, or a missing object reads as 403 Forbidden)";
    throw new DeployError(
      `Could not resolve model data '${source.url}': ${errorMessage(error)}. The job's role needs ${needs}. Nothing was created.`,
      { cause: error },
    );
  } finally {
    s3.destroy();
  }
}

/** Resolves the image and the model data (in parallel), each only when given. */
export async function resolveContentIdentity(options: {
  readonly image?: string;
  readonly modelData?: { readonly url: string; readonly kind?: "object" | "prefix" };
  readonly region: string;
  readonly gateways: IdentityGateways;
  readonly log: Log;
}): Promise<ContentIdentity> {
  const [image, modelData] = await Promise.all([
    options.image === undefined ? undefined : resolveImage(options.image, options),
    options.modelData === undefined ? undefined : resolveModelData(options.modelData, options),
  ]);
  return { ...(image ? { image } : {}), ...(modelData ? { modelData } : {}) };
}

/** One line on what the model data is, for the log and the summary. */
export function describeModelData(identity: ModelDataIdentity): string {
  switch (identity.kind) {
    case "version-id":
      return `version ${identity.value}`;
    case "etag":
      return `ETag ${identity.value} (the bucket is not versioned)`;
    case "listing":
      return `${identity.objects ?? 0} objects, ${identity.value}`;
  }
}

/** The identity tags for the model, config and endpoint; a value that cannot be stored is cut. */
export function identityTags(identity: ContentIdentity): Tag[] {
  const tags: Tag[] = [];
  const store = (Key: string, value: string) =>
    tags.push({ Key, Value: encodeTagValue(value) ?? sanitizeTagValue(value) });
  if (identity.image?.digest) store(IDENTITY_TAG_KEYS.imageDigest, identity.image.digest);
  if (identity.modelData) store(IDENTITY_TAG_KEYS.modelDataVersion, identity.modelData.value);
  return tags;
}

/** The outputs `image-digest` and `model-data-version` (only those known). */
export function identityOutputs(identity: ContentIdentity): Record<string, string> {
  return {
    ...(identity.image?.digest ? { "image-digest": identity.image.digest } : {}),
    ...(identity.modelData ? { "model-data-version": identity.modelData.value } : {}),
  };
}

/** Lines for the job summary: what the image and the model data resolved to. */
export function identityNotes(identity: ContentIdentity): string[] {
  const notes: string[] = [];
  if (identity.image?.digest)
    notes.push(
      `Image: ${identity.image.image}${identity.image.tag ? ` (tag ${identity.image.tag})` : ""}.`,
    );
  if (identity.modelData)
    notes.push(
      `Model data: ${identity.modelData.url} is ${describeModelData(identity.modelData)}.`,
    );
  return notes;
}
