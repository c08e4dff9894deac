import * as core from "@actions/core";
import { createAutoScalingGateway } from "./autoscaling-gateway.js";
import type { GetOctokit } from "./github-deployment.js";
import type { ActionDependencies, InvokeHandoff, SageMakerSession } from "./ports.js";
import { readProvenance } from "./provenance.js";
import { loadReleaseClients } from "./release-clients.js";
import { createSageMakerClients } from "./shared/aws-client.js";
import { systemClock } from "./shared/clock.js";
import { createSageMakerGateway } from "./shared/sagemaker-gateway.js";
import { printable } from "./validators.js";

/**
 * Aborts on the runner's SIGINT/SIGTERM: GitHub sends one when the job is cancelled, and kills
 * the process a few seconds later.
 */
function cancellationSignal(info: (message: string) => void): AbortSignal {
  const controller = new AbortController();
  const abort = (signal: string) => () => {
    info(`Received ${signal}: the job was cancelled; no further change will be started.`);
    controller.abort();
  };
  process.once("SIGINT", abort("SIGINT"));
  process.once("SIGTERM", abort("SIGTERM"));
  return controller.signal;
}

function sageMakerSession(region: string, signal: AbortSignal): SageMakerSession {
  const clients = createSageMakerClients({ region });
  const { client, pollClient } = clients;
  return {
    ...createSageMakerGateway({ client, pollClient, signal }),
    throttled: clients.throttled,
    credentialExpiry: async () => {
      try {
        const credentials = await client.config.credentials();
        return credentials.expiration?.getTime();
      } catch {
        // No credentials at all: the first call says so with the SDK's own message.
        return undefined;
      }
    },
    destroy: clients.destroy,
  };
}

/** Loads `@actions/github` (Octokit) only for github-environment, in a chunk of its own. */
async function loadGetOctokit(): Promise<GetOctokit> {
  const { getOctokit } = await import("@actions/github");
  return getOctokit;
}

/** Loads the Lambda client only for a hand-off (a separate chunk of the bundle). */
async function loadInvokeHandoff(): Promise<InvokeHandoff> {
  const { invokeHandoff } = await import("./lambda-invoke.js");
  return invokeHandoff;
}

/** The real adapters over `@actions/core`, `@actions/github`, the AWS SDK, the clock and signals. */
export function createRunnerDependencies(): ActionDependencies {
  const info = (message: string) => core.info(printable(message));
  // Masked before anything can log it; only github-environment's Deployments use it.
  const githubToken = core.getInput("github-token").trim();
  if (githubToken) core.setSecret(githubToken);
  return {
    input: (name) => core.getInput(name),
    env: process.env,
    provenance: readProvenance(process.env),
    sagemaker: sageMakerSession,
    invokeHandoff: loadInvokeHandoff,
    release: loadReleaseClients(process.env, loadGetOctokit),
    autoscaling: (region, signal) => createAutoScalingGateway({ region, signal }),
    log: {
      info,
      warning: (message) => core.warning(printable(message)),
      debug: (message) => core.debug(printable(message)),
    },
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown).write();
    },
    fail: (message) => core.setFailed(printable(message)),
    clock: systemClock,
    cancelled: cancellationSignal(info),
  };
}
