import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian's `awscli` installs here; a pip or pyenv `aws` earlier on PATH is not the one we measure. */
const DEBIAN_AWS = "/usr/bin/aws";

/** The AWS CLI a bench runs, and the flags its major version needs. */
export interface AwsCli {
  readonly path: string;
  /** `aws --version`, e.g. "aws-cli/2.9.19 Python/3.11.2 ...". */
  readonly version: string;
  /** v2 pages output through `less` unless told not to; v1 has no pager and no such flag. */
  readonly flags: readonly string[];
}

function aptCandidate(): string {
  const policy = execFileSync("apt-cache", ["policy", "awscli"], { encoding: "utf8" });
  return /Candidate:\s*(\S+)/.exec(policy)?.[1] ?? "(none)";
}

function installDebianAwsCli(): void {
  const candidate = aptCandidate();
  if (candidate === "(none)") throw new Error("apt has no awscli candidate on this machine.");
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Debian's awscli ${candidate} is not installed: run as root, or install it with apt-get install -y awscli.`,
    );
  }
  console.log(
    `installing Debian's awscli ${candidate} (apt-get update && apt-get install -y awscli)`,
  );
  execFileSync("sh", ["-c", "apt-get update -q && apt-get install -y -q awscli"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** Debian's AWS CLI (package `awscli`), installed with apt-get when missing; env AWS_CLI overrides the path. */
export function ensureAwsCli(): AwsCli {
  const path = process.env.AWS_CLI ?? DEBIAN_AWS;
  if (!existsSync(path)) {
    if (path !== DEBIAN_AWS) throw new Error(`AWS_CLI '${path}' does not exist.`);
    installDebianAwsCli();
  }
  // Old v1 releases print the version on stderr.
  const answer = spawnSync(path, ["--version"], { encoding: "utf8" });
  const version = `${answer.stdout}${answer.stderr}`.trim();
  const major = /^aws-cli\/(\d+)\./.exec(version)?.[1];
  return { path, version, flags: major === "1" ? [] : ["--no-cli-pager"] };
}
