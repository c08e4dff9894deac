/** Repositories the function may report to: exact `owner/repo` names and whole owners (`owner/*`). */
export interface Allowlist {
  readonly repositories: ReadonlySet<string>;
  readonly owners: ReadonlySet<string>;
}

const ENTRY = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100}|\*)$/;

/** Result of {@link parseAllowlist}. */
export type ParsedAllowlist =
  | { readonly ok: true; readonly allowlist: Allowlist }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses `ALLOWED_REPOSITORIES` (`owner/repo, owner/*`). GitHub compares owner and repository
 * names case-insensitively, so the list does too.
 */
export function parseAllowlist(text: string): ParsedAllowlist {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return { ok: false, problems: ["it lists no repository"] };
  const repositories = new Set<string>();
  const owners = new Set<string>();
  const problems: string[] = [];
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    if (!match) problems.push(`'${entry}' is neither 'owner/repo' nor 'owner/*'`);
    else if (match[2] === "*") owners.add(match[1]?.toLowerCase() ?? "");
    else repositories.add(entry.toLowerCase());
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, allowlist: { repositories, owners } };
}

/** True when `repository` (`owner/repo`) may receive a dispatch. */
export function isRepositoryAllowed(allowlist: Allowlist, repository: string): boolean {
  const name = repository.toLowerCase();
  const owner = name.split("/")[0] ?? "";
  return allowlist.repositories.has(name) || allowlist.owners.has(owner);
}
