import { createHash, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type SeenRequest, startHttpDouble } from "./http-double.js";

/** One S3 request as the double saw it. */
export interface S3Call {
  readonly operation: "HeadObject" | "ListObjectsV2" | "unknown";
  readonly bucket: string;
  readonly key: string;
  readonly query: Readonly<Record<string, string>>;
}

/** How IAM authorizes each operation (HEAD needs GetObject; a listing is ListBucket on the bucket). */
const S3_IAM_ACTIONS = { HeadObject: "s3:GetObject", ListObjectsV2: "s3:ListBucket" } as const;

/** A local S3 (REST XML, path-style addressing): HeadObject and ListObjectsV2. */
export interface S3Double {
  /** "http://127.0.0.1:PORT", for AWS_ENDPOINT_URL_S3 (the client must use path style). */
  readonly url: string;
  readonly calls: readonly S3Call[];
  /** The IAM actions of the calls served (HeadObject is s3:GetObject, ListObjectsV2 s3:ListBucket). */
  iamActions(): string[];
  /** Creates a bucket; a versioned one gives every write a new VersionId. */
  createBucket(bucket: string, options?: { versioned?: boolean }): void;
  /** Writes (or overwrites) an object; answers its ETag (quoted, as S3 sends it). */
  put(bucket: string, key: string, content: string): string;
  close(): Promise<void>;
}

interface StoredObject {
  readonly etag: string;
  readonly size: number;
  readonly versionId?: string;
  readonly modified: Date;
}

interface Bucket {
  readonly versioned: boolean;
  readonly objects: Map<string, StoredObject>;
}

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

function writeXml(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    "content-type": "application/xml",
    "content-length": Buffer.byteLength(body),
    "x-amz-request-id": randomUUID(),
  });
  res.end(body);
}

function s3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
) {
  writeXml(
    res,
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message><Resource>${xml(resource)}</Resource><RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

/** Starts the S3 double. */
export async function startS3Double(): Promise<S3Double> {
  const buckets = new Map<string, Bucket>();
  const calls: S3Call[] = [];

  function headObject(bucket: Bucket | undefined, key: string, res: ServerResponse) {
    const object = bucket?.objects.get(key);
    // A HEAD answer has no body, so S3 says "not found" by status alone.
    if (object === undefined) {
      res.writeHead(404, { "x-amz-request-id": randomUUID() });
      res.end();
      return;
    }
    res.writeHead(200, {
      etag: object.etag,
      "content-length": object.size,
      "last-modified": object.modified.toUTCString(),
      "content-type": "application/octet-stream",
      ...(object.versionId ? { "x-amz-version-id": object.versionId } : {}),
    });
    res.end();
  }

  function listObjects(name: string, query: Record<string, string>, res: ServerResponse) {
    const bucket = buckets.get(name);
    if (bucket === undefined)
      return s3Error(res, 404, "NoSuchBucket", "The specified bucket does not exist", `/${name}`);
    const prefix = query.prefix ?? "";
    const maxKeys = Math.min(Number(query["max-keys"] ?? 1000) || 1000, 1000);
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    const start = query["continuation-token"]
      ? Number(Buffer.from(query["continuation-token"], "base64").toString())
      : 0;
    const page = keys.slice(start, start + maxKeys);
    const truncated = start + maxKeys < keys.length;
    const contents = page
      .map((key) => {
        const object = bucket.objects.get(key) as StoredObject;
        return `<Contents><Key>${xml(key)}</Key><LastModified>${object.modified.toISOString()}</LastModified><ETag>${xml(object.etag)}</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join("");
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(String(start + maxKeys)).toString("base64")}</NextContinuationToken>`
      : "";
    const token = query["continuation-token"]
      ? `<ContinuationToken>${xml(query["continuation-token"])}</ContinuationToken>`
      : "";
    writeXml(
      res,
      200,
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(name)}</Name><Prefix>${xml(prefix)}</Prefix>${token}<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
    );
  }

  function handle(request: SeenRequest, res: ServerResponse) {
    const url = new URL(request.url, "http://double");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const query = Object.fromEntries(url.searchParams.entries());
    if (request.method === "HEAD" && key !== "") {
      calls.push({ operation: "HeadObject", bucket, key, query });
      return headObject(buckets.get(bucket), key, res);
    }
    if (request.method === "GET" && key === "" && query["list-type"] === "2") {
      calls.push({ operation: "ListObjectsV2", bucket, key, query });
      return listObjects(decodeURIComponent(bucket), query, res);
    }
    calls.push({ operation: "unknown", bucket, key, query });
    s3Error(
      res,
      405,
      "MethodNotAllowed",
      `${request.method} ${url.pathname} is not served`,
      url.pathname,
    );
  }

  const server = await startHttpDouble(handle);
  return {
    url: server.url,
    calls,
    iamActions: () =>
      calls.flatMap((call) =>
        call.operation === "unknown" ? [] : [S3_IAM_ACTIONS[call.operation]],
      ),
    createBucket: (bucket, options = {}) => {
      buckets.set(bucket, { versioned: options.versioned ?? false, objects: new Map() });
    },
    put: (name, key, content) => {
      const bucket = buckets.get(name);
      if (bucket === undefined) throw new Error(`no bucket ${name}`);
      const etag = `"${createHash("md5").update(content).digest("hex")}"`;
      bucket.objects.set(key, {
        etag,
        size: Buffer.byteLength(content),
        modified: new Date(),
        ...(bucket.versioned ? { versionId: randomUUID().replaceAll("-", "") } : {}),
      });
      return etag;
    },
    close: () => server.close(),
  };
}
