import type { DeployContext } from "./deploy-context.js";
import type { GithubDeploymentTarget } from "./github-deployment.js";
import { consoleLinks } from "./shared/console-links.js";
import { errorMessage } from "./shared/errors.js";
import type { Endpoint } from "./shared/sagemaker-gateway.js";

/**
 * The steps only some deploys take, each loading its module on first use: the smoke test
 * (smoke-test), keep-versions, and the GitHub Deployment (github-environment).
 */

/** Reads the endpoint after a failed smoke test, so status and summary say where it ended. */
async function readAfterSmokeTest(ctx: DeployContext): Promise<void> {
  const { report } = ctx;
  const endpoint = await ctx.sagemaker
    .describeEndpoint(ctx.config.endpointName)
    .catch(() => undefined);
  if (!endpoint?.EndpointStatus) return;
  report.status = endpoint.EndpointStatus;
  const on = endpoint.EndpointConfigName;
  if (on && on !== report.endpointConfigName)
    report.notes.push(
      `Endpoint ${report.endpointName} is ${endpoint.EndpointStatus} on endpoint config ${on} again.`,
    );
}

/**
 * Once the endpoint is InService on this run's config (or already was): sends the smoke-test
 * request. A failure after an update puts the endpoint back on its previous config and throws
 * SmokeTestFailed, so cleanup then removes this run's now unused config and model.
 */
export async function smokeTest(
  ctx: DeployContext,
  endpoint: Endpoint,
  operation: "created" | "updated" | "unchanged",
): Promise<void> {
  const spec = ctx.config.release?.smokeTest;
  if (!spec) return;
  const { config, report } = ctx;
  const { SmokeTestFailed, smokeTestDeployment } = await import("./smoke-test.js");
  try {
    const verdict = await smokeTestDeployment({
      spec,
      runtime: () => ctx.release.runtime(config.region, ctx.signal),
      gateway: ctx.sagemaker,
      endpoint,
      operation,
      currentConfigName: report.endpointConfigName ?? "",
      ...(report.previousConfigName ? { previousConfigName: report.previousConfigName } : {}),
      deadline: ctx.watchUntil,
      nextDelay: () => config.pollIntervalMs,
      clock: ctx.clock,
      signal: ctx.signal,
      log: ctx.log,
    });
    report.notes.push(`Smoke test passed: ${verdict.reason}.`);
  } catch (error) {
    if (error instanceof SmokeTestFailed) await readAfterSmokeTest(ctx);
    throw error;
  }
}

/** keep-versions, after a success: deletes this endpoint's older models and configs. Never throws. */
export async function keepVersions(ctx: DeployContext): Promise<void> {
  const keep = ctx.config.release?.keepVersions;
  if (keep === undefined) return;
  const { report } = ctx;
  const { applyRetention, retentionNotes } = await import("./retention.js");
  const result = await applyRetention({
    gateway: ctx.sagemaker,
    endpointName: ctx.config.endpointName,
    repository: ctx.provenance.repository,
    keep,
    currentConfigName: report.endpointConfigName ?? "",
    ...(report.previousConfigName ? { previousConfigName: report.previousConfigName } : {}),
    clock: ctx.clock,
    log: ctx.log,
  });
  report.notes.push(...retentionNotes(keep, result));
}

/** Where the GitHub Deployment goes; `undefined` without github-environment, or on a dry run. */
function deploymentTarget(
  ctx: DeployContext,
  env: NodeJS.ProcessEnv,
): (GithubDeploymentTarget & { readonly environment: string }) | undefined {
  const github = ctx.config.release?.githubDeployment;
  if (!github || ctx.config.dryRun) return undefined;
  return {
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    repository: ctx.provenance.repository,
    token: github.token,
    log: ctx.log,
    loadOctokit: ctx.release.github,
    environment: github.environment,
  };
}

/** The workflow run's page, for the Deployment's log link. */
function runUrl(ctx: DeployContext, env: NodeJS.ProcessEnv): string | undefined {
  const { repository, runId } = ctx.provenance;
  if (!repository || !runId) return undefined;
  return `${env.GITHUB_SERVER_URL || "https://github.com"}/${repository}/actions/runs/${runId}`;
}

function links(ctx: DeployContext, env: NodeJS.ProcessEnv) {
  const logUrl = runUrl(ctx, env);
  return {
    environmentUrl: consoleLinks.endpoint(ctx.config.region, ctx.config.endpointName),
    ...(logUrl ? { logUrl } : {}),
  };
}

/** github-environment: records a GitHub Deployment of this commit, in_progress; its id goes to the report. */
export async function startGithubDeployment(
  ctx: DeployContext,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const target = deploymentTarget(ctx, env);
  if (!target) return;
  const { startDeployment } = await import("./github-deployment.js");
  const { endpointName, region } = ctx.config;
  const id = await startDeployment(target, {
    environment: target.environment,
    sha: ctx.provenance.sha,
    description: `Deploying ${endpointName} (${region})`,
    ...links(ctx, env),
    payload: { endpoint: endpointName, region },
  });
  if (id !== undefined) ctx.report.githubDeploymentId = id;
}

/**
 * Sets the Deployment's final status from how the run ended; after a hand-off or with wait
 * false it stays in_progress (the companion Lambda, or nobody yet, knows the end). Never throws.
 */
export async function finishGithubDeployment(
  ctx: DeployContext,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const id = ctx.report.githubDeploymentId;
  const target = deploymentTarget(ctx, env);
  if (id === undefined || !target) return;
  try {
    const { deploymentDescription, deploymentStateFor, finishDeployment } = await import(
      "./github-deployment.js"
    );
    const state = deploymentStateFor(ctx.report);
    if (state === undefined) return;
    await finishDeployment(target, id, {
      state,
      description: deploymentDescription(ctx.report),
      ...links(ctx, env),
    });
  } catch (error) {
    ctx.log.warning(`Could not finish GitHub deployment ${id}: ${errorMessage(error)}`);
  }
}
