import * as core from "@actions/core";
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { DeployError, errorMessage, errorName } from "./errors.js";
import {
  HANDOFF_PAYLOAD_VERSION,
  type HandoffPayload,
  parseHandoffPayload,
} from "./handoff-payload.js";
import type { HandoffSpec } from "./inputs.js";
import type { Provenance } from "./provenance.js";
import type { RunReport } from "./report.js";
import { printable } from "./validators.js";

/** Options for {@link handOff}. */
export interface HandoffOptions {
  readonly lambda: LambdaClient;
  readonly handoff: HandoffSpec;
  readonly report: RunReport;
  readonly provenance: Provenance;
  /** When the Lambda stops waiting (ISO 8601). */
  readonly deadline: string;
}

/** Builds the DESIGN §4 payload from what the run knows. It never carries a token. */
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
    source: { runId: provenance.runId, runAttempt: provenance.runAttempt, sha: provenance.sha },
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
      return `invoking handoff-function '${functionName}' failed: ${printable(errorMessage(error))}`;
  }
}

/**
 * Hands the rest of the wait to the companion Lambda (asynchronous invoke, DESIGN §4). On
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
    await options.lambda.send(
      new InvokeCommand({
        FunctionName: handoff.functionName,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
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
  core.info(note);
}
