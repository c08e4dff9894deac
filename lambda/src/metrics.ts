import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { RESULT, type ResultKind } from "./handler-result.js";

/** The CloudWatch namespace of the function's metrics (Powertools reads `POWERTOOLS_METRICS_NAMESPACE` first). */
export const METRICS_NAMESPACE = "SageMakerDeploy";

/**
 * The outcomes counted, one metric each, with the one dimension `service` (the function's
 * name). Waiting, continuing and ignoring an event are the normal course and are not counted.
 */
export const OUTCOME_METRICS: Readonly<Partial<Record<ResultKind, string>>> = {
  [RESULT.dispatched]: "Dispatched",
  [RESULT.alreadyReported]: "AlreadyReported",
  [RESULT.refused]: "Refused",
  [RESULT.dispatchFailed]: "DispatchFailed",
  [RESULT.invalid]: "Invalid",
};

/** Counts the outcome of one invocation. */
export type CountOutcome = (result: ResultKind) => Promise<void>;

/** Writes each counted outcome at once as one CloudWatch embedded-metric-format line on stdout. */
export function createOutcomeMetrics(serviceName: string): CountOutcome {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  return async (result) => {
    const name = OUTCOME_METRICS[result];
    if (!name) return;
    metrics.addMetric(name, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  };
}
