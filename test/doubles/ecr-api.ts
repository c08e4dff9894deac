import { createHash, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type SeenRequest, startHttpDouble } from "./http-double.js";

/** awsJson1_1's target prefix for ECR (the service's Smithy name and version). */
export const ECR_TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";

/** One DescribeImages call as the double saw it. */
export interface EcrCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** A local ECR: repositories of tagged images, answering DescribeImages as ECR does. */
export interface EcrDouble {
  /** "http://127.0.0.1:PORT", for AWS_ENDPOINT_URL_ECR. */
  readonly url: string;
  readonly calls: readonly EcrCall[];
  /** The IAM actions of the calls served (`ecr:DescribeImages`), for the IAM coverage check. */
  iamActions(): string[];
  /** Pushes an image under `tag` (moving the tag if it exists); answers its digest. */
  push(repository: string, tag: string, manifest?: string): string;
  close(): Promise<void>;
}

interface Image {
  readonly digest: string;
  readonly tags: Set<string>;
  readonly pushedAt: number;
}

function writeJson(res: ServerResponse, status: number, body: unknown, type?: string) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
    ...(type ? { "x-amzn-errortype": type } : {}),
  });
  res.end(text);
}

function error(res: ServerResponse, type: string, message: string) {
  writeJson(res, 400, { __type: type, message }, type);
}

/** Starts the ECR double (awsJson1_1, `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.*`). */
export async function startEcrDouble(options: { accountId?: string } = {}): Promise<EcrDouble> {
  const accountId = options.accountId ?? "123456789012";
  const repositories = new Map<string, Image[]>();
  const calls: EcrCall[] = [];

  function describeImages(input: Record<string, unknown>, res: ServerResponse) {
    const name = String(input.repositoryName ?? "");
    const registry = String(input.registryId ?? accountId);
    const images = repositories.get(name);
    if (images === undefined || registry !== accountId) {
      return error(
        res,
        "RepositoryNotFoundException",
        `The repository with name '${name}' does not exist in the registry with id '${registry}'`,
      );
    }
    const ids = Array.isArray(input.imageIds) ? (input.imageIds as Record<string, unknown>[]) : [];
    const wanted = ids.length === 0 ? images : [];
    for (const id of ids) {
      const found = images.find(
        (image) =>
          (id.imageTag !== undefined && image.tags.has(String(id.imageTag))) ||
          (id.imageDigest !== undefined && image.digest === id.imageDigest),
      );
      if (found === undefined) {
        return error(
          res,
          "ImageNotFoundException",
          `The image with imageId {imageDigest:'${String(id.imageDigest ?? "null")}', imageTag:'${String(id.imageTag ?? "null")}'} does not exist within the repository with name '${name}' in the registry with id '${registry}'`,
        );
      }
      wanted.push(found);
    }
    writeJson(res, 200, {
      imageDetails: wanted.map((image) => ({
        registryId: accountId,
        repositoryName: name,
        imageDigest: image.digest,
        imageTags: [...image.tags],
        imagePushedAt: image.pushedAt / 1000,
        imageSizeInBytes: 1024,
        imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
      })),
    });
  }

  function handle(request: SeenRequest, res: ServerResponse) {
    const target = request.headers["x-amz-target"] ?? "";
    const operation = target.startsWith(ECR_TARGET_PREFIX)
      ? target.slice(ECR_TARGET_PREFIX.length)
      : target;
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(request.body.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return error(res, "SerializationException", "Request body is not JSON.");
    }
    calls.push({ operation, input });
    if (operation === "DescribeImages") return describeImages(input, res);
    return error(res, "UnknownOperationException", `Operation '${operation}' is not served.`);
  }

  const server = await startHttpDouble(handle);
  return {
    url: server.url,
    calls,
    iamActions: () => calls.map((call) => `ecr:${call.operation}`),
    push: (repository, tag, manifest = randomUUID()) => {
      const digest = `sha256:${createHash("sha256").update(manifest).digest("hex")}`;
      const images = repositories.get(repository) ?? [];
      for (const image of images) image.tags.delete(tag);
      const same = images.find((image) => image.digest === digest);
      if (same) same.tags.add(tag);
      else images.push({ digest, tags: new Set([tag]), pushedAt: Date.now() });
      repositories.set(repository, images);
      return digest;
    },
    close: () => server.close(),
  };
}
