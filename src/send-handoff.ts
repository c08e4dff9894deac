import type { HandoffSpec } from "./inputs.js";
import type { InvokeHandoff, Log } from "./ports.js";
import type { Provenance } from "./provenance.js";
import type { RunReport } from "./report.js";
import { DeployError, errorMessage, errorName } from "./shared/errors.js";
import {
  HANDOFF_PAYLOAD_VERSION,
  type HandoffPayload,
  parseHandoffPayload,
} from "./shared/handoff-payload.js";

/** Options for {@link handOff}. */
export interface HandoffOptions {
  readonly invoke: InvokeHandoff;
  readonly log: Log;
  readonly handoff: HandoffSpec;
  readonly report: RunReport;
  readonly provenance: Provenance;
  /** When the Lambda stops waiting (ISO 8601). */
  readonly deadline: string;
  /** The GitHub Deployment left in_progress for the Lambda to finish, if one was recorded. */
  readonly githubDeploymentId?: number;
}

/** Builds the hand-off payload (docs/architecture.md, "Hand-off payload") from what the run knows. It never carries a token. */
export function buildPayload(options: HandoffOptions): HandoffPayload {
  const { report, provenance, handoff } = options;
  return {
    version: HANDOFF_PAYLOAD_VERSION,
    endpointName: report.endpointName,
    endpointArn: report.endpointArn ?? "",
    expectedConfigName: report.endpointConfigName ?? "",
    region: report.region,
    deadline: options.deadline,
    callback: {
      repository: provenance.repository,
      workflow: handoff.workflow,
      ref: handoff.ref ?? provenance.ref,
    },
    source: {
      runId: provenance.runId,
      runAttempt: provenance.runAttempt,
      sha: provenance.sha,
      deployId: provenance.deployId,
      ...(options.githubDeploymentId === undefined
        ? {}
        : { githubDeploymentId: String(options.githubDeploymentId) }),
    },
  };
}

function explain(error: unknown, functionName: string, region: string): string {
  switch (errorName(error)) {
    case "ResourceNotFoundException":
      return `handoff-function '${functionName}' was not found in ${region}: deploy the companion (lambda/template.yaml) or fix the name`;
    case "AccessDeniedException":
    case "AccessDenied":
      return `the job's role may not call lambda:InvokeFunction on handoff-function '${functionName}': allow it in the role's policy`;
    default:
      return `invoking handoff-function '${functionName}' failed: ${errorMessage(error)}`;
  }
}

/**
 * Hands the rest of the wait to the companion Lambda (asynchronous invoke). On
 * success the report says where the result will arrive; on failure it throws a DeployError
 * that says what to fix, while the endpoint keeps provisioning.
 */
export async function handOff(options: HandoffOptions): Promise<void> {
  const payload = buildPayload(options);
  const parsed = parseHandoffPayload(payload);
  const { report, handoff } = options;
  if (!parsed.ok) {
    throw new DeployError(
      `Cannot hand off: ${parsed.problems.join("; ")} (the hand-off needs GITHUB_REPOSITORY, GITHUB_RUN_ID and GITHUB_SHA as a workflow run sets them). The endpoint is still provisioning.`,
    );
  }
  try {
    await options.invoke({ region: report.region, functionName: handoff.functionName, payload });
  } catch (error) {
    throw new DeployError(
      `${explain(error, handoff.functionName, report.region)}. The endpoint is still provisioning.`,
      {
        cause: error,
      },
    );
  }
  report.handedOff = true;
  report.result = "handed-off";
  const note = `Handed the wait to ${handoff.functionName}; it will dispatch ${handoff.workflow} on ${payload.callback.repository}@${payload.callback.ref} with the final status (waiting until ${payload.deadline}).`;
  report.notes.push(note);
  options.log.info(note);
}
