import {
  type CallbackTarget,
  type HandoffPayload,
  isSageMakerName,
  parseCallbackTarget,
} from "../../src/shared/handoff-payload.js";
import type { SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { decodeTagValue, sanitizeTagValue, TAG_KEYS, type Tag } from "../../src/shared/tags.js";

/** One deploy that handed off: what identifies it and where it reports. */
export interface Deployment {
  /** The action's random id of the deploy (`sagemaker-deploy:deploy-id`). */
  readonly deployId: string;
  readonly runId: string;
  readonly runAttempt: string;
  /** The config the deploy put on the endpoint. */
  readonly expectedConfigName: string;
  readonly callback: CallbackTarget;
}

/** A deployment as the endpoint's tags describe it. */
export interface TaggedDeployment extends Deployment {
  /** When the hand-off ends (epoch ms); undefined when the tag is empty or absent. */
  readonly deadline?: number;
}

/** The deployment a hand-off payload claims to report. */
export function deploymentOf(payload: HandoffPayload): Deployment {
  return {
    deployId: payload.source.deployId,
    runId: payload.source.runId,
    runAttempt: payload.source.runAttempt,
    expectedConfigName: payload.expectedConfigName,
    callback: payload.callback,
  };
}

/**
 * What identifies one report across the hand-off, EventBridge events and retries: the run, its
 * attempt (a re-run that deploys the same config again gets its own callback) and the config.
 * At most 20 + 6 + 63 characters plus separators, all of them allowed in a tag value.
 */
export function reportKey(deployment: Deployment): string {
  return `${deployment.runId}/${deployment.runAttempt}/${deployment.expectedConfigName}`;
}

/** The `sagemaker-deploy:reported` value of a claim: the key, the status and who claimed it. */
export function reportedValue(key: string, status: string, claimId: string): string {
  return sanitizeTagValue(`${key}/${status}/${claimId}`);
}

/** The `sagemaker-deploy:reported` value when it records `key`, else undefined. */
export function reportedClaim(
  tags: Readonly<Record<string, string>>,
  key: string,
): string | undefined {
  const reported = tags[TAG_KEYS.reported];
  return reported?.startsWith(`${key}/`) ? reported : undefined;
}

/**
 * Records on the endpoint that this deployment's outcome is being reported, and with it the
 * timing history when the report is an InService one (one AddTags, so both or neither).
 */
export async function markReported(
  gateway: SageMakerGateway,
  endpointArn: string,
  value: string,
  timing?: string,
): Promise<void> {
  const tags: Tag[] = [{ Key: TAG_KEYS.reported, Value: value }];
  if (timing) tags.push({ Key: TAG_KEYS.timing, Value: timing });
  await gateway.addTags(endpointArn, tags);
}

/** Result of {@link readTaggedDeployment}. */
export type ReadTags =
  | { readonly ok: true; readonly deployment: TaggedDeployment }
  | { readonly ok: false; readonly problems: readonly string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function readDeadline(value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === "") return undefined;
  const deadline = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(deadline)) problems.push("deadline is not an ISO 8601 time");
  return Number.isNaN(deadline) ? undefined : deadline;
}

/**
 * Reads the deployment the action tagged the endpoint with (src/deploy-plan.ts `endpointTags`
 * and src/provenance.ts): every tag must be there and well formed, the ref as `encodeTagValue`
 * stored it. Problems name the tags that are not.
 */
export function readTaggedDeployment(tags: Readonly<Record<string, string>>): ReadTags {
  const problems: string[] = [];
  const encodedRef = tags[TAG_KEYS.callbackRef] ?? "";
  const ref = decodeTagValue(encodedRef);
  if (ref === undefined) problems.push("callback-ref cannot be decoded");
  const parsed = parseCallbackTarget({
    repository: tags[TAG_KEYS.repository],
    workflow: tags[TAG_KEYS.callbackWorkflow],
    ref: ref ?? "",
  });
  if (!parsed.ok) problems.push(...parsed.problems);
  const deployId = tags[TAG_KEYS.deployId] ?? "";
  const runId = tags[TAG_KEYS.runId] ?? "";
  const runAttempt = tags[TAG_KEYS.runAttempt] ?? "";
  const expectedConfigName = tags[TAG_KEYS.expectedConfig] ?? "";
  if (!UUID.test(deployId)) problems.push("deploy-id is missing or invalid");
  if (!/^\d{1,20}$/.test(runId)) problems.push("run-id is missing or invalid");
  if (!/^\d{1,6}$/.test(runAttempt)) problems.push("run-attempt is missing or invalid");
  if (!isSageMakerName(expectedConfigName)) problems.push("expected-config is missing or invalid");
  const deadline = readDeadline(tags[TAG_KEYS.deadline], problems);
  if (!parsed.ok || problems.length > 0) return { ok: false, problems };
  const deployment = { deployId, runId, runAttempt, expectedConfigName, callback: parsed.target };
  return {
    ok: true,
    deployment: deadline === undefined ? deployment : { ...deployment, deadline },
  };
}

/**
 * Why the endpoint's tags do not show `expected` (the tag that differs), or undefined when they
 * do: the action wrote them for this very deploy, run attempt, config and callback.
 */
export function deploymentMismatch(
  expected: Deployment,
  tags: Readonly<Record<string, string>>,
): string | undefined {
  const read = readTaggedDeployment(tags);
  if (!read.ok)
    return `the endpoint's sagemaker-deploy tags are incomplete (${read.problems.join("; ")})`;
  const tagged = read.deployment;
  const differing = [
    ["deploy-id", tagged.deployId, expected.deployId],
    ["expected-config", tagged.expectedConfigName, expected.expectedConfigName],
    ["run-id", tagged.runId, expected.runId],
    ["run-attempt", tagged.runAttempt, expected.runAttempt],
    ["repository", tagged.callback.repository, expected.callback.repository],
    ["callback-workflow", tagged.callback.workflow, expected.callback.workflow],
    ["callback-ref", tagged.callback.ref, expected.callback.ref],
  ].filter(([, actual, wanted]) => actual !== wanted);
  if (differing.length === 0) return undefined;
  const names = differing.map(([name]) => `sagemaker-deploy:${name}`).join(", ");
  return `the endpoint's ${names} ${differing.length === 1 ? "tag does" : "tags do"} not match`;
}
