import * as core from "@actions/core";
import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import type { Clock } from "./clock.js";
import { callAws, errorMessage, unlessNotFound } from "./errors.js";
import type { RunReport } from "./report.js";
import { printable } from "./validators.js";
import { describeEndpointIfExists, type Endpoint } from "./wait.js";

/** How long cleanup waits for a failed endpoint it deleted to disappear before freeing its config. */
export const ENDPOINT_DELETE_WAIT_MS = 120_000;
const ENDPOINT_DELETE_POLL_MS = 2_000;

/** Options for {@link cleanUp}. */
export interface CleanupOptions {
  readonly client: SageMakerClient;
  readonly report: RunReport;
  readonly clock: Clock;
  /** `false` (cleanup-on-failure: false): delete nothing, list what is left. */
  readonly enabled: boolean;
}

/** Deletes the Failed endpoint this run created and waits (bounded) until it is gone. */
async function deleteFailedEndpoint(options: CleanupOptions): Promise<Endpoint | undefined> {
  const { client, report, clock } = options;
  const name = report.endpointName;
  await unlessNotFound(() =>
    callAws("DeleteEndpoint", name, () =>
      client.send(new DeleteEndpointCommand({ EndpointName: name })),
    ),
  );
  report.deleted.push(`endpoint ${name}`);
  const until = clock.now() + ENDPOINT_DELETE_WAIT_MS;
  let endpoint = await describeEndpointIfExists(client, name);
  while (endpoint && clock.now() < until) {
    await clock.sleep(ENDPOINT_DELETE_POLL_MS);
    endpoint = await describeEndpointIfExists(client, name);
  }
  return endpoint;
}

/** Runs one deletion; a failure is reported and leaves the resource listed as left. */
async function tryDelete(
  report: RunReport,
  label: string,
  remove: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await unlessNotFound(remove);
    report.deleted.push(label);
    return true;
  } catch (error) {
    report.left.push(`${label} (delete failed: ${printable(errorMessage(error))})`);
    return false;
  }
}

function keepAll(report: RunReport): void {
  if (report.endpointConfig === "created")
    report.left.push(`endpoint config ${report.endpointConfigName}`);
  if (report.model === "created") report.left.push(`model ${report.modelName}`);
}

/**
 * Deletes exactly what this run created after a failed deploy: a Failed endpoint it created,
 * then its endpoint config unless an endpoint still uses it, then its model unless that config
 * was kept. Resources that existed before the run are never touched. Never throws.
 */
export async function cleanUp(options: CleanupOptions): Promise<void> {
  await removeCreated(options);
  const { report } = options;
  if (report.deleted.length > 0)
    core.info(`Cleanup deleted what this run created: ${report.deleted.join(", ")}.`);
  if (report.left.length > 0) core.info(`Left in place: ${report.left.join(", ")}.`);
}

async function removeCreated(options: CleanupOptions): Promise<void> {
  const { client, report } = options;
  const created = [
    ...(report.operation === "created" ? [`endpoint ${report.endpointName}`] : []),
    ...(report.endpointConfig === "created"
      ? [`endpoint config ${report.endpointConfigName}`]
      : []),
    ...(report.model === "created" ? [`model ${report.modelName}`] : []),
  ];
  if (created.length === 0) return;
  if (!options.enabled) {
    report.left.push(...created);
    return;
  }
  let endpoint: Endpoint | undefined;
  try {
    endpoint = await describeEndpointIfExists(client, report.endpointName);
    if (report.operation === "created" && endpoint?.EndpointStatus === "Failed") {
      endpoint = await deleteFailedEndpoint(options);
    } else if (report.operation === "created" && endpoint) {
      report.left.push(
        `endpoint ${report.endpointName} (${endpoint?.EndpointStatus ?? "unknown"}, not Failed)`,
      );
    }
  } catch (error) {
    core.warning(
      `Cleanup could not check the endpoint, so it keeps the config and model: ${printable(errorMessage(error))}`,
    );
    if (report.operation === "created") report.left.push(`endpoint ${report.endpointName}`);
    return keepAll(report);
  }
  const inUse = new Set([
    endpoint?.EndpointConfigName,
    endpoint?.PendingDeploymentSummary?.EndpointConfigName,
  ]);
  let configGone = report.endpointConfig !== "created";
  const configName = report.endpointConfigName ?? "";
  if (report.endpointConfig === "created") {
    if (inUse.has(configName))
      report.left.push(`endpoint config ${configName} (in use by the endpoint)`);
    else {
      configGone = await tryDelete(report, `endpoint config ${configName}`, () =>
        client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: configName })),
      );
    }
  }
  const modelName = report.modelName ?? "";
  if (report.model === "created") {
    if (!configGone) report.left.push(`model ${modelName} (its endpoint config is kept)`);
    else
      await tryDelete(report, `model ${modelName}`, () =>
        client.send(new DeleteModelCommand({ ModelName: modelName })),
      );
  }
}
