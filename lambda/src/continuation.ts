import { createHash } from "node:crypto";
import type { SchedulerClient } from "@aws-sdk/client-scheduler";
import { AwsCallError, errorName } from "../../src/shared/errors.js";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import { MAX_HOPS } from "./limits.js";

/** Prefix of every schedule the function creates; the IAM policy is scoped to it. */
export const SCHEDULE_NAME_PREFIX = "sagemaker-deploy-";

/** One request to run the function again later with the same payload. */
export interface ContinuationRequest {
  readonly payload: HandoffPayload;
  /** The hop the next invocation will be (1 for the first continuation). */
  readonly hop: number;
  /** When to run, epoch milliseconds. */
  readonly at: number;
  /** The function to invoke: the ARN this invocation was called by. */
  readonly functionArn: string;
}

/** Makes sure the function runs again later; resolves once that is arranged. */
export type ScheduleContinuation = (request: ContinuationRequest) => Promise<void>;

/** The event a continuation delivers: the hand-off payload plus its hop counter. */
export function continuationEvent(payload: HandoffPayload, hop: number): Record<string, unknown> {
  return { ...payload, continuation: { hop } };
}

/** Reads the hop counter of an event: 0 for the action's own hand-off. */
export function readHop(event: Record<string, unknown>): number | string {
  const continuation = event.continuation;
  if (continuation === undefined) return 0;
  const hop =
    typeof continuation === "object" && continuation !== null
      ? (continuation as Record<string, unknown>).hop
      : undefined;
  if (typeof hop !== "number" || !Number.isInteger(hop) || hop < 1 || hop > MAX_HOPS) {
    return `continuation.hop must be a whole number from 1 to ${MAX_HOPS}`;
  }
  return hop;
}

/**
 * A schedule name that is the same for the same hop of the same hand-off, so a retried
 * invocation finds the schedule already there (ConflictException) instead of forking the chain.
 */
export function scheduleName(payload: HandoffPayload, hop: number): string {
  const identity = [
    payload.endpointName,
    payload.expectedConfigName,
    payload.source.runId,
    payload.source.runAttempt,
    payload.source.deployId,
    payload.deadline,
  ].join("\n");
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 10);
  return `${SCHEDULE_NAME_PREFIX}${payload.endpointName.slice(0, 24)}-${hash}-${hop}`;
}

/** EventBridge Scheduler's one-time expression, in UTC to the second. */
export function atExpression(at: number): string {
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/** Options for {@link createSchedulerContinuation}. */
export interface SchedulerContinuationOptions {
  /** Role EventBridge Scheduler assumes to invoke the function. */
  readonly roleArn: string;
  /** The client to use; by default one is made on first use. */
  readonly client?: SchedulerClient;
  readonly customUserAgent?: [string, string][];
}

/**
 * Continues through a one-time EventBridge Scheduler schedule that deletes itself after it ran.
 * A direct `lambda:Invoke` of itself would be cut off by Lambda's recursive loop detection after
 * about 16 hops; a schedule starts a fresh chain (see lambda/README.md).
 */
export function createSchedulerContinuation(
  options: SchedulerContinuationOptions,
): ScheduleContinuation {
  let client = options.client;
  return async (request) => {
    const name = scheduleName(request.payload, request.hop);
    // Loaded on first use: most invocations never continue, so a cold start skips this SDK client.
    const sdk = await import(/* webpackIgnore: true */ "@aws-sdk/client-scheduler");
    client ??= new sdk.SchedulerClient({ customUserAgent: options.customUserAgent });
    const { ActionAfterCompletion, CreateScheduleCommand, FlexibleTimeWindowMode } = sdk;
    try {
      await client.send(
        new CreateScheduleCommand({
          Name: name,
          Description: `sagemaker-deploy: keep waiting for endpoint ${request.payload.endpointName}`,
          ScheduleExpression: atExpression(request.at),
          ScheduleExpressionTimezone: "UTC",
          FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
          ActionAfterCompletion: ActionAfterCompletion.DELETE,
          Target: {
            Arn: request.functionArn,
            RoleArn: options.roleArn,
            Input: JSON.stringify(continuationEvent(request.payload, request.hop)),
            RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          },
        }),
      );
    } catch (error) {
      if (errorName(error) === "ConflictException") return;
      throw new AwsCallError("CreateSchedule", name, error);
    }
  };
}
