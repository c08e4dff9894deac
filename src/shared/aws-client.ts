import { SageMakerClient } from "@aws-sdk/client-sagemaker";
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

/** Options for {@link awsClientConfig} and {@link createSageMakerClient}. */
export interface SageMakerClientOptions {
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
export function awsClientConfig(options: SageMakerClientOptions) {
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
 * Builds the SageMaker client shared by the action and the Lambda. Credentials come from the
 * default chain; `AWS_ENDPOINT_URL_SAGEMAKER` / `AWS_ENDPOINT_URL` are honoured by the SDK itself.
 */
export function createSageMakerClient(options: SageMakerClientOptions): SageMakerClient {
  return new SageMakerClient(awsClientConfig(options));
}
