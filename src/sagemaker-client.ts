import { SageMakerClient } from "@aws-sdk/client-sagemaker";

/** Product name and version sent in the user agent of every AWS call. */
export const USER_AGENT = ["sagemaker-deploy", "1.0.0"] as const;

/**
 * Attempts per AWS call. SageMaker's control plane throttles busy accounts hard; the SDK's
 * standard mode backs off exponentially with jitter (base 100 ms, cap 20 s) between them.
 */
export const MAX_ATTEMPTS = 10;

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
    retryMode: "standard",
    customUserAgent: userAgent,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
    },
  });
}
