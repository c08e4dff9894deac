import { randomUUID } from "node:crypto";
import { sanitizeTagValue, TAG_KEYS, type Tag } from "./shared/tags.js";

/** Where a run comes from: the repository, commit, ref and run (from the GitHub context). */
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

/** The fields of `@actions/github`'s context that provenance uses. */
export interface RunContext {
  readonly sha?: string;
  readonly ref?: string;
  readonly runId?: number;
  readonly runAttempt?: number;
  readonly workflow?: string;
}

/** Reads the run's provenance; outside GitHub Actions the fields are empty. */
export function readProvenance(env: NodeJS.ProcessEnv, context: RunContext): Provenance {
  return {
    repository: env.GITHUB_REPOSITORY ?? "",
    sha: context.sha ?? "",
    ref: env.GITHUB_REF_NAME || context.ref?.replace(/^refs\/(heads|tags)\//, "") || "",
    runId: context.runId ? String(context.runId) : "",
    runAttempt: context.runAttempt ? String(context.runAttempt) : "1",
    workflow: context.workflow ?? "",
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
