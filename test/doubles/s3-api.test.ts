import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInstalled, setEnv } from "../support/installed.js";
import { silentLog } from "../support/logs.js";
import { type S3Double, startS3Double } from "./s3-api.js";

let s3: S3Double;
let restore: () => void;

beforeAll(async () => {
  s3 = await startS3Double();
  s3.createBucket("plain");
  s3.createBucket("versioned", { versioned: true });
  restore = setEnv({
    AWS_ENDPOINT_URL_S3: s3.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
});
afterAll(async () => {
  restore();
  await s3.close();
});

describe("S3 double on the wire (REST XML, path style)", () => {
  it("answers HeadObject with the ETag, and the VersionId in a versioned bucket", async () => {
    const etag = s3.put("versioned", "fraud/model.tar.gz", "weights v1");

    const answer = await fetch(`${s3.url}/versioned/fraud/model.tar.gz`, { method: "HEAD" });

    expect(answer.status).toBe(200);
    expect(answer.headers.get("etag")).toBe(etag);
    expect(answer.headers.get("x-amz-version-id")).toMatch(/^[0-9a-f]{32}$/);
    expect(s3.iamActions()).toContain("s3:GetObject");
  });

  it("answers HeadObject of a missing object 404 with no body", async () => {
    const answer = await fetch(`${s3.url}/plain/missing.tar.gz`, { method: "HEAD" });

    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe("");
  });

  it("lists a prefix in pages with continuation tokens", async () => {
    for (let i = 0; i < 5; i += 1) s3.put("plain", `paged/part-${i}`, `part ${i}`);

    const first = await (
      await fetch(`${s3.url}/plain?list-type=2&prefix=paged%2F&max-keys=3`)
    ).text();
    const token = /<NextContinuationToken>([^<]+)</.exec(first)?.[1] ?? "";
    const second = await (
      await fetch(
        `${s3.url}/plain?list-type=2&prefix=paged%2F&max-keys=3&continuation-token=${encodeURIComponent(token)}`,
      )
    ).text();

    expect(first).toContain("<IsTruncated>true</IsTruncated>");
    expect([...first.matchAll(/<Key>/g)]).toHaveLength(3);
    expect(second).toContain("<IsTruncated>false</IsTruncated>");
    expect([...second.matchAll(/<Key>/g)]).toHaveLength(2);
  });
});

describe.skipIf(!isInstalled("@aws-sdk/client-s3"))("S3 gateway through the double", () => {
  const gateways = async () => {
    const { createS3Gateway } = await import("../../src/s3-gateway.js");
    return {
      ecr: () => Promise.reject(new Error("not used")),
      s3: async (region: string) => createS3Gateway({ region, env: process.env }),
    };
  };

  it("identifies a versioned object by VersionId and a plain one by ETag", async () => {
    const { resolveModelData } = await import("../../src/content-identity.js");
    s3.put("versioned", "m/model.tar.gz", "v1");
    const etag = s3.put("plain", "m/model.tar.gz", "v1");
    const options = { region: "us-east-1", gateways: await gateways(), log: silentLog };

    const versioned = await resolveModelData({ url: "s3://versioned/m/model.tar.gz" }, options);
    const plain = await resolveModelData({ url: "s3://plain/m/model.tar.gz" }, options);

    expect(versioned?.kind).toBe("version-id");
    expect(plain).toMatchObject({ kind: "etag", value: etag.replaceAll('"', "") });
  });

  it("fingerprints a prefix over several pages, and changes when an object is rewritten", async () => {
    const { resolveModelData } = await import("../../src/content-identity.js");
    for (let i = 0; i < 1005; i += 1)
      s3.put("plain", `llm/shard-${String(i).padStart(4, "0")}`, "x");
    const options = { region: "us-east-1", gateways: await gateways(), log: silentLog };

    const before = await resolveModelData({ url: "s3://plain/llm/" }, options);
    s3.put("plain", "llm/shard-1004", "y");
    const after = await resolveModelData({ url: "s3://plain/llm/" }, options);

    expect(before?.objects).toBe(1005);
    expect(after?.value).not.toBe(before?.value);
  });

  it("refuses a missing object before any SageMaker call", async () => {
    const { resolveModelData } = await import("../../src/content-identity.js");
    const options = { region: "us-east-1", gateways: await gateways(), log: silentLog };

    await expect(resolveModelData({ url: "s3://plain/none.tar.gz" }, options)).rejects.toThrow(
      /does not exist/,
    );
  });
});
