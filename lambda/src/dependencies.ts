import type { Clock } from "../../src/shared/clock.js";
import type { SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import type { LambdaConfig } from "./config.js";
import type { ScheduleContinuation } from "./continuation.js";
import type { GetToken } from "./github-credentials.js";
import type { Log } from "./logger.js";

/** Everything the core talks to; the handler builds the real ones once per container. */
export interface Dependencies {
  readonly config: LambdaConfig;
  /** The SageMaker gateway for a region (the payload's or the event's). */
  readonly sagemaker: (region: string) => SageMakerGateway;
  readonly getToken: GetToken;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly logger: Log;
  readonly scheduleContinuation: ScheduleContinuation;
  /** DescribeEndpoint interval while waiting inside one invocation. */
  readonly pollIntervalMs: number;
}

/** The facts of the current invocation the core needs. */
export interface Invocation {
  /** The ARN this invocation was called by; a continuation invokes the same. */
  readonly functionArn: string;
  /** Milliseconds left before Lambda stops this invocation. */
  readonly remainingTimeMs: () => number;
}
