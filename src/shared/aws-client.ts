import { SageMakerClient, type SageMakerClientConfig } from "@aws-sdk/client-sagemaker";
import { AdaptiveRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import packageJson from "../../package.json" with { type: "json" };

/** Product name and version sent in the user agent of every AWS call. */
export const USER_AGENT = ["sagemaker-deploy", packageJson.version] as const;

/**
 * Attempts per AWS call. SageMaker's control plane throttles busy accounts hard. The SDK's
 * adaptive mode backs off exponentially with jitter (base 100 ms, cap 20 s) and also slows the
 * client's own sending rate after throttling, so many deploys in one account drain the queue
 * instead of retrying into it (50 concurrent deploys at 10 requests/s: docs/reliability.md).
 */
export const MAX_ATTEMPTS = 12;

/** Socket limits, so a dropped or silent connection is retried instead of hanging the job. */
export const CONNECTION_TIMEOUT_MS = 5_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Options for {@link awsClientConfig}. */
export interface AwsClientOptions {
  readonly region: string;
  /** Extra user-agent pair, e.g. `["lambda", "1"]`. */
  readonly userAgentSuffix?: readonly [string, string];
  readonly maxAttempts?: number;
}

/** The user agent of every AWS call: this product, then an optional suffix. */
export function userAgent(suffix?: readonly [string, string]): [string, string][] {
  return suffix ? [[...USER_AGENT], [...suffix]] : [[...USER_AGENT]];
}

/** Region, retries, user agent and socket limits shared by every AWS client of the project. */
export function awsClientConfig(options: AwsClientOptions) {
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    retryMode: "adaptive",
    customUserAgent: userAgent(options.userAgentSuffix),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
  };
}

/**
 * The retry strategies of one SageMaker session: one shared strategy (so every call of the run
 * waits on the same adaptive sending rate and draws on the same retry quota), seen two ways.
 */
export interface SessionRetries {
  /** For every call. */
  readonly strategy: RetryStrategyV2;
  /**
   * For calls that are asked again anyway, such as a wait's DescribeEndpoint polls: a throttled
   * answer is given back at once instead of being retried, because the next poll is the retry
   * and retrying sooner only adds to the load that throttled it. Other failures are retried.
   */
  readonly pollStrategy: RetryStrategyV2;
  /** How many attempts SageMaker has answered as throttled so far, over both. */
  throttles(): number;
}

/**
 * {@link SessionRetries} over `shared`: by default the SDK's adaptive strategy with
 * {@link MAX_ATTEMPTS}, the one `retryMode: "adaptive"` would build.
 */
export function sessionRetries(
  shared: RetryStrategyV2 = new AdaptiveRetryStrategy(MAX_ATTEMPTS),
): SessionRetries {
  let throttles = 0;
  const view = (retryThrottled: boolean): RetryStrategyV2 => ({
    acquireInitialRetryToken: (scope: string) => shared.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: async (token: RetryToken, info: RetryErrorInfo) => {
      if (info.errorType === "THROTTLING") {
        throttles += 1;
        if (!retryThrottled) throw new Error("throttled; the next poll is the retry");
      }
      return shared.refreshRetryTokenForRetry(token, info);
    },
    recordSuccess: (token: RetryToken) => shared.recordSuccess(token),
  });
  return { strategy: view(true), pollStrategy: view(false), throttles: () => throttles };
}

/** The SageMaker clients of one session, sharing retries, credentials and connections. */
export interface SageMakerClients {
  /** For every call. */
  readonly client: SageMakerClient;
  /** For a wait's polls: throttled answers are not retried ({@link SessionRetries}). */
  readonly pollClient: SageMakerClient;
  /** Whether SageMaker has answered any call of either as throttled. */
  throttled(): boolean;
  destroy(): void;
}

/** Options for {@link createSageMakerClients}. */
export interface SageMakerClientsOptions extends AwsClientOptions {
  /** The strategy both clients share ({@link sessionRetries}); the SDK's adaptive one if unset. */
  readonly retries?: RetryStrategyV2;
  /** Further client settings, e.g. a test's endpoint and credentials. */
  readonly clientConfig?: Partial<SageMakerClientConfig>;
}

/**
 * Builds {@link SageMakerClients}, used by the action and the Lambda. Credentials come from the
 * default chain; `AWS_ENDPOINT_URL_SAGEMAKER` / `AWS_ENDPOINT_URL` are honoured by the SDK
 * itself. The poll client reuses the main client's credentials and HTTP handler, so it resolves
 * no credentials and opens no connection of its own.
 */
export function createSageMakerClients(options: SageMakerClientsOptions): SageMakerClients {
  const retries = sessionRetries(options.retries);
  const config = { ...awsClientConfig(options), ...options.clientConfig };
  const client = new SageMakerClient({ ...config, retryStrategy: retries.strategy });
  const pollClient = new SageMakerClient({
    ...config,
    retryStrategy: retries.pollStrategy,
    credentials: client.config.credentials,
    requestHandler: client.config.requestHandler,
  });
  return {
    client,
    pollClient,
    throttled: () => retries.throttles() > 0,
    // The handler is shared, so destroying the main client closes both.
    destroy: () => client.destroy(),
  };
}
