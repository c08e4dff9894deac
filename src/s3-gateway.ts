import {
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { awsClientConfig } from "./shared/aws-client.js";
import { callAws, errorName } from "./shared/errors.js";

/** What HeadObject says of an object. */
export interface S3ObjectHead {
  /** Present when the bucket is versioned ("null" for objects written while it was not). */
  readonly versionId?: string;
  readonly etag?: string;
}

/** One object of a listing. */
export interface S3Listed {
  readonly key: string;
  readonly etag: string;
}

/** Every S3 call the action makes: loaded only when model data is resolved. */
export interface S3Gateway {
  /** `undefined` when there is no such object. */
  headObject(bucket: string, key: string): Promise<S3ObjectHead | undefined>;
  /** Every object under `prefix`, all pages, up to `limit` objects (then `truncated`). */
  listObjects(
    bucket: string,
    prefix: string,
    limit: number,
  ): Promise<{ readonly objects: readonly S3Listed[]; readonly truncated: boolean }>;
  destroy(): void;
}

/** S3's names for "no such object" (HEAD answers carry no body, so the SDK names it by status). */
const NOT_FOUND = ["NotFound", "NoSuchKey"];

/** Objects per ListObjectsV2 page (S3's maximum). */
const PAGE_SIZE = 1000;

/**
 * Builds the S3 gateway. With an endpoint override (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`,
 * honoured by the SDK itself) requests use path-style addressing, which local stand-ins and
 * VPC interface endpoints need; otherwise the SDK's virtual-hosted default.
 */
export function createS3Gateway(options: {
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Merged over the project's client config (tests pass `endpoint` and `credentials`). */
  readonly clientConfig?: Partial<S3ClientConfig>;
}): S3Gateway {
  const forcePathStyle = Boolean(
    options.env.AWS_ENDPOINT_URL_S3 ||
      options.env.AWS_ENDPOINT_URL ||
      options.clientConfig?.endpoint,
  );
  const client = new S3Client({
    ...awsClientConfig({ region: options.region }),
    forcePathStyle,
    ...options.clientConfig,
  });
  const sendOptions = options.signal ? { abortSignal: options.signal } : {};
  return {
    headObject: async (bucket, key) => {
      try {
        const answer = await callAws("HeadObject", `s3://${bucket}/${key}`, () =>
          client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), sendOptions),
        );
        return {
          ...(answer.VersionId ? { versionId: answer.VersionId } : {}),
          ...(answer.ETag ? { etag: answer.ETag } : {}),
        };
      } catch (error) {
        if (NOT_FOUND.includes(errorName((error as { cause?: unknown }).cause) ?? "")) {
          return undefined;
        }
        throw error;
      }
    },
    listObjects: (bucket, prefix, limit) =>
      callAws("ListObjectsV2", `s3://${bucket}/${prefix}`, async () => {
        const objects: S3Listed[] = [];
        const pager = paginateListObjectsV2(
          { client, pageSize: PAGE_SIZE },
          { Bucket: bucket, Prefix: prefix },
        );
        for await (const page of pager) {
          for (const item of page.Contents ?? []) {
            if (item.Key !== undefined) objects.push({ key: item.Key, etag: item.ETag ?? "" });
          }
          if (objects.length > limit) return { objects: objects.slice(0, limit), truncated: true };
        }
        return { objects, truncated: false };
      }),
    destroy: () => client.destroy(),
  };
}
