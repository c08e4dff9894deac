import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { nodeRuntimes } from "../test/e2e/run-action.js";

/** The commit measured, and whether dist/ differs from it (a stale or hand-built bundle). */
function describeBuild(): string {
  const git = (args: string[]) => execFileSync("git", args, { encoding: "utf8" }).trim();
  try {
    const head = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--", "dist"]) !== "";
    // A bundle committed before the last change to src/ may not hold that change.
    const lastCommit = (path: string) => Number(git(["log", "-1", "--format=%ct", "--", path]));
    const behind = lastCommit("src") > lastCommit("dist") ? ", src/ committed after it" : "";
    return `commit ${head}; dist/ ${dirty ? "modified since that commit" : "as committed"}${behind}`;
  } catch {
    return "not a git checkout";
  }
}

/** What the figures were measured on, as label → value. */
export function describeMachine(): [string, string][] {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  const nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  let os = `Linux ${release()}`;
  try {
    os = `Debian ${readFileSync("/etc/debian_version", "utf8").trim()}, ${os}`;
  } catch {
    // Not Debian: the kernel release alone.
  }
  return [
    ["CPU", `${cpu} (nproc ${nproc}; shared, noisy)`],
    ...nodeRuntimes().map(({ label }): [string, string] => ["Node", label]),
    ["bench harness", `node ${process.version}`],
    ["OS", os],
    ["code", describeBuild()],
  ];
}
