import type { DeployContext } from "./deploy-context.js";
import { createdByThisRun } from "./ensure-resources.js";
import { DeployError, errorMessage, isAlreadyExisting } from "./shared/errors.js";
import type { ChangeMade } from "./shared/status.js";
import type { Tag } from "./shared/tags.js";

/** Creates the endpoint on `configName`; answers the change made, for the wait to check reads against. */
export async function createEndpoint(
  ctx: DeployContext,
  configName: string,
  tags: readonly Tag[],
): Promise<ChangeMade> {
  const name = ctx.config.endpointName;
  const at = ctx.clock.now();
  try {
    ctx.report.endpointArn = await ctx.sagemaker.createEndpoint({
      EndpointName: name,
      EndpointConfigName: configName,
      Tags: [...tags],
    });
  } catch (error) {
    // A retried create whose first attempt went through: ours only if it carries our deploy-id.
    if (!isAlreadyExisting(error)) throw error;
    const endpoint = await ctx.sagemaker.describeEndpoint(name);
    if (!endpoint?.EndpointArn || !(await createdByThisRun(ctx, endpoint.EndpointArn))) {
      throw new DeployError(
        `CreateEndpoint '${name}' failed: another deploy created the endpoint at the same time. Re-run to update it.`,
        { cause: error },
      );
    }
    ctx.report.endpointArn = endpoint.EndpointArn;
  }
  ctx.report.operation = "created";
  ctx.log.info(`endpoint ${name}: CreateEndpoint accepted (config ${configName})`);
  return { kind: "create", at };
}

/** True when the endpoint is already being updated to (or runs) `configName`. */
async function isUpdatingTo(ctx: DeployContext, configName: string): Promise<boolean> {
  const endpoint = await ctx.sagemaker
    .describeEndpoint(ctx.config.endpointName)
    .catch(() => undefined);
  return (
    endpoint?.PendingDeploymentSummary?.EndpointConfigName === configName ||
    (endpoint?.EndpointConfigName === configName && endpoint.EndpointStatus !== "InService")
  );
}

/** Moves the endpoint to `configName`, then retags it; answers the change made. */
export async function updateEndpoint(
  ctx: DeployContext,
  configName: string,
  tags: readonly Tag[],
): Promise<ChangeMade> {
  const name = ctx.config.endpointName;
  const deploymentConfig = ctx.config.deploymentConfig;
  const at = ctx.clock.now();
  try {
    await ctx.sagemaker.updateEndpoint({
      EndpointName: name,
      EndpointConfigName: configName,
      ...(deploymentConfig ? { DeploymentConfig: deploymentConfig } : {}),
    });
  } catch (error) {
    // A retry after a dropped answer finds the update already running: that update is ours.
    if (ctx.signal.aborted || !(await isUpdatingTo(ctx, configName))) throw error;
  }
  ctx.report.operation = "updated";
  ctx.log.info(`endpoint ${name}: UpdateEndpoint accepted (config ${configName})`);
  const arn = ctx.report.endpointArn;
  if (arn) {
    // Tags describe the deployment now running; a tagging failure must not fail a good deploy.
    await ctx.sagemaker.addTags(arn, tags).catch((error) => ctx.log.warning(errorMessage(error)));
  }
  return { kind: "update", at };
}
