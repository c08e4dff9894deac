import { type SageMakerClient, UpdateModelPackageCommand } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelFromPackage, packageOutputs, resolveModelPackage } from "../src/model-package.js";
import { parseModelPackageRef } from "../src/release-inputs.js";
import { DeployError } from "../src/shared/errors.js";
import { createSageMakerGateway, type SageMakerGateway } from "../src/shared/sagemaker-gateway.js";
import { manualClock, ROLE_ARN } from "./emulator/fixtures.js";
import { sageMakerClient } from "./emulator/sdk-client.js";
import { type Emulator, startEmulator } from "./emulator/server.js";
import { recordingLog, silentLog } from "./support/logs.js";
import {
  createPackageGroup,
  PACKAGE_IMAGE_DIGEST,
  registerPackageVersion,
} from "./support/model-registry.js";

const ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package";

describe("parseModelPackageRef", () => {
  it.each([
    [`${ARN}/scorer/3`, { kind: "version", arn: `${ARN}/scorer/3` }],
    [`${ARN}/marketplace-model`, { kind: "version", arn: `${ARN}/marketplace-model` }],
    ["scorer", { kind: "group", group: "scorer" }],
    [`${ARN}-group/scorer`, { kind: "group", group: `${ARN}-group/scorer` }],
    ["scorer/3", undefined],
    ["-scorer", undefined],
    ["arn:aws:sagemaker:us-east-1:123456789012:model/scorer", undefined],
  ])("reads %s", (text, expected) => {
    expect(parseModelPackageRef(text)).toEqual(expected);
  });
});

describe("resolveModelPackage against the emulator", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let client: SageMakerClient;
  let gateway: SageMakerGateway;
  let group = 0;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    client = sageMakerClient(emulator.url);
    gateway = createSageMakerGateway({ client });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  /** A fresh group with versions of these approval statuses, one second apart. */
  async function groupWith(...approvals: ("Approved" | "Rejected" | "PendingManualApproval")[]) {
    group += 1;
    const name = `scorer-${group}`;
    await createPackageGroup(client, name);
    const arns: string[] = [];
    for (const approval of approvals) {
      clock.advance(1000);
      arns.push(await registerPackageVersion(client, name, approval));
    }
    return { name, arns };
  }

  const resolve = (
    ref: Parameters<typeof resolveModelPackage>[0]["ref"],
    allowUnapproved = false,
  ) => resolveModelPackage({ gateway, ref, allowUnapproved, region: "us-east-1", log: silentLog });

  it("takes a group's newest Approved version, skipping newer unapproved ones", async () => {
    const { name, arns } = await groupWith("Approved", "Approved", "PendingManualApproval");

    const resolved = await resolve({ kind: "group", group: name });

    expect(resolved.arn).toBe(arns[1]);
    expect(resolved).toMatchObject({ group: name, version: 2, approval: "Approved" });
    expect(resolved.containers[0]?.imageDigest).toBe(PACKAGE_IMAGE_DIGEST);
  });

  it("follows an approval made after registration", async () => {
    const { name, arns } = await groupWith("Approved", "PendingManualApproval");
    await client.send(
      new UpdateModelPackageCommand({ ModelPackageArn: arns[1], ModelApprovalStatus: "Approved" }),
    );

    await expect(resolve({ kind: "group", group: name })).resolves.toMatchObject({ arn: arns[1] });
  });

  it("refuses a group with no Approved version, saying how to approve one", async () => {
    const { name } = await groupWith("PendingManualApproval", "Rejected");

    await expect(resolve({ kind: "group", group: name })).rejects.toThrow(
      /has no Approved version.*update-model-package/,
    );
  });

  it.each(["PendingManualApproval", "Rejected"] as const)(
    "refuses a %s version unless allow-unapproved",
    async (approval) => {
      const { arns } = await groupWith(approval);
      const ref = { kind: "version" as const, arn: arns[0] ?? "" };

      await expect(resolve(ref)).rejects.toThrow(
        new RegExp(`is ${approval}, not Approved.*allow-unapproved`),
      );
      await expect(resolve(ref, true)).resolves.toMatchObject({ approval });
    },
  );

  it("warns when it deploys an unapproved version", async () => {
    const { arns } = await groupWith("PendingManualApproval");
    const log = recordingLog();

    await resolveModelPackage({
      gateway,
      ref: { kind: "version", arn: arns[0] ?? "" },
      allowUnapproved: true,
      region: "us-east-1",
      log,
    });

    expect(
      log.lines.some((l) => l.level === "warning" && l.text.includes("allow-unapproved")),
    ).toBe(true);
  });

  it("refuses a version that does not exist", async () => {
    const result = resolve({ kind: "version", arn: `${ARN}/nothing-here/9` });

    await expect(result).rejects.toThrow(DeployError);
    await expect(result).rejects.toThrow(/does not exist/);
  });

  it("refuses a package in another region than the endpoint", async () => {
    const { arns } = await groupWith("Approved");

    await expect(
      resolveModelPackage({
        gateway,
        ref: { kind: "version", arn: arns[0] ?? "" },
        allowUnapproved: false,
        region: "eu-west-1",
        log: silentLog,
      }),
    ).rejects.toThrow(/is in us-east-1, but the endpoint is in eu-west-1/);
  });

  it("creates a model from the package that the emulator accepts", async () => {
    const { name } = await groupWith("Approved");
    const resolved = await resolve({ kind: "group", group: name });

    const request = modelFromPackage({
      modelName: `${name}-model`,
      packageArn: resolved.arn,
      executionRoleArn: ROLE_ARN,
      environment: { LOG_LEVEL: "debug" },
      tags: [],
    });
    await gateway.createModel(request);
    const model = await gateway.describeModel(`${name}-model`);

    expect(model?.Containers).toEqual([
      { ModelPackageName: resolved.arn, Environment: { LOG_LEVEL: "debug" } },
    ]);
    expect(packageOutputs(resolved)).toEqual({
      "model-package-arn": resolved.arn,
      "image-digest": PACKAGE_IMAGE_DIGEST,
    });
  });
});
