import type { SageMakerClient } from "@aws-sdk/client-sagemaker";
import {
  AddTagsCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeModelCommand,
} from "@aws-sdk/client-sagemaker";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configInput, createEndpointStack, manualClock, modelInput } from "./fixtures.js";
import { sageMakerClient } from "./sdk-client.js";
import type { Emulator } from "./server.js";
import { startEmulator } from "./server.js";

describe("SageMaker emulator controls", () => {
  const clock = manualClock();
  let emulator: Emulator;
  let client: SageMakerClient;

  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
    client = sageMakerClient(emulator.url, { maxAttempts: 1 });
  });
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  async function control(method: "GET" | "POST", name: string, body?: unknown) {
    const response = await fetch(`${emulator.url}/__emulator/${name}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  describe("seed and state", () => {
    it("holds seeded resources as if they existed before the run", async () => {
      // prepare
      emulator.seed({
        models: [modelInput("m")],
        endpointConfigs: [configInput("c", "m")],
        endpoints: [
          { EndpointName: "e", EndpointConfigName: "c", Tags: [{ Key: "team", Value: "ml" }] },
        ],
      });
      // act
      const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: "e" }));
      // assess
      expect(endpoint).toMatchObject({ EndpointStatus: "InService", EndpointConfigName: "c" });
      expect(emulator.state()).toMatchObject({
        models: [{ name: "m", arn: "arn:aws:sagemaker:us-east-1:123456789012:model/m" }],
        endpointConfigs: [{ name: "c", input: configInput("c", "m") }],
        endpoints: [{ name: "e", status: "InService", configName: "c", tags: { team: "ml" } }],
      });
      expect(emulator.requests.map((r) => r.operation)).toEqual(["DescribeEndpoint"]);
    });

    it("moves a seeded Updating endpoint to InService per its lifecycle", async () => {
      // prepare
      emulator.setLifecycle("busy", { update: { status: "InService", afterMs: 30_000 } });
      emulator.seed({
        models: [modelInput("m")],
        endpointConfigs: [configInput("c", "m")],
        endpoints: [{ EndpointName: "busy", EndpointConfigName: "c", status: "Updating" }],
      });
      // act
      const before = emulator.state().endpoints[0]?.status;
      clock.advance(30_000);
      const after = emulator.state().endpoints[0]?.status;
      // assess
      expect([before, after]).toEqual(["Updating", "InService"]);
    });

    it("keeps a seeded Failed endpoint and its FailureReason", async () => {
      // prepare
      emulator.seed({
        endpoints: [
          {
            EndpointName: "e",
            EndpointConfigName: "gone",
            status: "Failed",
            failureReason: "Out of capacity.",
          },
        ],
      });
      // act
      const endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: "e" }));
      // assess
      expect(endpoint).toMatchObject({
        EndpointStatus: "Failed",
        FailureReason: "Out of capacity.",
      });
    });

    it("refuses to seed what SageMaker would refuse to create", () => {
      // act
      const seed = () => emulator.seed({ models: [{ ...modelInput("m"), ModelName: "bad_name" }] });
      // assess
      expect(seed).toThrow(/1 validation error detected: Value 'bad_name' at 'modelName'/);
    });
  });

  describe("violations and mutating requests", () => {
    it("records deleting a config an endpoint uses and a model a config names", async () => {
      // prepare
      await createEndpointStack(client, "e");
      // act
      await client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: "e-c" }));
      await client.send(new CreateEndpointConfigCommand(configInput("e-c2", "e-m")));
      await client.send(new DeleteModelCommand({ ModelName: "e-m" }));
      // assess
      expect(emulator.violations).toEqual([
        "DeleteEndpointConfig 'e-c' while endpoint 'e' uses it",
        "DeleteModel 'e-m' still referenced by config 'e-c2'",
      ]);
    });

    it("lists only the Create/Update/Delete/AddTags calls that reached the handler", async () => {
      // prepare
      emulator.failNext("CreateModel", { type: "ThrottlingException", message: "Rate exceeded" });
      // act
      await client.send(new CreateModelCommand(modelInput("m"))).catch(() => undefined);
      const { ModelArn } = await client.send(new CreateModelCommand(modelInput("m")));
      await client.send(new DescribeModelCommand({ ModelName: "m" }));
      await client.send(
        new AddTagsCommand({ ResourceArn: ModelArn, Tags: [{ Key: "k", Value: "v" }] }),
      );
      await client.send(new CreateModelCommand(modelInput("m"))).catch(() => undefined);
      // assess
      expect(emulator.mutatingRequests().map((r) => `${r.operation}:${r.status}`)).toEqual([
        "CreateModel:200",
        "AddTags:200",
        "CreateModel:400",
      ]);
    });
  });

  describe("over HTTP, for other processes", () => {
    it("seeds and reads state", async () => {
      // act
      const seeded = await control("POST", "seed", { models: [modelInput("m")] });
      const state = await control("GET", "state");
      // assess
      expect(seeded.status).toBe(200);
      expect(state.body).toMatchObject({
        models: [{ name: "m" }],
        endpointConfigs: [],
        endpoints: [],
      });
    });

    it("sets a lifecycle", async () => {
      // prepare
      await control("POST", "lifecycle", {
        endpointName: "e",
        lifecycle: { create: { status: "stuck" } },
      });
      // act
      await createEndpointStack(client, "e");
      // assess
      expect(emulator.state().endpoints[0]?.status).toBe("Creating");
    });

    it("sets and clears faults", async () => {
      // prepare
      emulator.seed({ models: [modelInput("m")] });
      await control("POST", "faults", { throttleRate: 1 });
      // act
      const throttled = await client
        .send(new DescribeModelCommand({ ModelName: "m" }))
        .catch((e) => e);
      await control("POST", "faults", null);
      const described = await client.send(new DescribeModelCommand({ ModelName: "m" }));
      // assess
      expect(throttled.name).toBe("ThrottlingException");
      expect(described.ModelName).toBe("m");
    });

    it("queues failNext errors", async () => {
      // prepare
      await control("POST", "fail-next", {
        operation: "CreateModel",
        error: { type: "ResourceLimitExceeded", message: "Too many models." },
      });
      // act
      const error = await client.send(new CreateModelCommand(modelInput("m"))).catch((e) => e);
      // assess
      expect(error).toMatchObject({ name: "ResourceLimitExceeded", message: "Too many models." });
    });

    it("lists API requests and violations but never records its own calls", async () => {
      // prepare
      emulator.seed({ models: [modelInput("m")] });
      await client.send(new DescribeModelCommand({ ModelName: "m" }));
      // act
      const requests = await control("GET", "requests");
      const violations = await control("GET", "violations");
      // assess
      expect(requests.body).toEqual([
        expect.objectContaining({ operation: "DescribeModel", status: 200 }),
      ]);
      expect(violations.body).toEqual([]);
    });

    it("holds calls and releases them", async () => {
      // prepare
      emulator.seed({ models: [modelInput("m")] });
      await control("POST", "hold", { operations: ["DescribeModel"], count: 1 });
      const described = client.send(new DescribeModelCommand({ ModelName: "m" }));
      // act
      let held = await control("GET", "held");
      while (held.body.held === 0) held = await control("GET", "held");
      await control("POST", "release");
      // assess
      expect(held.body).toEqual({ held: 1 });
      expect((await described).ModelName).toBe("m");
      expect((await control("GET", "held")).body).toEqual({ held: 0 });
    });

    it("expires the credentials, now or at a time on the emulator's clock", async () => {
      // prepare
      emulator.seed({ models: [modelInput("m")] });
      await control("POST", "expire-credentials", { at: clock.now() + 1_000 });
      const describeModel = () =>
        client.send(new DescribeModelCommand({ ModelName: "m" })).then(
          () => "ok",
          (e) => e.name,
        );
      // act
      const before = await describeModel();
      clock.advance(1_000);
      const after = await describeModel();
      // assess
      expect([before, after]).toEqual(["ok", "ExpiredTokenException"]);
    });

    it("takes stale reads and credential expiry as faults", async () => {
      // prepare
      await control("POST", "faults", {
        staleReads: { afterCreate: 1 },
        credentialsExpire: { afterRequests: 4 },
      });
      // act
      await createEndpointStack(client, "e");
      const first = await client
        .send(new DescribeEndpointCommand({ EndpointName: "e" }))
        .catch((e) => e.name);
      const second = await client
        .send(new DescribeEndpointCommand({ EndpointName: "e" }))
        .catch((e) => e.name);
      // assess
      expect([first, second]).toEqual(["ValidationException", "ExpiredTokenException"]);
    });

    it("resets everything", async () => {
      // prepare
      emulator.seed({ models: [modelInput("m")] });
      // act
      await control("POST", "reset");
      // assess
      expect(emulator.state().models).toEqual([]);
    });

    it.each([
      {
        method: "POST" as const,
        name: "lifecycle",
        body: { endpointName: "e", lifecycle: { create: { status: "Failed", afterMs: 1 } } },
        status: 400,
        message: /lifecycle.create/,
      },
      {
        method: "POST" as const,
        name: "faults",
        body: { throttleRate: 2 },
        status: 400,
        message: /throttleRate must be a number from 0 to 1/,
      },
      {
        method: "POST" as const,
        name: "faults",
        body: { staleReads: { afterUpdate: -1 } },
        status: 400,
        message: /faults.staleReads.afterUpdate must be a whole number of reads/,
      },
      {
        method: "POST" as const,
        name: "faults",
        body: { credentialsExpire: { counting: "DescribeEndpoint" } },
        status: 400,
        message: /credentialsExpire.counting must be a list/,
      },
      {
        method: "POST" as const,
        name: "lifecycle",
        body: { endpointName: "e", lifecycle: { staleReads: { afterCreate: 1.5 } } },
        status: 400,
        message: /lifecycle.staleReads.afterCreate/,
      },
      {
        method: "POST" as const,
        name: "hold",
        body: { operations: "DescribeEndpoint" },
        status: 400,
        message: /operations must be a list/,
      },
      {
        method: "POST" as const,
        name: "seed",
        body: { models: [{ ModelName: "m" }] },
        status: 400,
        message: /executionRoleArn/,
      },
      {
        method: "GET" as const,
        name: "nothing",
        body: undefined,
        status: 404,
        message: /No control route/,
      },
    ])(
      "answers $status to $method $name with a reason",
      async ({ method, name, body, status, message }) => {
        // act
        const response = await control(method, name, body);
        // assess
        expect(response.status).toBe(status);
        expect(response.body.message).toMatch(message);
      },
    );
  });

  describe("wire protocol edges", () => {
    async function post(target: string, body: string) {
      const response = await fetch(emulator.url, {
        method: "POST",
        headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" },
        body,
      });
      return { response, body: await response.json() };
    }

    it("answers an unknown operation with UnknownOperationException", async () => {
      // act
      const { response, body } = await post("SageMaker.CreateTrainingJob", "{}");
      // assess
      expect(response.status).toBe(400);
      expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
      expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
      expect(body).toMatchObject({ __type: "UnknownOperationException" });
    });

    it("answers a body that is not a JSON object with SerializationException", async () => {
      // act
      const { response, body } = await post("SageMaker.DescribeModel", "[1,2");
      // assess
      expect(response.status).toBe(400);
      expect(body).toMatchObject({ __type: "SerializationException" });
    });
  });
});
