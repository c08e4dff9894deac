import type { AutoScalingSession } from "./autoscaling-gateway.js";
import type { Provenance } from "./provenance.js";
import type { ReleaseClients } from "./release-clients.js";
import type { Clock } from "./shared/clock.js";
import type { HandoffPayload } from "./shared/handoff-payload.js";
import type { SageMakerGateway } from "./shared/sagemaker-gateway.js";

/** Where the action's lines go; the runner's adapter makes every line inert (no workflow commands). */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  /** Raw answers and details, shown only with step debug logging. */
  debug(message: string): void;
}

/** A SageMaker gateway bound to one region and the job's cancellation, with its client's lifetime. */
export interface SageMakerSession extends SageMakerGateway {
  /** When the credentials in use expire (epoch ms), if they say. */
  credentialExpiry(): Promise<number | undefined>;
  /** Whether SageMaker has answered any of this run's calls as throttled. */
  throttled(): boolean;
  destroy(): void;
}

/** Sends the hand-off payload to the companion Lambda (asynchronous invoke). */
export type InvokeHandoff = (options: {
  readonly region: string;
  readonly functionName: string;
  readonly payload: HandoffPayload;
}) => Promise<void>;

/**
 * Everything the action talks to, built once by the entry point (src/runner.ts) and handed
 * down, so the deploy runs in process against the emulator in tests.
 */
export interface ActionDependencies {
  /** Reads one raw input by its action.yml name ("" when unset). */
  readonly input: (name: string) => string;
  readonly env: NodeJS.ProcessEnv;
  readonly provenance: Provenance;
  readonly sagemaker: (region: string, signal: AbortSignal) => SageMakerSession;
  /** Loaded only when a hand-off happens, so the Lambda client stays off the start path. */
  readonly invokeHandoff: () => Promise<InvokeHandoff>;
  /** ECR, S3 and SageMaker Runtime, each loaded only for a deploy that needs it. */
  readonly release: ReleaseClients;
  /** Application Auto Scaling for the region; its client loads on the first call only. */
  readonly autoscaling: (region: string, signal: AbortSignal) => AutoScalingSession;
  readonly log: Log;
  readonly setOutput: (name: string, value: string) => void;
  /** Appends Markdown to the job summary (a no-op where the runner gives none). */
  readonly writeSummary: (markdown: string) => Promise<void>;
  /** Fails the step with this message (once). */
  readonly fail: (message: string) => void;
  readonly clock: Clock;
  /** Aborts when the job is cancelled (SIGINT/SIGTERM). */
  readonly cancelled: AbortSignal;
}
