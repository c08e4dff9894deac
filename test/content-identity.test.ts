import { describe, expect, it } from "vitest";
import {
  fingerprintListing,
  type IdentityGateways,
  identityOutputs,
  identityTags,
  parseS3Url,
  resolveContentIdentity,
  resolveImage,
  resolveModelData,
} from "../src/content-identity.js";
import type { EcrGateway, EcrImageRef } from "../src/ecr-gateway.js";
import type { S3Gateway, S3Listed, S3ObjectHead } from "../src/s3-gateway.js";
import { DeployError } from "../src/shared/errors.js";
import { PATTERNS } from "../src/shared/patterns.js";
import { recordingLog, silentLog } from "./support/logs.js";

const DIGEST = `sha256:${"1f".repeat(32)}`;
const REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

/** In-process ECR and S3 that answer from maps and remember what they were asked. */
function fakeGateways(world: {
  images?: Record<string, string>;
  objects?: Record<string, S3ObjectHead>;
  listings?: Record<string, S3Listed[]>;
  fail?: Error;
}) {
  const calls: string[] = [];
  const ecr: EcrGateway = {
    imageDigest: async (image: EcrImageRef) => {
      calls.push(`ecr ${image.registryId} ${image.repositoryName}:${image.tag}`);
      if (world.fail) throw world.fail;
      return world.images?.[`${image.repositoryName}:${image.tag}`];
    },
    destroy: () => {},
  };
  const s3: S3Gateway = {
    headObject: async (bucket, key) => {
      calls.push(`head ${bucket}/${key}`);
      if (world.fail) throw world.fail;
      return world.objects?.[`${bucket}/${key}`];
    },
    listObjects: async (bucket, prefix, limit) => {
      calls.push(`list ${bucket}/${prefix}`);
      const objects = world.listings?.[`${bucket}/${prefix}`] ?? [];
      return { objects: objects.slice(0, limit), truncated: objects.length > limit };
    },
    destroy: () => {},
  };
  const gateways: IdentityGateways = {
    ecr: async (region) => {
      calls.push(`ecr client ${region}`);
      return ecr;
    },
    s3: async () => s3,
  };
  return { gateways, calls };
}

describe("resolveImage", () => {
  it.each([
    [`${REGISTRY}/scorer:7`, "scorer:7"],
    [`${REGISTRY}/team/scorer:v1.2`, "team/scorer:v1.2"],
    [`${REGISTRY}/scorer`, "scorer:latest"],
    ["123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/scorer:7", "scorer:7"],
  ])("pins ECR image %s by its digest", async (image, lookedUp) => {
    const { gateways, calls } = fakeGateways({ images: { [lookedUp]: DIGEST } });

    const resolved = await resolveImage(image, { gateways, log: silentLog });

    expect(resolved.digest).toBe(DIGEST);
    expect(resolved.image).toBe(
      `${image.slice(0, image.indexOf("/"))}/${lookedUp.split(":")[0]}@${DIGEST}`,
    );
    expect(calls).toContain(`ecr 123456789012 ${lookedUp}`);
  });

  it("asks ECR in the image's own region", async () => {
    const { gateways, calls } = fakeGateways({ images: { "scorer:7": DIGEST } });

    await resolveImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/scorer:7", {
      gateways,
      log: silentLog,
    });

    expect(calls[0]).toBe("ecr client eu-west-1");
  });

  it.each([`${REGISTRY}/scorer@${DIGEST}`, `ghcr.io/org/scorer:7@${DIGEST}`])(
    "takes %s, given by digest, as is without asking ECR",
    async (image) => {
      const { gateways, calls } = fakeGateways({});

      const resolved = await resolveImage(image, { gateways, log: silentLog });

      expect(resolved).toEqual({ image, digest: DIGEST });
      expect(calls).toEqual([]);
    },
  );

  it("warns that only a digest pins an image outside ECR, and keeps its tag", async () => {
    const { gateways, calls } = fakeGateways({});
    const log = recordingLog();

    const resolved = await resolveImage("ghcr.io/org/scorer:7", { gateways, log });

    expect(resolved).toEqual({ image: "ghcr.io/org/scorer:7" });
    expect(calls).toEqual([]);
    expect(log.lines.find((l) => l.level === "warning")?.text).toContain("only a digest");
  });

  it("refuses a tag ECR does not have, naming repository and tag", async () => {
    const { gateways } = fakeGateways({ images: {} });

    const result = resolveImage(`${REGISTRY}/scorer:8`, { gateways, log: silentLog });

    await expect(result).rejects.toThrow(DeployError);
    await expect(result).rejects.toThrow(
      /no repository 'scorer' with tag '8'.*Nothing was created/,
    );
  });

  it("says which permission is missing when ECR refuses", async () => {
    const { gateways } = fakeGateways({ fail: new Error("AccessDeniedException: not authorized") });

    await expect(
      resolveImage(`${REGISTRY}/scorer:7`, { gateways, log: silentLog }),
    ).rejects.toThrow(/ecr:DescribeImages/);
  });
});

describe("parseS3Url", () => {
  it.each([
    ["s3://ml/fraud/model.tar.gz", { bucket: "ml", key: "fraud/model.tar.gz" }],
    ["s3://ml/fraud/", { bucket: "ml", key: "fraud/" }],
    ["s3://ml", { bucket: "ml", key: "" }],
    [
      "https://ml.s3.us-east-1.amazonaws.com/fraud/model%201.tar.gz",
      { bucket: "ml", key: "fraud/model 1.tar.gz" },
    ],
    ["https://ml.s3.amazonaws.com/model.tar.gz", { bucket: "ml", key: "model.tar.gz" }],
    ["https://s3.us-east-1.amazonaws.com/ml/model.tar.gz", { bucket: "ml", key: "model.tar.gz" }],
    ["https://example.com/model.tar.gz", undefined],
  ])("reads %s", (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });
});

describe("resolveModelData", () => {
  const options = (gateways: IdentityGateways) => ({
    region: "us-east-1",
    gateways,
    log: silentLog,
  });

  it.each([
    [
      { versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", etag: '"abc"' },
      "version-id",
      "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
    ],
    [{ etag: '"9b2cf535f27731c974343645a3985328"' }, "etag", "9b2cf535f27731c974343645a3985328"],
    [{ versionId: "null", etag: '"d41d8-2"' }, "etag", "d41d8-2"],
  ])("identifies an object with HeadObject %j as %s", async (head, kind, value) => {
    const { gateways } = fakeGateways({ objects: { "ml/model.tar.gz": head } });

    const identity = await resolveModelData({ url: "s3://ml/model.tar.gz" }, options(gateways));

    expect(identity).toEqual({ url: "s3://ml/model.tar.gz", kind, value });
  });

  it("refuses an object that does not exist, before any SageMaker call", async () => {
    const { gateways } = fakeGateways({ objects: {} });

    await expect(
      resolveModelData({ url: "s3://ml/missing.tar.gz" }, options(gateways)),
    ).rejects.toThrow(/'s3:\/\/ml\/missing.tar.gz' does not exist.*Nothing was created/);
  });

  it.each([
    [{ url: "s3://ml/llm/" }, "ml/llm/"],
    [{ url: "s3://ml/llm", kind: "prefix" as const }, "ml/llm"],
  ])("fingerprints the listing of prefix %j", async (source, listed) => {
    const objects = [
      { key: "llm/config.json", etag: '"a1"' },
      { key: "llm/model-00001.safetensors", etag: '"b2-12"' },
    ];
    const { gateways, calls } = fakeGateways({ listings: { [listed]: objects } });

    const identity = await resolveModelData(source, options(gateways));

    expect(identity).toEqual({
      url: source.url,
      kind: "listing",
      value: fingerprintListing(objects),
      objects: 2,
    });
    expect(calls).toEqual([`list ${listed}`]);
  });

  it("says which permissions are missing when S3 refuses", async () => {
    const { gateways } = fakeGateways({ fail: new Error("HeadObject failed: 403 Forbidden") });

    await expect(
      resolveModelData({ url: "s3://ml/model.tar.gz" }, options(gateways)),
    ).rejects.toThrow(/s3:GetObject on the object \(and s3:ListBucket/);
  });

  it("refuses an empty prefix", async () => {
    const { gateways } = fakeGateways({ listings: {} });

    await expect(resolveModelData({ url: "s3://ml/empty/" }, options(gateways))).rejects.toThrow(
      /holds no objects/,
    );
  });

  it("leaves a URL outside S3 unresolved, with a warning", async () => {
    const { gateways, calls } = fakeGateways({});
    const log = recordingLog();

    const identity = await resolveModelData(
      { url: "https://example.com/model.tar.gz" },
      { region: "us-east-1", gateways, log },
    );

    expect(identity).toBeUndefined();
    expect(calls).toEqual([]);
    expect(log.lines.some((l) => l.level === "warning")).toBe(true);
  });
});

describe("fingerprintListing", () => {
  const objects = [
    { key: "p/a", etag: '"1"' },
    { key: "p/b", etag: '"2"' },
  ];

  it("is the same in any listing order", () => {
    expect(fingerprintListing([...objects].reverse())).toBe(fingerprintListing(objects));
  });

  it.each([
    [
      "an object is rewritten",
      [
        { key: "p/a", etag: '"1"' },
        { key: "p/b", etag: '"3"' },
      ],
    ],
    ["an object is added", [...objects, { key: "p/c", etag: '"4"' }]],
    [
      "an object is renamed",
      [
        { key: "p/a", etag: '"1"' },
        { key: "p/B", etag: '"2"' },
      ],
    ],
  ])("changes when %s", (_why, changed) => {
    expect(fingerprintListing(changed)).not.toBe(fingerprintListing(objects));
  });
});

describe("identity tags and outputs", () => {
  it("records the digest and the model data version in tags SageMaker accepts", async () => {
    const { gateways } = fakeGateways({
      images: { "scorer:7": DIGEST },
      objects: { "ml/model.tar.gz": { versionId: "v+1/2=3", etag: '"e"' } },
    });

    const identity = await resolveContentIdentity({
      image: `${REGISTRY}/scorer:7`,
      modelData: { url: "s3://ml/model.tar.gz" },
      region: "us-east-1",
      gateways,
      log: silentLog,
    });
    const tags = identityTags(identity);

    expect(tags.map((t) => t.Key)).toEqual([
      "sagemaker-deploy:image-digest",
      "sagemaker-deploy:model-data-version",
    ]);
    for (const tag of tags) expect(tag.Value).toMatch(PATTERNS.tagValue);
    expect(identityOutputs(identity)).toEqual({
      "image-digest": DIGEST,
      "model-data-version": "v+1/2=3",
    });
  });
});
