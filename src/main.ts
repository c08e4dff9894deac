import { cleanUp } from "./cleanup.js";
import { type DeployOutcome, deploy } from "./deploy.js";
import type { DeployContext } from "./deploy-context.js";
import { handoffDeadline } from "./deploy-plan.js";
import { formatDuration } from "./durations.js";
import { readConfig } from "./inputs.js";
import { writeOutputs } from "./outputs.js";
import type { ActionDependencies } from "./ports.js";
import { finishGithubDeployment, keepVersions, startGithubDeployment } from "./release-steps.js";
import { createReport } from "./report.js";
import { handOff } from "./send-handoff.js";
import { consoleLinks } from "./shared/console-links.js";
import { CancelledError, DeployError, errorMessage, InputError } from "./shared/errors.js";
import { loadSpecDocument } from "./spec/load-spec.js";
import { renderSummary } from "./summary.js";

/** The endpoint is still provisioning (deadline, cancellation, hand-off trouble): nothing is cleaned up. */
class StillProvisioning extends DeployError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StillProvisioning";
  }
}

/** How long before the credentials expire the wait hands off (the Invoke needs them too). */
export const CREDENTIAL_MARGIN_MS = 120_000;

async function handOffOrFail(ctx: DeployContext, deps: ActionDependencies, why: string) {
  const { config, report } = ctx;
  if (!config.handoff || !report.operation || report.operation === "unchanged") {
    throw new StillProvisioning(
      `${why}: endpoint '${config.endpointName}' is still ${report.status ?? "provisioning"}. Watch it at ${consoleLinks.endpoint(config.region, config.endpointName)}, raise wait-timeout, or set handoff-function to let the companion Lambda report the result.`,
    );
  }
  try {
    await handOff({
      invoke: await deps.invokeHandoff(),
      log: ctx.log,
      handoff: config.handoff,
      report,
      provenance: ctx.provenance,
      // handoff-timeout counts from the hand-off, which may come before wait-timeout (wait: false,
      // cancellation, expiring credentials); the companion refuses a deadline past 24 h.
      deadline: handoffDeadline(Math.min(ctx.deadline, ctx.clock.now()), config.handoff),
      ...(report.githubDeploymentId === undefined
        ? {}
        : { githubDeploymentId: report.githubDeploymentId }),
    });
  } catch (error) {
    throw new StillProvisioning(errorMessage(error), { cause: error });
  }
  notHandedOn(ctx);
}

/** Says what the companion Lambda does not do: it reports the status only. */
function notHandedOn(ctx: DeployContext): void {
  const release = ctx.config.release;
  const skipped = [
    ...(release?.smokeTest ? ["smoke-test"] : []),
    ...(release?.keepVersions !== undefined ? ["keep-versions"] : []),
  ];
  if (skipped.length > 0)
    ctx.report.notes.push(
      `${skipped.join(" and ")} did not run: the companion Lambda reports the endpoint's status only.`,
    );
}

/** Says plainly what exists after a cancellation, since nothing more will be changed. */
async function cancelled(ctx: DeployContext, deps: ActionDependencies): Promise<void> {
  const { report } = ctx;
  report.result = "cancelled";
  const made = [
    ...(report.model === "created" ? [`model ${report.modelName}`] : []),
    ...(report.endpointConfig === "created"
      ? [`endpoint config ${report.endpointConfigName}`]
      : []),
  ];
  report.notes.push(
    made.length > 0
      ? `Cancelled: this run created ${made.join(" and ")}; they are left in place.`
      : "Cancelled: this run created nothing.",
  );
  if (report.operation === "created" || report.operation === "updated") {
    report.notes.push(
      `Endpoint ${report.endpointName} was ${report.operation === "created" ? "being created" : "being updated"} and is still ${report.status ?? "provisioning"}.`,
    );
    return handOffOrFail(ctx, deps, "The job was cancelled");
  }
  throw new StillProvisioning("The job was cancelled before the endpoint was changed.");
}

/** Turns the outcome into the step's result: success, hand-off, or a thrown error. */
async function conclude(ctx: DeployContext, deps: ActionDependencies, outcome: DeployOutcome) {
  const { report } = ctx;
  switch (outcome.kind) {
    case "success":
    case "unchanged":
      report.result = "success";
      ctx.log.info(`Endpoint ${report.endpointName} is InService on ${report.endpointConfigName}.`);
      return keepVersions(ctx);
    case "failure":
      report.result = "failure";
      report.failureReason = outcome.reason;
      throw new DeployError(`Endpoint '${report.endpointName}' did not deploy: ${outcome.reason}`);
    case "timeout":
      report.result = "timeout";
      if (ctx.watchUntil < ctx.deadline)
        return handOffOrFail(ctx, deps, "The AWS credentials expire soon");
      return handOffOrFail(
        ctx,
        deps,
        `Not InService within wait-timeout (${formatDuration(ctx.config.waitTimeoutMs)})`,
      );
    case "cancelled":
      return cancelled(ctx, deps);
    case "credentials":
      report.result = "failure";
      throw new StillProvisioning(
        `The AWS credentials expired or are invalid (${errorMessage(outcome.error)}), so endpoint '${report.endpointName}' can no longer be watched; it is still ${report.status ?? "provisioning"}. Raise role-duration-seconds in aws-actions/configure-aws-credentials (OIDC sessions last 1 h by default), lower wait-timeout, or set handoff-function so the companion Lambda waits instead.`,
      );
    case "dry-run":
      report.result = "dry-run";
      ctx.log.info("Dry run: nothing was changed.");
      return;
    case "not-waited":
      report.result = "not-waited";
      if (ctx.config.handoff) return handOffOrFail(ctx, deps, "wait is false");
      report.notes.push(
        `Not waiting (wait: false): the endpoint is ${report.status ?? "provisioning"}.`,
      );
  }
}

/** Ends the wait before the credentials expire, warning when wait-timeout outlasts them. */
async function watchUntil(ctx: Omit<DeployContext, "watchUntil">): Promise<number> {
  const expiry = await ctx.sagemaker.credentialExpiry();
  if (expiry === undefined || expiry >= ctx.deadline) return ctx.deadline;
  const left = formatDuration(expiry - ctx.clock.now());
  const plan = ctx.config.handoff
    ? "the wait hands off to the companion 2 minutes before they do"
    : "the wait will fail when they do; raise role-duration-seconds or set handoff-function";
  ctx.log.warning(
    `The AWS credentials expire in ${left}, before wait-timeout (${formatDuration(ctx.config.waitTimeoutMs)}): ${plan}.`,
  );
  return ctx.config.handoff
    ? Math.max(ctx.clock.now(), expiry - CREDENTIAL_MARGIN_MS)
    : ctx.deadline;
}

async function createContext(deps: ActionDependencies): Promise<DeployContext> {
  const specInput = deps.input("spec").trim();
  const spec = specInput
    ? await loadSpecDocument(specInput, deps.env.GITHUB_WORKSPACE || process.cwd())
    : undefined;
  const config = readConfig(deps.input, deps.env, spec);
  const startedAt = deps.clock.now();
  const base = {
    sagemaker: deps.sagemaker(config.region, deps.cancelled),
    autoscaling: deps.autoscaling(config.region, deps.cancelled),
    release: deps.release,
    config,
    provenance: deps.provenance,
    clock: deps.clock,
    log: deps.log,
    signal: deps.cancelled,
    deadline: startedAt + config.waitTimeoutMs,
    report: createReport(config.region, config.endpointName, startedAt),
  };
  return { ...base, watchUntil: await watchUntil(base) };
}

/** A report for a run refused before it began, so outputs and the summary still say why. */
function refusedReport(deps: ActionDependencies, error: unknown) {
  const report = createReport(
    deps.input("region").trim() || deps.env.AWS_REGION || "",
    deps.input("endpoint-name").trim(),
    deps.clock.now(),
  );
  report.result = "failure";
  report.failureReason = error instanceof InputError ? error.message : errorMessage(error);
  return report;
}

/**
 * The action: inputs → GitHub Deployment → deploy → wait → smoke test → keep-versions, or
 * hand-off, or cleanup → the Deployment's status → outputs and summary.
 */
export async function run(deps: ActionDependencies): Promise<void> {
  let ctx: DeployContext | undefined;
  try {
    ctx = await createContext(deps);
    await startGithubDeployment(ctx, deps.env);
    const outcome = await deploy(ctx);
    await conclude(ctx, deps, outcome);
  } catch (error) {
    const failure =
      ctx && (error instanceof CancelledError || deps.cancelled.aborted)
        ? await cancelled(ctx, deps).then(
            () => undefined,
            (e: unknown) => e,
          )
        : error;
    if (failure !== undefined) await fail(ctx, deps, failure);
  } finally {
    if (ctx) await finishGithubDeployment(ctx, deps.env);
    const report = ctx?.report;
    if (report) {
      writeOutputs(report, deps.setOutput);
      await deps
        .writeSummary(renderSummary(report))
        .catch((error) =>
          deps.log.warning(`Could not write the job summary: ${errorMessage(error)}`),
        );
    }
    ctx?.sagemaker.destroy();
    ctx?.autoscaling.destroy();
  }
}

/** Fails the step once; any failure but "still provisioning" first removes what this run created. */
async function fail(ctx: DeployContext | undefined, deps: ActionDependencies, error: unknown) {
  if (!ctx) {
    const report = refusedReport(deps, error);
    writeOutputs(report, deps.setOutput);
    await deps.writeSummary(renderSummary(report)).catch(() => undefined);
  } else {
    ctx.report.failureReason ??= errorMessage(error);
    if (!(error instanceof StillProvisioning)) {
      ctx.report.result = "failure";
      await cleanUp({
        gateway: ctx.sagemaker,
        report: ctx.report,
        clock: ctx.clock,
        log: ctx.log,
        enabled: ctx.config.cleanupOnFailure,
      });
    }
  }
  deps.fail(errorMessage(error));
}
