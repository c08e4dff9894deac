/**
 * Shared by the fault matrix and the 50-deploy run: judging what a run did to the emulator's
 * resources (from its request log and final state), and writing docs/reliability.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { EmulatorState, FaultKind, RecordedRequest } from "../emulator/types.js";
import { ROOT } from "./run-action.js";

/** The document `npm run reliability` regenerates. */
export const RELIABILITY_DOC = join(ROOT, "docs/reliability.md");

/** The command that regenerates the document. */
export const RELIABILITY_COMMAND = "npm run reliability";

/** The script behind {@link RELIABILITY_COMMAND}, spelled out for readers without it. */
export const RELIABILITY_SCRIPT =
  "WRITE_RELIABILITY_DOC=1 vitest run test/e2e/fault-matrix.test.ts test/e2e/concurrency.test.ts";

/** True when this test run should (re)write docs/reliability.md. */
export function writingReliabilityDoc(): boolean {
  return process.env.WRITE_RELIABILITY_DOC === "1";
}

/** A resource as `model <name>`, `endpoint config <name>` or `endpoint <name>`. */
export type ResourceLabel = string;

/** The labels of every resource in an emulator state. */
export function resourceLabels(state: EmulatorState): ResourceLabel[] {
  return [
    ...state.models.map((m) => `model ${m.name}`),
    ...state.endpointConfigs.map((c) => `endpoint config ${c.name}`),
    ...state.endpoints.map((e) => `endpoint ${e.name}`),
  ].sort();
}

/** The resource a mutating call acts on, by the label {@link resourceLabels} gives it. */
function targetOf(request: RecordedRequest): ResourceLabel | undefined {
  const input = request.input;
  switch (request.operation) {
    case "CreateModel":
    case "DeleteModel":
      return `model ${String(input.ModelName).toLowerCase()}`;
    case "CreateEndpointConfig":
    case "DeleteEndpointConfig":
      return `endpoint config ${String(input.EndpointConfigName).toLowerCase()}`;
    case "CreateEndpoint":
    case "UpdateEndpoint":
    case "DeleteEndpoint":
      return `endpoint ${String(input.EndpointName).toLowerCase()}`;
    case "AddTags": {
      // arn:aws:sagemaker:<region>:<account>:<kind>/<name>
      const match = /:(model|endpoint-config|endpoint)\/(.+)$/.exec(String(input.ResourceArn));
      return match ? `${match[1]?.replace("-", " ")} ${match[2]}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Counts of requests by the fault the emulator injected. */
export type FaultCounts = Partial<Record<FaultKind, number>>;

/** What a run did, judged from the emulator's request log. */
export interface RequestAudit {
  readonly requests: number;
  readonly faults: FaultCounts;
  /** Requests the SDK sent again (its attempt number above 1). */
  readonly retries: number;
  /** Resources a Create* call really created (the handler answered 200, even if the client never read it). */
  readonly created: readonly ResourceLabel[];
  /** `model x created 2 times` */
  readonly duplicates: readonly string[];
  /** "Cannot create already existing" answers that were not the retry of this run's own cut-off create. */
  readonly strayAlreadyExisting: readonly string[];
  /** State-changing calls on resources the run did not create, beyond the ones `allowed` lists. */
  readonly collateral: readonly string[];
}

/** Options for {@link auditRequests}. */
export interface AuditOptions {
  /** Calls on pre-existing resources the deploy is meant to make, e.g. `UpdateEndpoint endpoint e`. */
  readonly allowed?: readonly string[];
}

function isCreate(request: RecordedRequest): boolean {
  return request.operation.startsWith("Create");
}

/** The handler ran and answered 200 (a "drop" cut the connection before the handler, on a 200 status line). */
function changedState(request: RecordedRequest): boolean {
  return request.status === 200 && request.fault !== "drop";
}

/** Judges a request log: what was created (and how often), faults, retries and collateral. */
export function auditRequests(
  requests: readonly RecordedRequest[],
  options: AuditOptions = {},
): RequestAudit {
  const faults: FaultCounts = {};
  for (const r of requests) if (r.fault) faults[r.fault] = (faults[r.fault] ?? 0) + 1;
  const creations = new Map<ResourceLabel, number>();
  const strayAlreadyExisting: string[] = [];
  const collateral: string[] = [];
  requests.forEach((r, i) => {
    const target = targetOf(r);
    if (target === undefined) return;
    if (isCreate(r) && changedState(r)) creations.set(target, (creations.get(target) ?? 0) + 1);
    if (isCreate(r) && /already existing/.test(r.errorMessage ?? "")) {
      const ownCutCreate = requests
        .slice(0, i)
        .some((e) => targetOf(e) === target && changedState(e) && e.fault === "drop-after");
      if (!ownCutCreate) strayAlreadyExisting.push(`${r.operation} ${target}`);
    }
    const changed = changedState(r) && !isCreate(r);
    const call = `${r.operation} ${target}`;
    if (changed && !creations.has(target) && !(options.allowed ?? []).includes(call)) {
      collateral.push(call);
    }
  });
  return {
    requests: requests.length,
    faults,
    retries: requests.filter((r) => (r.attempt ?? 1) > 1).length,
    created: [...creations.keys()].sort(),
    duplicates: [...creations]
      .filter(([, times]) => times > 1)
      .map(([label, times]) => `${label} created ${times} times`),
    strayAlreadyExisting,
    collateral,
  };
}

/** `throttle 7, drop-after 2`, or `none`. */
export function formatFaults(faults: FaultCounts): string {
  const parts = Object.entries(faults).map(([kind, n]) => `${kind} ${n}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}

/** The sections of docs/reliability.md, each written by one test file. */
export const SECTIONS = {
  "fault-matrix": "Fault matrix",
  concurrency: "50 concurrent deploys",
} as const;

/** One of the sections in {@link SECTIONS}. */
export type SectionName = keyof typeof SECTIONS;

/** The figures the document's summary adds up, per section. */
export interface Totals {
  readonly runs: number;
  /** Exit 0 although the endpoint was not InService on the run's new config. */
  readonly falseSuccesses: number;
  /** Exit code, endpoint-status or operation other than expected (false failures included). */
  readonly wrongOutcomes: number;
  /** Resources left that should not exist. */
  readonly orphans: number;
  /** Resources that should exist but are gone (deleted wrongly, or never made). */
  readonly missing: number;
  readonly duplicates: number;
  /** State-changing calls on resources the run did not create (beyond the update it was asked for). */
  readonly collateral: number;
}

const TOTAL_ROWS: readonly [keyof Totals, string][] = [
  ["runs", "deploys run"],
  ["falseSuccesses", "false successes (exit 0 without being InService on the new config)"],
  ["wrongOutcomes", "wrong outcomes (exit code, `endpoint-status` or `operation` not as expected)"],
  ["orphans", "orphans (resources left that should not exist)"],
  ["missing", "resources missing that should exist"],
  ["duplicates", "resources created twice"],
  ["collateral", "resources touched that the run did not create"],
];

const marker = (name: SectionName, end = false) => `<!-- ${end ? "/" : ""}section:${name} -->`;
const TOTALS_PREFIX = "<!-- totals ";

/** The sections already in the document, by name. */
function readSections(): Partial<Record<SectionName, string>> {
  if (!existsSync(RELIABILITY_DOC)) return {};
  const text = readFileSync(RELIABILITY_DOC, "utf8");
  const sections: Partial<Record<SectionName, string>> = {};
  for (const name of Object.keys(SECTIONS) as SectionName[]) {
    const start = text.indexOf(marker(name));
    const end = text.indexOf(marker(name, true));
    if (start >= 0 && end > start)
      sections[name] = text.slice(start, end + marker(name, true).length);
  }
  return sections;
}

function totalsOf(section: string | undefined): Totals | undefined {
  const line = section?.split("\n").find((l) => l.startsWith(TOTALS_PREFIX));
  return line
    ? (JSON.parse(line.slice(TOTALS_PREFIX.length, -" -->".length)) as Totals)
    : undefined;
}

function renderTotals(sections: Partial<Record<SectionName, string>>): string {
  const names = Object.keys(SECTIONS) as SectionName[];
  const totals = names.map((name) => totalsOf(sections[name]));
  const header = `| | ${names.map((n) => SECTIONS[n]).join(" | ")} |`;
  const rule = `|---|${names.map(() => "---:").join("|")}|`;
  const rows = TOTAL_ROWS.map(
    ([key, label]) => `| ${label} | ${totals.map((t) => (t ? String(t[key]) : "—")).join(" | ")} |`,
  );
  return [header, rule, ...rows].join("\n");
}

/**
 * Replaces one section of docs/reliability.md (keeping the other's) and recomputes the totals.
 * Each test file writes its own section, so running one file alone keeps the other's last figures.
 */
export function writeReliabilitySection(name: SectionName, totals: Totals, body: string): void {
  const sections = readSections();
  sections[name] = [
    marker(name),
    `${TOTALS_PREFIX}${JSON.stringify(totals)} -->`,
    "",
    `## ${SECTIONS[name]}`,
    "",
    `Generated ${new Date().toISOString().replace(/\.\d{3}Z$/, "Z")} by \`${RELIABILITY_COMMAND}\`.`,
    "",
    body.trim(),
    "",
    marker(name, true),
  ].join("\n");
  const text = [
    "# Reliability under faults and load",
    "",
    "<!-- Generated by the fault matrix and 50-deploy tests; edit those, not this file. -->",
    "",
    "The promise of a deploy step: no false success, nothing orphaned, nothing touched that the",
    "run did not create, under the conditions a busy AWS account really has. This page shows it",
    "end to end: `dist/index.js` run as the runner runs it (Node 24, `INPUT_*` variables,",
    "`GITHUB_OUTPUT`), against the local SageMaker emulator (`test/emulator/`), which speaks",
    "SageMaker's wire protocol and injects throttling, 5xx answers, slow answers and dropped",
    "connections from a seeded PRNG, reads that lag the run's own create or update (as",
    "SageMaker's eventually consistent Describe calls can), and credentials that expire",
    "mid-wait, so every figure reruns the same way.",
    "",
    "Reproduce (about two minutes on two cores):",
    "",
    "```sh",
    RELIABILITY_COMMAND,
    `# = ${RELIABILITY_SCRIPT}`,
    "```",
    "",
    "Both test files also run in CI through `npm test`, where every deploy's outcome, duplicates,",
    "orphans and collateral are asserted; only `WRITE_RELIABILITY_DOC=1` rewrites this page.",
    "",
    "## Totals",
    "",
    renderTotals(sections),
    "",
    "How each is measured: the emulator records every request (with the fault it injected and",
    "the SDK's attempt number) and what the handler answered, even when the connection was cut",
    "before the client read it. A resource is *created* when a Create call's handler answered",
    "200; *created twice* when that happens twice for one name (a retried create answered",
    '"Cannot create already existing" is not a creation). *Touched* means a Delete, Update or',
    "AddTags call that changed a resource this run did not create, other than the UpdateEndpoint",
    "and AddTags on the endpoint it was asked to update. *Orphans* and *missing* compare the",
    "emulator's final state with exactly what should exist: after a success the run's model,",
    "config and endpoint; after a rollback or a failed create only what existed before; after",
    "UpdateRollbackFailed, or when the credentials expired mid-wait, also what the run made (it",
    "deletes nothing then, and says so).",
    "",
    ...(Object.keys(SECTIONS) as SectionName[]).flatMap((n) => [
      sections[n] ?? `## ${SECTIONS[n]}\n\nNot generated yet.`,
      "",
    ]),
  ].join("\n");
  mkdirSync(dirname(RELIABILITY_DOC), { recursive: true });
  writeFileSync(RELIABILITY_DOC, text);
}
