import type { Clock } from "../../src/shared/clock.js";
import type { SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import type { LambdaConfig } from "./config.js";
import type { ScheduleContinuation } from "./continuation.js";
import type { GetToken } from "./github-credentials.js";
import type { Log } from "./logger.js";
import type { ClaimReport } from "./report-claims.js";

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
  /** Claims each report in the reports table; absent without `REPORTS_TABLE_NAME`. */
  readonly claimReport?: ClaimReport;
  /** Longest gap between DescribeEndpoint calls while waiting inside one invocation. */
  readonly pollCapMs: number;
  /** Draws the poll schedule's jitter; Math.random unless a test fixes it. */
  readonly random?: () => number;
}

/** The facts of the current invocation the core needs. */
export interface Invocation {
  /** The ARN this invocation was called by: its account and region bound what is reported. */
  readonly functionArn: string;
  /** Lambda's request id, which a retry of the same event keeps. */
  readonly requestId: string;
  /** Milliseconds left before Lambda stops this invocation. */
  readonly remainingTimeMs: () => number;
}
