import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInstalled, setEnv } from "../support/installed.js";
import { silentLog } from "../support/logs.js";
import { type RuntimeDouble, startRuntimeDouble } from "./runtime-api.js";

let runtime: RuntimeDouble;
let restore: () => void;

beforeAll(async () => {
  runtime = await startRuntimeDouble();
  restore = setEnv({
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: runtime.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  });
});
afterAll(async () => {
  restore();
  await runtime.close();
});

const invoke = (endpoint: string, body: string, variant?: string) =>
  fetch(`${runtime.url}/endpoints/${endpoint}/invocations`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(variant ? { "x-amzn-sagemaker-target-variant": variant } : {}),
    },
    body,
  });

describe("SageMaker Runtime double on the wire (REST-JSON)", () => {
  it("answers a scripted endpoint with its body and the variant that answered", async () => {
    runtime.answer("wire", { status: 200, body: '{"label":"fraud"}' });

    const answer = await invoke("wire", '{"x":1}');

    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('{"label":"fraud"}');
    expect(answer.headers.get("x-amzn-invoked-production-variant")).toBe("AllTraffic");
    expect(runtime.invocations.at(-1)).toEqual({
      endpointName: "wire",
      contentType: "application/json",
      body: '{"x":1}',
    });
    expect(runtime.iamActions()).toContain("sagemaker:InvokeEndpoint");
  });

  it("answers a container error as SageMaker's ModelError (424)", async () => {
    runtime.answer("broken", { modelError: { status: 500, message: "KeyError: 'instances'" } });

    const answer = await invoke("broken", "{}");

    expect(answer.status).toBe(424);
    expect(answer.headers.get("x-amzn-errortype")).toMatch(/^ModelError:/);
    expect(await answer.json()).toMatchObject({
      OriginalStatusCode: 500,
      OriginalMessage: "KeyError: 'instances'",
    });
  });

  it("answers one variant differently from the rest when scripted so", async () => {
    runtime.answer("split", { status: 200, body: "ok" });
    runtime.answer("split", { modelError: { status: 503, message: "warming up" } }, "green");

    expect((await invoke("split", "{}", "blue")).status).toBe(200);
    expect((await invoke("split", "{}", "green")).status).toBe(424);
  });

  it("answers an unknown endpoint with ValidationError", async () => {
    const answer = await invoke("nowhere", "{}");

    expect(answer.status).toBe(400);
    expect(answer.headers.get("x-amzn-errortype")).toMatch(/^ValidationError:/);
  });
});

describe.skipIf(!isInstalled("@aws-sdk/client-sagemaker-runtime"))(
  "runtime gateway through the double",
  () => {
    it("passes a smoke test on a healthy endpoint and fails one whose model errors", async () => {
      const { createRuntimeGateway } = await import("../../src/runtime-gateway.js");
      const { runSmokeTest } = await import("../../src/smoke-test.js");
      runtime.answer("healthy", { status: 200, body: '{"label":"fraud","score":0.9}' });
      runtime.answer("sick", { modelError: { status: 500, message: "Traceback" } });
      const gateway = createRuntimeGateway({ region: "us-east-1" });
      const spec = {
        body: new TextEncoder().encode('{"x":1}'),
        source: "inline",
        contentType: "application/json",
        expect: { kind: "json" as const, value: { label: "fraud" } },
      };

      const healthy = await runSmokeTest({
        runtime: gateway,
        endpointName: "healthy",
        variants: ["AllTraffic"],
        spec,
        log: silentLog,
      });
      const sick = await runSmokeTest({
        runtime: gateway,
        endpointName: "sick",
        variants: ["AllTraffic"],
        spec,
        log: silentLog,
      });
      gateway.destroy();

      expect(healthy.ok).toBe(true);
      expect(sick).toEqual({
        ok: false,
        reason: "endpoint sick: the model answered 500: Traceback",
      });
    });
  },
);
