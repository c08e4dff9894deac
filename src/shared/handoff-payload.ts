/**
 * The hand-off payload (docs/architecture.md "Hand-off payload"): what the action sends the companion Lambda. It never holds
 * a token; the Lambda reads its own from Secrets Manager.
 */

import { isRecord, PATTERNS } from "./patterns.js";

/** The only payload version this code writes and reads. */
export const HANDOFF_PAYLOAD_VERSION = 1;

/** Limits that keep a hostile payload from costing anything (SageMaker names are ≤ 63). */
const MAX_FIELD_LENGTH = 2048;

/** Where and how the Lambda reports back (a workflow_dispatch on this workflow). */
export interface CallbackTarget {
  readonly repository: string;
  readonly workflow: string;
  readonly ref: string;
}

/** Provenance of the run that handed off. */
export interface HandoffSource {
  readonly runId: string;
  readonly runAttempt: string;
  readonly sha: string;
  /**
   * The deploy's random id, also on the endpoint's `sagemaker-deploy:deploy-id` tag: the Lambda
   * reports only for an endpoint that carries it, so a payload cannot name a deploy it did not see.
   */
  readonly deployId: string;
  /**
   * The GitHub Deployment the run recorded (github-environment), left in_progress: the Lambda
   * sets its final status with its own token.
   */
  readonly githubDeploymentId?: string;
}

/** The payload of docs/architecture.md, "Hand-off payload". */
export interface HandoffPayload {
  readonly version: typeof HANDOFF_PAYLOAD_VERSION;
  readonly endpointName: string;
  readonly endpointArn: string;
  readonly expectedConfigName: string;
  readonly region: string;
  /** ISO 8601 instant after which the Lambda stops waiting and reports "timed out waiting". */
  readonly deadline: string;
  readonly callback: CallbackTarget;
  readonly source: HandoffSource;
}

/** Result of {@link parseHandoffPayload}. */
export type ParsedPayload =
  | { readonly ok: true; readonly payload: HandoffPayload }
  | { readonly ok: false; readonly problems: readonly string[] };

const NAME = PATTERNS.resourceName;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const REGION = PATTERNS.region;
const REPOSITORY = PATTERNS.repository;
const WORKFLOW = PATTERNS.workflowFile;
const ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:endpoint\/[a-z0-9-]{1,63}$/;
/** `crypto.randomUUID()`, as the action makes deploy ids. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a valid SageMaker resource name (endpoint, config, model). */
export function isSageMakerName(text: string): boolean {
  return NAME.test(text);
}

/** True for an AWS region name such as `us-east-1`. */
export function isRegionName(text: string): boolean {
  return REGION.test(text);
}

function readString(
  record: Record<string, unknown>,
  key: string,
  path: string,
  problems: string[],
  pattern?: RegExp,
): string {
  const value = record[key];
  if (typeof value !== "string" || value.length === 0) {
    problems.push(`${path} must be a non-empty string`);
    return "";
  }
  if (value.length > MAX_FIELD_LENGTH || (pattern && !pattern.test(value))) {
    problems.push(`${path} is not valid`);
    return "";
  }
  return value;
}

function readCallbackTarget(
  record: Record<string, unknown>,
  prefix: string,
  problems: string[],
): CallbackTarget {
  return {
    repository: readString(record, "repository", `${prefix}repository`, problems, REPOSITORY),
    workflow: readString(record, "workflow", `${prefix}workflow`, problems, WORKFLOW),
    ref: readString(record, "ref", `${prefix}ref`, problems, PATTERNS.gitRef),
  };
}

/** Checks a callback target that came from elsewhere than a payload (e.g. endpoint tags); never throws. */
export function parseCallbackTarget(
  record: Record<string, unknown>,
):
  | { readonly ok: true; readonly target: CallbackTarget }
  | { readonly ok: false; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const target = readCallbackTarget(record, "", problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, target };
}

/** The optional `source.githubDeploymentId`: GitHub's numeric id, as a string. */
function readDeploymentId(
  source: Record<string, unknown>,
  problems: string[],
): { githubDeploymentId?: string } {
  if (source.githubDeploymentId === undefined) return {};
  const id = readString(
    source,
    "githubDeploymentId",
    "source.githubDeploymentId",
    problems,
    /^\d{1,20}$/,
  );
  return id ? { githubDeploymentId: id } : {};
}

/** Checks an untrusted event against the payload schema; never throws. */
export function parseHandoffPayload(event: unknown): ParsedPayload {
  if (!isRecord(event)) return { ok: false, problems: ["payload must be a JSON object"] };
  if (event.version !== HANDOFF_PAYLOAD_VERSION) {
    return {
      ok: false,
      problems: [
        `unsupported payload version (this function reads version ${HANDOFF_PAYLOAD_VERSION})`,
      ],
    };
  }
  const problems: string[] = [];
  const callback = isRecord(event.callback) ? event.callback : {};
  const source = isRecord(event.source) ? event.source : {};
  if (!isRecord(event.callback)) problems.push("callback must be an object");
  if (!isRecord(event.source)) problems.push("source must be an object");
  const payload: HandoffPayload = {
    version: HANDOFF_PAYLOAD_VERSION,
    endpointName: readString(event, "endpointName", "endpointName", problems, NAME),
    endpointArn: readString(event, "endpointArn", "endpointArn", problems, ARN),
    expectedConfigName: readString(
      event,
      "expectedConfigName",
      "expectedConfigName",
      problems,
      NAME,
    ),
    region: readString(event, "region", "region", problems, REGION),
    deadline: readString(event, "deadline", "deadline", problems),
    callback: readCallbackTarget(callback, "callback.", problems),
    source: {
      runId: readString(source, "runId", "source.runId", problems, /^\d{1,20}$/),
      runAttempt: readString(source, "runAttempt", "source.runAttempt", problems, /^\d{1,6}$/),
      sha: readString(source, "sha", "source.sha", problems, /^[0-9a-f]{7,64}$/),
      deployId: readString(source, "deployId", "source.deployId", problems, UUID),
      ...readDeploymentId(source, problems),
    },
  };
  if (
    payload.deadline &&
    !(ISO_INSTANT.test(payload.deadline) && !Number.isNaN(Date.parse(payload.deadline)))
  ) {
    problems.push("deadline must be an ISO 8601 time");
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, payload };
}
