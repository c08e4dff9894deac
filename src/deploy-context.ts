import type { AutoScalingSession } from "./autoscaling-gateway.js";
import type { Config } from "./inputs.js";
import type { Log, SageMakerSession } from "./ports.js";
import type { Provenance } from "./provenance.js";
import type { ReleaseClients } from "./release-clients.js";
import type { RunReport } from "./report.js";
import type { Clock } from "./shared/clock.js";

/** Everything one deploy needs, handed in so tests control AWS, time and cancellation. */
export interface DeployContext {
  readonly sagemaker: SageMakerSession;
  /** Application Auto Scaling (its client loads only if an update needs it). */
  readonly autoscaling: AutoScalingSession;
  /** ECR, S3 and SageMaker Runtime (content identity and the smoke test), each loaded on first use. */
  readonly release: ReleaseClients;
  readonly config: Config;
  readonly provenance: Provenance;
  readonly clock: Clock;
  readonly log: Log;
  /** Aborts when the job is cancelled. */
  readonly signal: AbortSignal;
  /** End of the wait-timeout (epoch ms); the companion's deadline counts from it. */
  readonly deadline: number;
  /** When the wait stops (epoch ms): the deadline, or earlier when credentials expire first. */
  readonly watchUntil: number;
  readonly report: RunReport;
}
