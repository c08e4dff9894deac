import type { Log } from "./ports.js";
import type { RunReport } from "./report.js";
import type { Clock } from "./shared/clock.js";
import { errorMessage } from "./shared/errors.js";
import type { Endpoint, SageMakerGateway } from "./shared/sagemaker-gateway.js";
import { isTransitional } from "./shared/status.js";

/** How long cleanup waits for a failed endpoint it deleted to disappear before freeing its config. */
export const ENDPOINT_DELETE_WAIT_MS = 120_000;
const ENDPOINT_DELETE_POLL_MS = 2_000;
/**
 * Gap between the two reads a deletion is decided on: one DescribeEndpoint answer may be stale
 * (eventually consistent), so a config or model is deleted only when two reads, apart, agree.
 */
export const CONFIRM_READ_GAP_MS = 5_000;

/** Options for {@link cleanUp}. */
export interface CleanupOptions {
  readonly gateway: SageMakerGateway;
  readonly report: RunReport;
  readonly clock: Clock;
  readonly log: Log;
  /** `false` (cleanup-on-failure: false): delete nothing, list what is left. */
  readonly enabled: boolean;
}

type Read = { readonly ok: true; readonly endpoint: Endpoint | undefined } | { readonly ok: false };

async function readEndpoint(options: CleanupOptions): Promise<Read> {
  try {
    return {
      ok: true,
      endpoint: await options.gateway.describeEndpoint(options.report.endpointName),
    };
  } catch (error) {
    options.log.warning(`Cleanup could not read the endpoint: ${errorMessage(error)}`);
    return { ok: false };
  }
}

/** Two reads, {@link CONFIRM_READ_GAP_MS} apart, that both satisfy `holds`; else `undefined`. */
async function confirmedRead(
  options: CleanupOptions,
  first: Read,
  holds: (endpoint: Endpoint | undefined) => boolean,
): Promise<Read | undefined> {
  if (!first.ok || !holds(first.endpoint)) return undefined;
  await options.clock.sleep(CONFIRM_READ_GAP_MS);
  const second = await readEndpoint(options);
  return second.ok && holds(second.endpoint) ? second : undefined;
}

/** Deletes the Failed endpoint this run created and waits (bounded) until two reads agree it is gone. */
async function deleteFailedEndpoint(options: CleanupOptions): Promise<Read> {
  const { gateway, report, clock } = options;
  const name = report.endpointName;
  await gateway.deleteEndpoint(name);
  report.deleted.push(`endpoint ${name}`);
  const until = clock.now() + ENDPOINT_DELETE_WAIT_MS;
  let read = await readEndpoint(options);
  for (;;) {
    const gone = await confirmedRead(options, read, (endpoint) => endpoint === undefined);
    if (gone || clock.now() >= until) return gone ?? read;
    await clock.sleep(ENDPOINT_DELETE_POLL_MS);
    read = await readEndpoint(options);
  }
}

/** Runs one deletion; a failure is reported and leaves the resource listed as left. */
async function tryDelete(
  report: RunReport,
  label: string,
  remove: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await remove();
    report.deleted.push(label);
    return true;
  } catch (error) {
    report.left.push(`${label} (delete failed: ${errorMessage(error)})`);
    return false;
  }
}

function createdByRun(report: RunReport): string[] {
  return [
    ...(report.operation === "created" ? [`endpoint ${report.endpointName}`] : []),
    ...(report.endpointConfig === "created"
      ? [`endpoint config ${report.endpointConfigName}`]
      : []),
    ...(report.model === "created" ? [`model ${report.modelName}`] : []),
  ];
}

function keepConfigAndModel(report: RunReport, why: string): void {
  if (report.endpointConfig === "created")
    report.left.push(`endpoint config ${report.endpointConfigName} (${why})`);
  if (report.model === "created") report.left.push(`model ${report.modelName} (${why})`);
}

/**
 * Deletes exactly what this run created after a failed deploy: a Failed endpoint it created,
 * then its endpoint config when two reads agree no endpoint uses or is moving to it, then its
 * model once that config is gone. Resources that existed before the run are never touched, and
 * after UpdateRollbackFailed nothing is deleted. Never throws.
 */
export async function cleanUp(options: CleanupOptions): Promise<void> {
  const { report, log } = options;
  const created = createdByRun(report);
  if (created.length > 0 && !options.enabled) report.left.push(...created);
  else if (created.length > 0) await removeCreated(options);
  if (report.deleted.length > 0)
    log.info(`Cleanup deleted what this run created: ${report.deleted.join(", ")}.`);
  if (report.left.length > 0) log.info(`Left in place: ${report.left.join(", ")}.`);
}

async function removeCreated(options: CleanupOptions): Promise<void> {
  const { gateway, report } = options;
  let read = await readEndpoint(options);
  if (!read.ok) {
    if (report.operation === "created") report.left.push(`endpoint ${report.endpointName}`);
    return keepConfigAndModel(report, "the endpoint could not be read");
  }
  const status = read.endpoint?.EndpointStatus;
  if (status === "UpdateRollbackFailed") {
    return keepConfigAndModel(
      report,
      "UpdateRollbackFailed: the endpoint may serve a mix of old and new, so nothing is deleted",
    );
  }
  if (report.operation === "created" && status === "Failed") {
    try {
      read = await deleteFailedEndpoint(options);
    } catch (error) {
      report.left.push(`endpoint ${report.endpointName} (delete failed: ${errorMessage(error)})`);
      return keepConfigAndModel(report, "the Failed endpoint that uses it is kept");
    }
  } else if (report.operation === "created" && read.endpoint) {
    report.left.push(`endpoint ${report.endpointName} (${status ?? "unknown"}, not Failed)`);
  }
  const configName = report.endpointConfigName ?? "";
  // After an update, "not found" is no proof of anything; otherwise it means nothing uses the config.
  const free = (endpoint: Endpoint | undefined) =>
    endpoint === undefined
      ? report.operation !== "updated"
      : !isTransitional(endpoint.EndpointStatus) &&
        endpoint.EndpointConfigName !== configName &&
        endpoint.PendingDeploymentSummary?.EndpointConfigName !== configName;
  let configGone = report.endpointConfig !== "created";
  if (report.endpointConfig === "created") {
    if (!(await confirmedRead(options, read, free))) {
      return keepConfigAndModel(
        report,
        "two reads did not confirm that no endpoint uses or is moving to it",
      );
    }
    configGone = await tryDelete(report, `endpoint config ${configName}`, () =>
      gateway.deleteEndpointConfig(configName),
    );
  }
  const modelName = report.modelName ?? "";
  if (report.model !== "created") return;
  if (!configGone) report.left.push(`model ${modelName} (its endpoint config is kept)`);
  else await tryDelete(report, `model ${modelName}`, () => gateway.deleteModel(modelName));
}
