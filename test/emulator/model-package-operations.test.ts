import { CreateModelCommand, type SageMakerClient } from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createSageMakerGateway,
  type SageMakerGateway,
} from "../../src/shared/sagemaker-gateway.js";
import { createPackageGroup, registerPackageVersion } from "../support/model-registry.js";
import { configInput, manualClock, modelInput, ROLE_ARN } from "./fixtures.js";
import { sageMakerClient } from "./sdk-client.js";
import { type Emulator, startEmulator } from "./server.js";

describe("Model Registry and List* operations through the gateway", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let client: SageMakerClient;
  let gateway: SageMakerGateway;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    client = sageMakerClient(emulator.url);
    gateway = createSageMakerGateway({ client });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it("lists a group's Approved versions newest first and describes one", async () => {
    await createPackageGroup(client, "scorer");
    const first = await registerPackageVersion(client, "scorer", "Approved");
    clock.advance(1000);
    await registerPackageVersion(client, "scorer", "PendingManualApproval");
    clock.advance(1000);
    const third = await registerPackageVersion(client, "scorer", "Approved");

    const approved = await gateway.listModelPackages(
      {
        ModelPackageGroupName: "scorer",
        ModelApprovalStatus: "Approved",
        SortBy: "CreationTime",
        SortOrder: "Descending",
      },
      10,
    );
    const described = await gateway.describeModelPackage(third);

    expect(approved.map((p) => p.ModelPackageArn)).toEqual([third, first]);
    expect(third).toMatch(/:model-package\/scorer\/3$/);
    expect(described?.ModelApprovalStatus).toBe("Approved");
    expect(described?.InferenceSpecification?.Containers?.[0]?.ImageDigest).toMatch(/^sha256:/);
  });

  it("answers undefined for a package version that does not exist", async () => {
    const arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/nothing/1";
    await expect(gateway.describeModelPackage(arn)).resolves.toBeUndefined();
  });

  it("reads every page of ListModels and ListEndpointConfigs, oldest first", async () => {
    for (let i = 0; i < 130; i += 1) {
      clock.advance(10);
      await client.send(new CreateModelCommand(modelInput(`paged-${String(i).padStart(3, "0")}`)));
    }
    await client.send(new CreateModelCommand(modelInput("other-model")));

    const models = await gateway.listModels("paged-");

    expect(models).toHaveLength(130);
    expect(models[0]?.ModelName).toBe("paged-000");
    expect(models.at(-1)?.ModelName).toBe("paged-129");
  });

  it("creates a model from a package version (Containers with ModelPackageName)", async () => {
    await createPackageGroup(client, "from-package");
    const arn = await registerPackageVersion(client, "from-package", "Approved");

    const modelArn = await gateway.createModel({
      ModelName: "from-package-model",
      ExecutionRoleArn: ROLE_ARN,
      Containers: [{ ModelPackageName: arn, Environment: { LOG_LEVEL: "debug" } }],
    });
    await gateway.createEndpointConfig(configInput("from-package-config", "from-package-model"));
    const configs = await gateway.listEndpointConfigs("from-package");

    expect(modelArn).toMatch(/:model\/from-package-model$/);
    expect(configs.map((c) => c.EndpointConfigName)).toEqual(["from-package-config"]);
  });
});
