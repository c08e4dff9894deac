import * as core from "@actions/core";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { cleanUp } from "./cleanup.js";
import { type Clock, systemClock } from "./clock.js";
import { type DeployContext, type DeployOutcome, deploy, handoffDeadline } from "./deploy.js";
import { formatDuration } from "./durations.js";
import { DeployError, errorMessage } from "./errors.js";
import { handOff } from "./handoff.js";
import { type Config, readConfig } from "./inputs.js";
import { writeOutputs } from "./outputs.js";
import { readProvenance } from "./provenance.js";
import { consoleLinks, createReport } from "./report.js";
import { awsClientConfig, createSageMakerClient } from "./sagemaker-client.js";
import { writeSummary } from "./summary.js";

/** The endpoint is still provisioning (deadline, cancellation, hand-off trouble): nothing is cleaned up. */
class StillProvisioning extends DeployError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StillProvisioning";
  }
}

/** What {@link run} may be handed instead of the real thing (tests). */
export interface RunDependencies {
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
}

function createContext(config: Config, deps: RunDependencies, signal: AbortSignal): DeployContext {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  return {
    client: createSageMakerClient({ region: config.region }),
    config,
    provenance: readProvenance(),
    clock,
    signal,
    deadline: startedAt + config.waitTimeoutMs,
    report: createReport(config.region, config.endpointName, startedAt),
  };
}

/** Aborts on the runner's SIGINT/SIGTERM (a cancelled job) as well as on `deps.signal`. */
function cancellation(deps: RunDependencies): AbortController {
  const controller = new AbortController();
  const abort = (signal: string) => () => {
    core.info(`Received ${signal}: stopping the wait.`);
    controller.abort();
  };
  process.once("SIGINT", abort("SIGINT"));
  process.once("SIGTERM", abort("SIGTERM"));
  deps.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller;
}

async function handOffOrFail(ctx: DeployContext, why: string): Promise<void> {
  const { config, report } = ctx;
  if (!config.handoff) {
    throw new StillProvisioning(
      `${why}: endpoint '${config.endpointName}' is still ${report.status ?? "provisioning"}. Watch it at ${consoleLinks.endpoint(config.region, config.endpointName)}, raise wait-timeout, or set handoff-function to let the companion Lambda report the result.`,
    );
  }
  const lambda = new LambdaClient(awsClientConfig({ region: config.region }));
  try {
    await handOff({
      lambda,
      handoff: config.handoff,
      report,
      provenance: ctx.provenance,
      deadline: handoffDeadline(ctx.deadline, config.handoff),
    });
  } catch (error) {
    throw new StillProvisioning(errorMessage(error), { cause: error });
  } finally {
    lambda.destroy();
  }
}

/** Turns the outcome into the step's result: success, hand-off, or a thrown error. */
async function conclude(ctx: DeployContext, outcome: DeployOutcome): Promise<void> {
  const { report } = ctx;
  switch (outcome.kind) {
    case "success":
    case "unchanged":
      report.result = "success";
      core.info(`Endpoint ${report.endpointName} is InService on ${report.endpointConfigName}.`);
      return;
    case "failure":
      report.result = "failure";
      report.failureReason = outcome.reason;
      throw new DeployError(`Endpoint '${report.endpointName}' did not deploy: ${outcome.reason}`);
    case "timeout":
      report.result = "timeout";
      return handOffOrFail(
        ctx,
        `Not InService within wait-timeout (${formatDuration(ctx.config.waitTimeoutMs)})`,
      );
    case "cancelled":
      report.result = "cancelled";
      return handOffOrFail(ctx, "The job was cancelled");
    case "not-waited":
      report.result = "not-waited";
      if (ctx.config.handoff) return handOffOrFail(ctx, "wait is false");
      report.notes.push(
        `Not waiting (wait: false): the endpoint is ${report.status ?? "provisioning"}.`,
      );
  }
}

/** The action: inputs → deploy → wait → hand-off or cleanup → outputs and summary. */
export async function run(deps: RunDependencies = {}): Promise<void> {
  let ctx: DeployContext | undefined;
  try {
    const config = readConfig((name) => core.getInput(name));
    ctx = createContext(config, deps, cancellation(deps).signal);
    await conclude(ctx, await deploy(ctx));
  } catch (error) {
    if (ctx) ctx.report.failureReason ??= errorMessage(error);
    // Any failure but "still provisioning" removes what this run created (and only that).
    if (ctx && !(error instanceof StillProvisioning)) {
      ctx.report.result = "failure";
      await cleanUp({
        client: ctx.client,
        report: ctx.report,
        clock: ctx.clock,
        enabled: ctx.config.cleanupOnFailure,
      });
    }
    core.setFailed(errorMessage(error));
  } finally {
    if (ctx) {
      writeOutputs(ctx.report);
      await writeSummary(ctx.report).catch((error) =>
        core.warning(`Could not write the job summary: ${errorMessage(error)}`),
      );
      ctx.client.destroy();
    }
  }
}
