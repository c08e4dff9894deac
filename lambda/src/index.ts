import type { Context } from "aws-lambda";
import { createSageMakerClients, userAgent } from "../../src/shared/aws-client.js";
import { systemClock } from "../../src/shared/clock.js";
import { errorMessage } from "../../src/shared/errors.js";
import {
  createSageMakerGateway,
  type SageMakerGateway,
} from "../../src/shared/sagemaker-gateway.js";
import { readConfig } from "./config.js";
import { createSchedulerContinuation } from "./continuation.js";
import type { Dependencies } from "./dependencies.js";
import { createTokenProvider } from "./github-credentials.js";
import { handleEvent } from "./handle-event.js";
import type { HandlerResult } from "./handler-result.js";
import { asLog, createLogger, serviceName } from "./logger.js";
import { createOutcomeMetrics } from "./metrics.js";
import { POLL_CAP_MS } from "./poll-plan.js";
import { createDynamoClaims } from "./report-claims.js";
import { createSecretReader } from "./secrets.js";

/** Marks the companion's AWS calls apart from the action's. */
const LAMBDA_USER_AGENT = ["lambda", "1"] as const;
const logger = createLogger();
const countOutcome = createOutcomeMetrics(serviceName());
let dependencies: Dependencies | undefined;

function buildDependencies(): Dependencies {
  const config = readConfig(process.env);
  const customUserAgent = userAgent(LAMBDA_USER_AGENT);
  const gateways = new Map<string, SageMakerGateway>();
  const createGateway = (region: string): SageMakerGateway => {
    const { client, pollClient } = createSageMakerClients({
      region,
      userAgentSuffix: LAMBDA_USER_AGENT,
    });
    return createSageMakerGateway({ client, pollClient });
  };
  const sagemaker = (region: string): SageMakerGateway => {
    const gateway = gateways.get(region) ?? createGateway(region);
    gateways.set(region, gateway);
    return gateway;
  };
  const fetcher: typeof fetch = (input, init) => fetch(input, init);
  return {
    config,
    sagemaker,
    getToken: createTokenProvider({
      readSecret: createSecretReader({
        secretArn: config.tokenSecretArn,
        customUserAgent,
      }),
      apiUrl: config.githubApiUrl,
      fetch: fetcher,
      clock: systemClock,
    }),
    fetch: fetcher,
    clock: systemClock,
    logger: asLog(logger),
    scheduleContinuation: createSchedulerContinuation({
      roleArn: config.schedulerRoleArn,
      customUserAgent,
    }),
    ...(config.reportsTableName
      ? {
          claimReport: createDynamoClaims({ tableName: config.reportsTableName, customUserAgent }),
        }
      : {}),
    pollCapMs: POLL_CAP_MS,
  };
}

/**
 * The Lambda entry point (`index.handler`): a hand-off payload (docs/architecture.md "Hand-off
 * payload") or an EventBridge "SageMaker Endpoint State Change" event. Configuration and
 * clients are built once per container; each outcome is counted (src/metrics.ts).
 */
export async function handler(event: unknown, context: Context): Promise<HandlerResult> {
  logger.addContext(context);
  try {
    dependencies ??= buildDependencies();
    const result = await handleEvent(
      event,
      {
        functionArn: context.invokedFunctionArn,
        requestId: context.awsRequestId,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
      },
      dependencies,
    );
    await countOutcome(result.result);
    return result;
  } catch (error) {
    // Only reached before anything was dispatched or scheduled, so Lambda's retry is safe.
    logger.error("Invocation failed; Lambda may retry it", { reason: errorMessage(error) });
    throw error;
  }
}
