import {
  type CallbackTarget,
  isSageMakerName,
  parseCallbackTarget,
} from "../../src/shared/handoff-payload.js";
import type { SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { sanitizeTagValue, TAG_KEYS } from "../../src/shared/tags.js";

/**
 * What identifies one deployment across the hand-off payload, the endpoint's tags and retries:
 * the run that deployed it and the config it deployed.
 */
export function reportKey(runId: string, configName: string): string {
  return `${runId}/${configName}`;
}

/** True when the endpoint's `sagemaker-deploy:reported` tag says this deployment was reported. */
export function isReported(tags: Readonly<Record<string, string>>, key: string): boolean {
  const reported = tags[TAG_KEYS.reported];
  return reported !== undefined && (reported === key || reported.startsWith(`${key}/`));
}

/** Records on the endpoint that this deployment's outcome is being reported (`<key>/<status>`). */
export async function markReported(
  gateway: SageMakerGateway,
  endpointArn: string,
  value: string,
): Promise<void> {
  await gateway.addTags(endpointArn, [{ Key: TAG_KEYS.reported, Value: sanitizeTagValue(value) }]);
}

/** The deployment a tagged endpoint belongs to, as the action wrote it for hand-off. */
export interface TaggedDeployment {
  readonly callback: CallbackTarget;
  readonly expectedConfigName: string;
  readonly runId: string;
  /** When the hand-off ends (epoch ms), if the action tagged one. */
  readonly deadline?: number;
}

/** Reads the callback target the action tagged the endpoint with; problems when it is absent or bad. */
export function readTaggedDeployment(
  tags: Readonly<Record<string, string>>,
):
  | { readonly ok: true; readonly deployment: TaggedDeployment }
  | { readonly ok: false; readonly problems: readonly string[] } {
  const parsed = parseCallbackTarget({
    repository: tags[TAG_KEYS.repository],
    workflow: tags[TAG_KEYS.callbackWorkflow],
    ref: tags[TAG_KEYS.callbackRef],
  });
  const expectedConfigName = tags[TAG_KEYS.expectedConfig] ?? "";
  const problems = parsed.ok ? [] : [...parsed.problems];
  if (!isSageMakerName(expectedConfigName)) problems.push("expected-config is missing or invalid");
  if (!parsed.ok || problems.length > 0) return { ok: false, problems };
  // The run-id tag may carry an attempt suffix (`123/2`); the dispatch input is the run id itself.
  const runId = /^\d{1,20}/.exec(tags[TAG_KEYS.runId] ?? "")?.[0] ?? "unknown";
  const deadline = Date.parse(tags[TAG_KEYS.deadline] ?? "");
  const deployment = { callback: parsed.target, expectedConfigName, runId };
  return {
    ok: true,
    deployment: Number.isNaN(deadline) ? deployment : { ...deployment, deadline },
  };
}
