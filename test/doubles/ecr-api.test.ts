import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInstalled, setEnv } from "../support/installed.js";
import { silentLog } from "../support/logs.js";
import { ECR_TARGET_PREFIX, type EcrDouble, startEcrDouble } from "./ecr-api.js";

let ecr: EcrDouble;
let restore: () => void;

beforeAll(async () => {
  ecr = await startEcrDouble();
  restore = setEnv({
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
});
afterAll(async () => {
  restore();
  await ecr.close();
});

async function describeImages(input: unknown) {
  const answer = await fetch(ecr.url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `${ECR_TARGET_PREFIX}DescribeImages`,
    },
    body: JSON.stringify(input),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

describe("ECR double on the wire (awsJson1_1)", () => {
  it("answers a tag with the digest it points at, and follows a moved tag", async () => {
    const first = ecr.push("wire", "7");
    const moved = ecr.push("wire", "7");

    const { status, body } = await describeImages({
      repositoryName: "wire",
      imageIds: [{ imageTag: "7" }],
    });

    expect(first).not.toBe(moved);
    expect(status).toBe(200);
    expect(body.imageDetails).toEqual([
      expect.objectContaining({ imageDigest: moved, imageTags: ["7"] }),
    ]);
    expect(ecr.iamActions()).toContain("ecr:DescribeImages");
  });

  it.each([
    [{ repositoryName: "wire", imageIds: [{ imageTag: "nope" }] }, "ImageNotFoundException"],
    [{ repositoryName: "absent", imageIds: [{ imageTag: "7" }] }, "RepositoryNotFoundException"],
  ])("answers %j with %s", async (input, type) => {
    ecr.push("wire", "7");

    const { status, body } = await describeImages(input);

    expect(status).toBe(400);
    expect(body.__type).toBe(type);
  });
});

describe.skipIf(!isInstalled("@aws-sdk/client-ecr"))("ECR gateway through the double", () => {
  it("resolves a tag to its digest, and a missing tag to undefined", async () => {
    const { createEcrGateway } = await import("../../src/ecr-gateway.js");
    const digest = ecr.push("scorer", "7");
    const gateway = createEcrGateway({ region: "us-east-1" });

    const found = await gateway.imageDigest({
      registryId: "123456789012",
      repositoryName: "scorer",
      tag: "7",
    });
    const missing = await gateway.imageDigest({
      registryId: "123456789012",
      repositoryName: "scorer",
      tag: "8",
    });
    gateway.destroy();

    expect(found).toBe(digest);
    expect(missing).toBeUndefined();
  });

  it("pins the image of a deploy by digest", async () => {
    const { resolveImage } = await import("../../src/content-identity.js");
    const { createEcrGateway } = await import("../../src/ecr-gateway.js");
    const digest = ecr.push("pinned", "latest");

    const resolved = await resolveImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/pinned", {
      gateways: {
        ecr: async (region) => createEcrGateway({ region }),
        s3: () => Promise.reject(new Error("not used")),
      },
      log: silentLog,
    });

    expect(resolved.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/pinned@${digest}`);
  });
});
