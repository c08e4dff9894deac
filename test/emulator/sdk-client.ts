import type { SageMakerClientConfig } from "@aws-sdk/client-sagemaker";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";

type RetryStrategyV2 = Extract<
  NonNullable<SageMakerClientConfig["retryStrategy"]>,
  { recordSuccess: unknown }
>;
type RetryToken = Awaited<ReturnType<RetryStrategyV2["acquireInitialRetryToken"]>>;
type RetryErrorInfo = Parameters<RetryStrategyV2["refreshRetryTokenForRetry"]>[1];

/** Never-realistic credentials for the emulator. */
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" } as const;

/** Backoff between retries: the SDK's default (up to 1 s after a throttle) would make tests slow. */
const QUICK_RETRY_DELAY_MS = 5;

function retryToken(count: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => QUICK_RETRY_DELAY_MS };
}

/** The SDK's standard retry decisions (throttling and transient errors only) with a 5 ms backoff; remembers why it retried. */
export class QuickRetries implements RetryStrategyV2 {
  readonly retriedOn: string[] = [];

  constructor(private readonly maxAttempts = 3) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retryable = info.errorType === "THROTTLING" || info.errorType === "TRANSIENT";
    if (!retryable || token.getRetryCount() + 1 >= this.maxAttempts) {
      throw new Error("No retry token available");
    }
    this.retriedOn.push(info.errorType);
    return retryToken(token.getRetryCount() + 1);
  }

  recordSuccess(): void {}
}

/** A real SageMakerClient pointed at the emulator. */
export function sageMakerClient(
  url: string,
  config: Partial<SageMakerClientConfig> = {},
): SageMakerClient {
  return new SageMakerClient({
    endpoint: url,
    region: "us-east-1",
    credentials: TEST_CREDENTIALS,
    ...config,
  });
}
