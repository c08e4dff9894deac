import { SageMakerClient } from "@aws-sdk/client-sagemaker";

/** Product name and version sent in the user agent of every AWS call. */
export const USER_AGENT = ["sagemaker-deploy", "1.0.0"] as const;

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

/** Options for {@link createSageMakerClient}. */
export interface SageMakerClientOptions {
  readonly region: string;
  /** Extra user-agent pair, e.g. `["lambda", "1"]`. */
  readonly userAgentSuffix?: readonly [string, string];
  readonly maxAttempts?: number;
}

/**
 * Builds the SageMaker client shared by the action and the Lambda. Credentials come from the
 * default chain; `AWS_ENDPOINT_URL_SAGEMAKER` / `AWS_ENDPOINT_URL` are honoured by the SDK itself.
 */
export function createSageMakerClient(options: SageMakerClientOptions): SageMakerClient {
  const userAgent: [string, string][] = [[USER_AGENT[0], USER_AGENT[1]]];
  if (options.userAgentSuffix) userAgent.push([...options.userAgentSuffix]);
  return new SageMakerClient({
    region: options.region,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    retryMode: "adaptive",
    customUserAgent: userAgent,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
  });
}
