import { randomUUID } from "node:crypto";
import { sanitizeTagValue, TAG_KEYS, type Tag } from "./shared/tags.js";

/** Where a run comes from: the repository, commit, ref and run. */
export interface Provenance {
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
  readonly runId: string;
  readonly runAttempt: string;
  readonly workflow: string;
  /** Random per deploy; marks the resources this very run created. */
  readonly deployId: string;
}

/** A positive whole number from the environment, as text; `fallback` otherwise. */
function runNumber(value: string | undefined, fallback: string): string {
  return value !== undefined && /^[1-9][0-9]*$/.test(value) ? value : fallback;
}

/**
 * Reads the run's provenance from the variables GitHub sets in every job (GITHUB_REPOSITORY,
 * GITHUB_SHA, GITHUB_REF_NAME or GITHUB_REF, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_WORKFLOW);
 * outside GitHub Actions the fields are empty.
 */
export function readProvenance(env: NodeJS.ProcessEnv): Provenance {
  return {
    repository: env.GITHUB_REPOSITORY ?? "",
    sha: env.GITHUB_SHA ?? "",
    ref: env.GITHUB_REF_NAME || env.GITHUB_REF?.replace(/^refs\/(heads|tags)\//, "") || "",
    runId: runNumber(env.GITHUB_RUN_ID, ""),
    runAttempt: runNumber(env.GITHUB_RUN_ATTEMPT, "1"),
    workflow: env.GITHUB_WORKFLOW ?? "",
    deployId: randomUUID(),
  };
}

/** The provenance tags put on the model, the config and the endpoint. */
export function provenanceTags(provenance: Provenance): Tag[] {
  const pairs: [string, string][] = [
    [TAG_KEYS.repository, provenance.repository],
    [TAG_KEYS.commit, provenance.sha],
    [TAG_KEYS.runId, provenance.runId],
    [TAG_KEYS.runAttempt, provenance.runId ? provenance.runAttempt : ""],
    [TAG_KEYS.workflow, provenance.workflow],
    [TAG_KEYS.deployId, provenance.deployId],
  ];
  return pairs
    .filter(([, value]) => value !== "")
    .map(([Key, Value]) => ({ Key, Value: sanitizeTagValue(Value) }));
}
