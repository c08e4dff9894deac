import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointsCommand,
  ListTagsCommand,
  UpdateEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configInput, createEndpointStack, manualClock, modelInput } from "./fixtures.js";
import { sageMakerClient } from "./sdk-client.js";
import type { Emulator } from "./server.js";
import { startEmulator } from "./server.js";

const ARN_PREFIX = "arn:aws:sagemaker:us-east-1:123456789012";

describe("SageMaker emulator through the real SDK client", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let client: SageMakerClient;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    client = sageMakerClient(emulator.url);
  });
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  async function describeEndpoint(name: string) {
    return client.send(new DescribeEndpointCommand({ EndpointName: name }));
  }

  describe("resources", () => {
    it("answers creations with SageMaker's ARNs, names lower-cased, region from the signature", async () => {
      // prepare
      const eu = sageMakerClient(emulator.url, { region: "eu-west-1" });
      // act
      const model = await eu.send(new CreateModelCommand(modelInput("My-Model")));
      // assess
      expect(model.ModelArn).toBe("arn:aws:sagemaker:eu-west-1:123456789012:model/my-model");
      eu.destroy();
    });

    it("describes a model and a config as they were created", async () => {
      // prepare
      const { modelArn, configArn } = await createEndpointStack(client, "ep");
      // act
      const model = await client.send(new DescribeModelCommand({ ModelName: "ep-m" }));
      const config = await client.send(
        new DescribeEndpointConfigCommand({ EndpointConfigName: "ep-c" }),
      );
      // assess
      expect(model).toMatchObject({
        ModelName: "ep-m",
        ModelArn: modelArn,
        ExecutionRoleArn: modelInput("ep-m").ExecutionRoleArn,
        PrimaryContainer: modelInput("ep-m").PrimaryContainer,
      });
      expect(model.CreationTime).toEqual(new Date(clock.now()));
      expect(config).toMatchObject({
        EndpointConfigName: "ep-c",
        EndpointConfigArn: configArn,
        ProductionVariants: configInput("ep-c", "ep-m").ProductionVariants,
      });
    });

    it("keeps tags given at creation and added later", async () => {
      // prepare
      const { ModelArn } = await client.send(
        new CreateModelCommand({ ...modelInput("tagged"), Tags: [{ Key: "team", Value: "ml" }] }),
      );
      // act
      await client.send(
        new AddTagsCommand({ ResourceArn: ModelArn, Tags: [{ Key: "sha", Value: "abc123" }] }),
      );
      const { Tags } = await client.send(new ListTagsCommand({ ResourceArn: ModelArn }));
      // assess
      expect(Tags).toEqual([
        { Key: "team", Value: "ml" },
        { Key: "sha", Value: "abc123" },
      ]);
    });

    it("lists endpoints newest first, filtered by name", async () => {
      // prepare
      await createEndpointStack(client, "alpha");
      clock.advance(1000);
      await createEndpointStack(client, "alpha-two");
      await createEndpointStack(client, "beta");
      // act
      const { Endpoints } = await client.send(new ListEndpointsCommand({ NameContains: "alpha" }));
      // assess
      expect(Endpoints?.map((e) => e.EndpointName)).toEqual(["alpha-two", "alpha"]);
    });
  });

  describe("lifecycles", () => {
    it("shows Creating, then InService once afterMs has passed", async () => {
      // prepare
      emulator.setLifecycle("ep", { create: { status: "InService", afterMs: 60_000 } });
      // act
      await createEndpointStack(client, "ep");
      const early = await describeEndpoint("ep");
      clock.advance(60_000);
      const late = await describeEndpoint("ep");
      // assess
      expect(early.EndpointStatus).toBe("Creating");
      expect(late).toMatchObject({ EndpointStatus: "InService", EndpointConfigName: "ep-c" });
      expect(late.ProductionVariants?.[0]).toMatchObject({
        VariantName: "AllTraffic",
        CurrentInstanceCount: 1,
      });
    });

    it("ends Failed with the scripted FailureReason", async () => {
      // prepare
      const failureReason = "The primary container did not pass the ping health check.";
      emulator.setLifecycle("ep", { create: { status: "Failed", afterMs: 10, failureReason } });
      await createEndpointStack(client, "ep");
      // act
      clock.advance(10);
      const endpoint = await describeEndpoint("ep");
      // assess
      expect(endpoint).toMatchObject({ EndpointStatus: "Failed", FailureReason: failureReason });
    });

    it("stays Creating forever when stuck", async () => {
      // prepare
      emulator.setLifecycle("ep", { create: { status: "stuck" } });
      await createEndpointStack(client, "ep");
      // act
      clock.advance(24 * 3600_000);
      const endpoint = await describeEndpoint("ep");
      // assess
      expect(endpoint.EndpointStatus).toBe("Creating");
    });

    it("updates onto the new config, reporting it as pending until done", async () => {
      // prepare
      emulator.setLifecycle("ep", { update: { status: "InService", afterMs: 5000 } });
      await createEndpointStack(client, "ep");
      await client.send(new CreateEndpointConfigCommand(configInput("ep-c2", "ep-m")));
      // act
      await client.send(
        new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "ep-c2" }),
      );
      const during = await describeEndpoint("ep");
      clock.advance(5000);
      const after = await describeEndpoint("ep");
      // assess
      expect(during).toMatchObject({
        EndpointStatus: "Updating",
        EndpointConfigName: "ep-c",
        PendingDeploymentSummary: { EndpointConfigName: "ep-c2" },
      });
      expect(after).toMatchObject({ EndpointStatus: "InService", EndpointConfigName: "ep-c2" });
      expect(after.PendingDeploymentSummary).toBeUndefined();
    });

    it("rolls a failed update back: RollingBack, then InService on the OLD config with a FailureReason", async () => {
      // prepare
      const failureReason = "Alarm 5xx-errors went into ALARM during canary.";
      emulator.setLifecycle("ep", {
        update: { status: "RolledBack", afterMs: 1000, failureReason },
      });
      await createEndpointStack(client, "ep");
      await client.send(new CreateEndpointConfigCommand(configInput("ep-c2", "ep-m")));
      await client.send(
        new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "ep-c2" }),
      );
      // act
      clock.advance(1000);
      const rollingBack = await describeEndpoint("ep");
      clock.advance(500);
      const rolledBack = await describeEndpoint("ep");
      // assess
      expect(rollingBack.EndpointStatus).toBe("RollingBack");
      expect(rolledBack).toMatchObject({
        EndpointStatus: "InService",
        EndpointConfigName: "ep-c",
        FailureReason: failureReason,
      });
    });

    it("ends UpdateRollbackFailed when the rollback fails too", async () => {
      // prepare
      const failureReason = "Rollback failed: capacity unavailable.";
      emulator.setLifecycle("ep", {
        update: { status: "UpdateRollbackFailed", afterMs: 10, failureReason },
      });
      await createEndpointStack(client, "ep");
      await client.send(new CreateEndpointConfigCommand(configInput("ep-c2", "ep-m")));
      await client.send(
        new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "ep-c2" }),
      );
      // act
      clock.advance(10);
      const endpoint = await describeEndpoint("ep");
      // assess
      expect(endpoint).toMatchObject({
        EndpointStatus: "UpdateRollbackFailed",
        FailureReason: failureReason,
      });
    });

    it("keeps the config an UpdateRollbackFailed endpoint was moving to in use", async () => {
      // prepare
      emulator.setLifecycle("ep", {
        update: { status: "UpdateRollbackFailed", afterMs: 10, failureReason: "Rollback failed." },
      });
      await createEndpointStack(client, "ep");
      await client.send(new CreateEndpointConfigCommand(configInput("ep-c2", "ep-m")));
      await client.send(
        new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "ep-c2" }),
      );
      clock.advance(10);
      // act
      await client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: "ep-c2" }));
      // assess
      expect(emulator.state().endpoints).toMatchObject([
        { status: "UpdateRollbackFailed", configName: "ep-c" },
      ]);
      expect(emulator.violations).toEqual([
        "DeleteEndpointConfig 'ep-c2' while endpoint 'ep' uses it",
      ]);
    });

    it("refuses to update an endpoint that is not InService", async () => {
      // prepare
      emulator.setLifecycle("ep", { create: { status: "stuck" } });
      const { endpointArn } = await createEndpointStack(client, "ep");
      // act
      const update = client.send(
        new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "ep-c" }),
      );
      // assess
      await expect(update).rejects.toMatchObject({
        name: "ValidationException",
        message: `Cannot update in-progress endpoint "${endpointArn}".`,
      });
    });

    it("deletes an endpoint: Deleting, then gone", async () => {
      // prepare
      emulator.setLifecycle("ep", { deleteAfterMs: 2000 });
      await createEndpointStack(client, "ep");
      // act
      await client.send(new DeleteEndpointCommand({ EndpointName: "ep" }));
      const during = await describeEndpoint("ep");
      clock.advance(2000);
      const after = describeEndpoint("ep");
      // assess
      expect(during.EndpointStatus).toBe("Deleting");
      await expect(after).rejects.toThrow('Could not find endpoint "ep".');
    });

    it("divides durations by timeScale", async () => {
      // prepare
      const fastClock = manualClock();
      const fast = await startEmulator({
        now: fastClock.now,
        timeScale: 1000,
        defaultLifecycle: { create: { status: "InService", afterMs: 200_000 } },
      });
      const fastClient = sageMakerClient(fast.url);
      await createEndpointStack(fastClient, "ep");
      // act
      fastClock.advance(199);
      const early = await fastClient.send(new DescribeEndpointCommand({ EndpointName: "ep" }));
      fastClock.advance(1);
      const late = await fastClient.send(new DescribeEndpointCommand({ EndpointName: "ep" }));
      // assess
      expect(early.EndpointStatus).toBe("Creating");
      expect(late.EndpointStatus).toBe("InService");
      fastClient.destroy();
      await fast.close();
    });
  });

  describe("reads that lag a write (staleReads)", () => {
    async function updateTo(config: string) {
      await client.send(new CreateEndpointConfigCommand(configInput(config, "ep-m")));
      await client.send(
        new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: config }),
      );
    }

    it("answers the pre-update view for the next N reads after UpdateEndpoint", async () => {
      // prepare
      emulator.setLifecycle("ep", {
        update: { status: "InService", afterMs: 5_000 },
        staleReads: { afterUpdate: 2 },
      });
      await createEndpointStack(client, "ep");
      const before = await describeEndpoint("ep");
      clock.advance(1_000);
      // act
      await updateTo("ep-c2");
      const reads = [
        await describeEndpoint("ep"),
        await describeEndpoint("ep"),
        await describeEndpoint("ep"),
      ];
      // assess
      const past = {
        EndpointStatus: "InService",
        EndpointConfigName: "ep-c",
        LastModifiedTime: before.LastModifiedTime,
      };
      expect(reads[0]).toMatchObject(past);
      expect(reads[1]).toMatchObject(past);
      expect(reads[0]?.PendingDeploymentSummary).toBeUndefined();
      expect(reads[2]).toMatchObject({
        EndpointStatus: "Updating",
        PendingDeploymentSummary: { EndpointConfigName: "ep-c2" },
      });
      expect(reads[2]?.LastModifiedTime?.getTime()).toBeGreaterThan(
        before.LastModifiedTime?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      const describes = emulator.requests.filter((r) => r.operation === "DescribeEndpoint");
      expect(describes.map((r) => r.fault)).toEqual([
        undefined,
        "stale-read",
        "stale-read",
        undefined,
      ]);
    });

    it("answers 'Could not find endpoint' for the next N reads after CreateEndpoint", async () => {
      // prepare
      emulator.setLifecycle("ep", {
        create: { status: "InService", afterMs: 5_000 },
        staleReads: { afterCreate: 2 },
      });
      // act
      await createEndpointStack(client, "ep");
      const first = await describeEndpoint("ep").catch((e) => e);
      const second = await describeEndpoint("ep").catch((e) => e);
      const third = await describeEndpoint("ep");
      // assess
      for (const answer of [first, second]) {
        expect(answer).toMatchObject({
          name: "ValidationException",
          message: 'Could not find endpoint "ep".',
          $metadata: { httpStatusCode: 400 },
        });
      }
      expect(third.EndpointStatus).toBe("Creating");
      expect(emulator.state().endpoints).toMatchObject([{ name: "ep", status: "Creating" }]);
    });

    it("lags every endpoint with Faults.staleReads, an endpoint's own lifecycle winning", async () => {
      // prepare
      emulator.setFaults({ staleReads: { afterCreate: 1 } });
      emulator.setLifecycle("b", { staleReads: { afterCreate: 0 } });
      // act
      await createEndpointStack(client, "a");
      await createEndpointStack(client, "b");
      const a = await describeEndpoint("a").catch((e) => e.name);
      const b = await describeEndpoint("b");
      // assess
      expect(a).toBe("ValidationException");
      expect(b.EndpointStatus).toBe("InService");
    });

    it("leaves seeded endpoints current, so only the run's own changes lag", async () => {
      // prepare
      emulator.setFaults({ staleReads: { afterCreate: 3, afterUpdate: 3 } });
      emulator.seed({
        models: [modelInput("m")],
        endpointConfigs: [configInput("c", "m")],
        endpoints: [{ EndpointName: "old", EndpointConfigName: "c" }],
      });
      // act
      const endpoint = await describeEndpoint("old");
      // assess
      expect(endpoint.EndpointStatus).toBe("InService");
      expect(emulator.requests.map((r) => r.fault)).toEqual([undefined]);
    });
  });

  describe("SageMaker's own error messages, as ValidationException", () => {
    const model = `${ARN_PREFIX}:model/ep-m`;
    const cases = [
      {
        call: "CreateModel of an existing model",
        act: () => client.send(new CreateModelCommand(modelInput("ep-m"))),
        message: `Cannot create already existing model "${model}".`,
      },
      {
        call: "CreateEndpointConfig of an existing config",
        act: () => client.send(new CreateEndpointConfigCommand(configInput("ep-c", "ep-m"))),
        message: `Cannot create already existing endpoint configuration "${ARN_PREFIX}:endpoint-config/ep-c".`,
      },
      {
        call: "CreateEndpoint of an existing endpoint",
        act: () =>
          client.send(
            new CreateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "ep-c" }),
          ),
        message: `Cannot create already existing endpoint "${ARN_PREFIX}:endpoint/ep".`,
      },
      {
        call: "DescribeModel of a missing model",
        act: () => client.send(new DescribeModelCommand({ ModelName: "nope" })),
        message: `Could not find model "${ARN_PREFIX}:model/nope".`,
      },
      {
        call: "DeleteModel of a missing model",
        act: () => client.send(new DeleteModelCommand({ ModelName: "nope" })),
        message: `Could not find model "${ARN_PREFIX}:model/nope".`,
      },
      {
        call: "CreateEndpointConfig naming a missing model",
        act: () => client.send(new CreateEndpointConfigCommand(configInput("c2", "nope"))),
        message: `Could not find model "${ARN_PREFIX}:model/nope".`,
      },
      {
        call: "DescribeEndpointConfig of a missing config",
        act: () => client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: "nope" })),
        message: 'Could not find endpoint configuration "nope".',
      },
      {
        call: "DeleteEndpointConfig of a missing config",
        act: () => client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: "nope" })),
        message: 'Could not find endpoint configuration "nope".',
      },
      {
        call: "CreateEndpoint naming a missing config",
        act: () =>
          client.send(
            new CreateEndpointCommand({ EndpointName: "ep2", EndpointConfigName: "nope" }),
          ),
        message: 'Could not find endpoint configuration "nope".',
      },
      {
        call: "UpdateEndpoint naming a missing config",
        act: () =>
          client.send(
            new UpdateEndpointCommand({ EndpointName: "ep", EndpointConfigName: "nope" }),
          ),
        message: 'Could not find endpoint configuration "nope".',
      },
      {
        call: "DescribeEndpoint of a missing endpoint",
        act: () => client.send(new DescribeEndpointCommand({ EndpointName: "nope" })),
        message: 'Could not find endpoint "nope".',
      },
      {
        call: "DeleteEndpoint of a missing endpoint",
        act: () => client.send(new DeleteEndpointCommand({ EndpointName: "nope" })),
        message: 'Could not find endpoint "nope".',
      },
    ];

    it.each(cases)("$call", async ({ act, message }) => {
      // prepare
      await createEndpointStack(client, "ep");
      // act
      const error = await act().catch((e: unknown) => e);
      // assess
      expect(error).toMatchObject({
        name: "ValidationException",
        message,
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
    });

    it("treats names that differ only in case as the same resource", async () => {
      // prepare
      await client.send(new CreateModelCommand(modelInput("Model-A")));
      // act
      const duplicate = client.send(new CreateModelCommand(modelInput("model-a")));
      // assess
      await expect(duplicate).rejects.toThrow(
        `Cannot create already existing model "${ARN_PREFIX}:model/model-a".`,
      );
    });
  });
});
