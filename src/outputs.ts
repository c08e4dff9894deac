import type { RunReport } from "./report.js";

/** Writes every output of docs/architecture.md, "Inputs and outputs" that the run has a value for. */
export function writeOutputs(
  report: RunReport,
  setOutput: (name: string, value: string) => void,
): void {
  const outputs: Record<string, string | undefined> = {
    "model-arn": report.modelArn,
    "endpoint-config-arn": report.endpointConfigArn,
    "endpoint-arn": report.endpointArn,
    "endpoint-status": report.status,
    "failure-reason": report.failureReason,
    "model-name": report.modelName,
    "endpoint-config-name": report.endpointConfigName,
    operation: report.operation,
    "handed-off": String(report.handedOff),
    plan: report.plan ? JSON.stringify(report.plan) : undefined,
    ...report.sourceOutputs,
    "github-deployment-id":
      report.githubDeploymentId === undefined ? undefined : String(report.githubDeploymentId),
  };
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined && value !== "") setOutput(name, value);
  }
}
