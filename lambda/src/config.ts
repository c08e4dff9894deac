import { type Allowlist, parseAllowlist } from "./allowlist.js";

/** The environment variables the function reads; the SAM template sets the same names. */
export const ENV = {
  tokenSecretArn: "GITHUB_TOKEN_SECRET_ARN",
  allowedRepositories: "ALLOWED_REPOSITORIES",
  githubApiUrl: "GITHUB_API_URL",
  schedulerRoleArn: "SCHEDULER_ROLE_ARN",
  reportsTableName: "REPORTS_TABLE_NAME",
} as const;

/** GitHub.com's REST API; GHES users set `GITHUB_API_URL` to `https://HOST/api/v3`. */
export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** The function's configuration, read once per container. */
export interface LambdaConfig {
  readonly tokenSecretArn: string;
  readonly allowlist: Allowlist;
  readonly githubApiUrl: string;
  readonly schedulerRoleArn: string;
  /** The DynamoDB table that makes each report happen exactly once; undefined when not set up. */
  readonly reportsTableName?: string;
}

/** The environment is unusable; every problem names its variable. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`the function is misconfigured: ${problems.join("; ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9/_+=,.@-]+$/;
/** DynamoDB's table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** Plain http only to this machine: tests and local doubles, never a token over the network. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function readApiUrl(text: string | undefined, problems: string[]): string {
  const value = text?.trim() || DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${ENV.githubApiUrl} '${value}' is not a URL`);
    return value;
  }
  const secure = url.protocol === "https:";
  const local = url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
  if (!secure && !local) problems.push(`${ENV.githubApiUrl} '${value}' must use https`);
  if (url.search || url.hash)
    problems.push(`${ENV.githubApiUrl} '${value}' must not have ?query or #hash`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function readArn(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  pattern: RegExp,
  problems: string[],
): string {
  const value = env[name]?.trim() ?? "";
  if (value === "") problems.push(`${name} is not set`);
  else if (!pattern.test(value)) problems.push(`${name} '${value}' is not a valid ARN`);
  return value;
}

/** Reads and checks the environment; throws {@link ConfigError} naming every problem at once. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): LambdaConfig {
  const problems: string[] = [];
  const tokenSecretArn = readArn(env, ENV.tokenSecretArn, SECRET_ARN, problems);
  const schedulerRoleArn = readArn(env, ENV.schedulerRoleArn, ROLE_ARN, problems);
  const githubApiUrl = readApiUrl(env[ENV.githubApiUrl], problems);
  const reportsTableName = env[ENV.reportsTableName]?.trim() ?? "";
  if (reportsTableName !== "" && !TABLE_NAME.test(reportsTableName)) {
    problems.push(`${ENV.reportsTableName} '${reportsTableName}' is not a DynamoDB table name`);
  }
  const parsed = parseAllowlist(env[ENV.allowedRepositories] ?? "");
  if (!parsed.ok) {
    problems.push(...parsed.problems.map((problem) => `${ENV.allowedRepositories}: ${problem}`));
  }
  if (problems.length > 0 || !parsed.ok) throw new ConfigError(problems);
  return {
    tokenSecretArn,
    allowlist: parsed.allowlist,
    githubApiUrl,
    schedulerRoleArn,
    ...(reportsTableName ? { reportsTableName } : {}),
  };
}
