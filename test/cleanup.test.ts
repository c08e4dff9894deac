import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  SageMakerServiceException,
} from "@aws-sdk/client-sagemaker";
import { mockClient } from "aws-sdk-client-mock";
import { createSageMakerGateway } from "../src/shared/sagemaker-gateway.js";
import { renderSummary } from "../src/summary.js";
import { silentLog } from "./support/logs.js";
import "aws-sdk-client-mock-vitest/extend";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanUp, ENDPOINT_DELETE_WAIT_MS } from "../src/cleanup.js";
import { createReport, type RunReport } from "../src/report.js";
import { endpointAnswer } from "./support/endpoint-answer.js";
import { fakeClock } from "./support/fake-clock.js";

// Keep the action's log lines (and ::warning:: commands) out of the test run's output.
vi.mock("@actions/core", () => ({ info: vi.fn(), warning: vi.fn() }));

const ENDPOINT = "churn-model";
const MODEL = "churn-model-0a1b2c3d4e5f";
const CONFIG = "churn-model-f5e4d3c2b1a0";
const OLD_CONFIG = "churn-model-99aa88bb77cc";

const sagemaker = mockClient(SageMakerClient);
const client = new SageMakerClient({ region: "us-east-1" });

beforeEach(() => {
  sagemaker.reset();
  sagemaker.on(DeleteEndpointCommand).resolves({});
  sagemaker.on(DeleteEndpointConfigCommand).resolves({});
  sagemaker.on(DeleteModelCommand).resolves({});
});

afterAll(() => {
  sagemaker.restore();
  client.destroy();
});

/** The report of a failed run; by default it created the model and config and updated the endpoint. */
function failedRun(changes: Partial<RunReport> = {}): RunReport {
  const report = createReport("us-east-1", ENDPOINT, 0);
  Object.assign(report, {
    modelName: MODEL,
    endpointConfigName: CONFIG,
    model: "created",
    endpointConfig: "created",
    operation: "updated",
    result: "failure",
    ...changes,
  });
  return report;
}

function endpoint(
  EndpointStatus: string,
  extra: Partial<DescribeEndpointCommandOutput> = {},
): Partial<DescribeEndpointCommandOutput> {
  return endpointAnswer(ENDPOINT, OLD_CONFIG, EndpointStatus, extra);
}

function awsError(name: string, message: string): SageMakerServiceException {
  return new SageMakerServiceException({
    name,
    message,
    $fault: "client",
    $metadata: { httpStatusCode: 400 },
  });
}

const notFound = () => awsError("ValidationException", `Could not find endpoint "${ENDPOINT}".`);

/** The Delete* calls made, in order, as "Kind name". */
function deletions(): string[] {
  return sagemaker.calls().flatMap((call) => {
    const command = call.args[0];
    if (command instanceof DeleteEndpointCommand) return [`endpoint ${command.input.EndpointName}`];
    if (command instanceof DeleteEndpointConfigCommand)
      return [`config ${command.input.EndpointConfigName}`];
    if (command instanceof DeleteModelCommand) return [`model ${command.input.ModelName}`];
    return [];
  });
}

describe("cleanUp", () => {
  it("deletes the config and model a failed update created, and leaves the endpoint alone", async () => {
    // prepare: the update rolled back, so the endpoint is InService on its old config
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(deletions()).toEqual([`config ${CONFIG}`, `model ${MODEL}`]);
    expect(report.deleted).toEqual([`endpoint config ${CONFIG}`, `model ${MODEL}`]);
    expect(report.left).toEqual([]);
  });

  it("never deletes a model or config this run reused", async () => {
    // prepare
    const report = failedRun({ model: "reused", endpointConfig: "reused" });
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(deletions()).toEqual([]);
    expect(report.deleted).toEqual([]);
  });

  it("deletes the config it created but not the model it reused", async () => {
    // prepare
    const report = failedRun({ model: "reused" });
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(deletions()).toEqual([`config ${CONFIG}`]);
    expect(sagemaker).not.toHaveReceivedCommand(DeleteModelCommand);
  });

  it.each([
    { name: "runs", found: endpoint("UpdateRollbackFailed", { EndpointConfigName: CONFIG }) },
    {
      name: "is still deploying",
      found: endpoint("Updating", {
        EndpointConfigName: OLD_CONFIG,
        PendingDeploymentSummary: {
          EndpointConfigName: CONFIG,
          StartTime: new Date(0),
        },
      }),
    },
  ])("keeps a config the endpoint $name, and its model", async ({ found }) => {
    // prepare
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).resolves(found);

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(deletions()).toEqual([]);
    expect(report.left).toEqual([
      expect.stringContaining(`endpoint config ${CONFIG}`),
      expect.stringContaining(`model ${MODEL}`),
    ]);
  });

  it("deletes a Failed endpoint it created first, then its config and model", async () => {
    // prepare
    const report = failedRun({ operation: "created" });
    const failed = endpoint("Failed", {
      EndpointConfigName: CONFIG,
      FailureReason: "Ping failed.",
    });
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(failed)
      .resolvesOnce(endpoint("Deleting", { EndpointConfigName: CONFIG }))
      .rejects(notFound());

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(deletions()).toEqual([`endpoint ${ENDPOINT}`, `config ${CONFIG}`, `model ${MODEL}`]);
    expect(report.deleted).toEqual([
      `endpoint ${ENDPOINT}`,
      `endpoint config ${CONFIG}`,
      `model ${MODEL}`,
    ]);
  });

  it("keeps the config and model when the deleted endpoint does not go away in time", async () => {
    // prepare
    const report = failedRun({ operation: "created" });
    const clock = fakeClock();
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(endpoint("Failed", { EndpointConfigName: CONFIG }))
      .resolves(endpoint("Deleting", { EndpointConfigName: CONFIG }));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock,
      enabled: true,
    });

    // assess
    expect(deletions()).toEqual([`endpoint ${ENDPOINT}`]);
    expect(report.left).toEqual([
      expect.stringContaining(`endpoint config ${CONFIG}`),
      expect.stringContaining(`model ${MODEL}`),
    ]);
    expect(clock.elapsed()).toBeGreaterThanOrEqual(ENDPOINT_DELETE_WAIT_MS);
    expect(clock.elapsed()).toBeLessThanOrEqual(ENDPOINT_DELETE_WAIT_MS + 5_000);
  });

  it.each(["Creating", "InService", "OutOfService"])(
    "does not delete an endpoint it created that is %s rather than Failed",
    async (status) => {
      // prepare
      const report = failedRun({ operation: "created" });
      sagemaker
        .on(DescribeEndpointCommand)
        .resolves(endpoint(status, { EndpointConfigName: CONFIG }));

      // act
      await cleanUp({
        gateway: createSageMakerGateway({ client }),
        log: silentLog,
        report,
        clock: fakeClock(),
        enabled: true,
      });

      // assess
      expect(sagemaker).not.toHaveReceivedCommand(DeleteEndpointCommand);
      expect(report.left).toEqual(
        expect.arrayContaining([expect.stringContaining(`endpoint ${ENDPOINT} (${status}`)]),
      );
    },
  );

  it("never deletes a Failed endpoint that existed before the run", async () => {
    // prepare
    const report = failedRun({ operation: "updated" });
    sagemaker
      .on(DescribeEndpointCommand)
      .resolves(endpoint("Failed", { EndpointConfigName: OLD_CONFIG }));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(sagemaker).not.toHaveReceivedCommand(DeleteEndpointCommand);
    expect(deletions()).toEqual([`config ${CONFIG}`, `model ${MODEL}`]);
  });

  it("deletes nothing with cleanup-on-failure false, and lists what it left", async () => {
    // prepare
    const report = failedRun({ operation: "created" });
    sagemaker
      .on(DescribeEndpointCommand)
      .resolves(endpoint("Failed", { EndpointConfigName: CONFIG }));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: false,
    });

    // assess
    expect(deletions()).toEqual([]);
    expect(report.deleted).toEqual([]);
    expect(report.left).toEqual([
      `endpoint ${ENDPOINT}`,
      `endpoint config ${CONFIG}`,
      `model ${MODEL}`,
    ]);
  });

  it("reports a failing config delete, keeps the model that config needs, and does not throw", async () => {
    // prepare: the config still exists, so the refused delete is not mistaken for one already done
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));
    sagemaker
      .on(DescribeEndpointConfigCommand)
      .resolves({ EndpointConfigName: CONFIG, EndpointConfigArn: `arn:${CONFIG}` });
    sagemaker
      .on(DeleteEndpointConfigCommand)
      .rejects(
        awsError(
          "AccessDeniedException",
          "not authorized to perform: sagemaker:DeleteEndpointConfig\n::error::x",
        ),
      );

    // act
    const cleaning = cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    await expect(cleaning).resolves.toBeUndefined();
    expect(sagemaker).not.toHaveReceivedCommand(DeleteModelCommand);
    const left = report.left.join("\n");
    expect(report.left).toHaveLength(2);
    expect(left).toContain(`endpoint config ${CONFIG} (delete failed: `);
    expect(left).toContain("sagemaker:DeleteEndpointConfig");
    expect(left).toContain(`model ${MODEL}`);
    // AWS's text reaches the job summary on one line, so it cannot start a workflow command.
    expect(renderSummary(report)).not.toMatch(/\n::error::/);
  });

  it("reports a failing model delete and does not throw", async () => {
    // prepare
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));
    sagemaker.on(DeleteModelCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));

    // act
    const cleaning = cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    await expect(cleaning).resolves.toBeUndefined();
    expect(report.deleted).toEqual([`endpoint config ${CONFIG}`]);
    expect(report.left).toEqual([
      `model ${MODEL} (delete failed: DeleteModel '${MODEL}' failed: Rate exceeded)`,
    ]);
  });

  it("counts a delete refused with AccessDenied as done once a read shows the model is gone", async () => {
    // prepare: a tag-scoped policy cannot see the tags of a model a dropped first attempt deleted
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));
    sagemaker
      .on(DeleteModelCommand)
      .rejects(
        awsError("AccessDeniedException", "not authorized to perform: sagemaker:DeleteModel"),
      );
    sagemaker
      .on(DescribeModelCommand)
      .rejects(awsError("ValidationException", `Could not find model "${MODEL}".`));

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(report.deleted).toEqual([`endpoint config ${CONFIG}`, `model ${MODEL}`]);
    expect(report.left).toEqual([]);
  });

  it("counts a delete answered 'Could not find' as done: a retry after a dropped answer meets it", async () => {
    // prepare: the first DeleteModel went through but its answer was lost; the retry finds nothing
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint("InService"));
    sagemaker
      .on(DeleteModelCommand)
      .rejects(
        awsError(
          "ValidationException",
          `Could not find model "arn:aws:sagemaker:us-east-1:123456789012:model/${MODEL}".`,
        ),
      );

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(report.deleted).toEqual([`endpoint config ${CONFIG}`, `model ${MODEL}`]);
    expect(report.left).toEqual([]);
  });

  it("keeps everything, without throwing, when a failing endpoint delete stops it", async () => {
    // prepare
    const report = failedRun({ operation: "created" });
    sagemaker
      .on(DescribeEndpointCommand)
      .resolves(endpoint("Failed", { EndpointConfigName: CONFIG }));
    sagemaker.on(DeleteEndpointCommand).rejects(awsError("AccessDeniedException", "Access denied"));

    // act
    const cleaning = cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    await expect(cleaning).resolves.toBeUndefined();
    expect(deletions()).toEqual([`endpoint ${ENDPOINT}`]);
    expect(report.deleted).toEqual([]);
    expect(report.left).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`endpoint ${ENDPOINT}`),
        expect.stringContaining(`endpoint config ${CONFIG}`),
        expect.stringContaining(`model ${MODEL}`),
      ]),
    );
  });

  it("keeps the config and model when it cannot tell whether the endpoint uses them", async () => {
    // prepare
    const report = failedRun();
    sagemaker.on(DescribeEndpointCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));

    // act
    const cleaning = cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    await expect(cleaning).resolves.toBeUndefined();
    expect(deletions()).toEqual([]);
    expect(report.left).toEqual([
      `endpoint config ${CONFIG} (the endpoint could not be read)`,
      `model ${MODEL} (the endpoint could not be read)`,
    ]);
  });

  it("does not even look at the endpoint when the run created nothing", async () => {
    // prepare
    const report = failedRun({ model: "reused", endpointConfig: "reused", operation: "unchanged" });

    // act
    await cleanUp({
      gateway: createSageMakerGateway({ client }),
      log: silentLog,
      report,
      clock: fakeClock(),
      enabled: true,
    });

    // assess
    expect(sagemaker.calls()).toHaveLength(0);
    expect(report.left).toEqual([]);
  });
});
