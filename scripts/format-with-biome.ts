import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in scripts/). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Formats text as `biome check` expects it for `repoPath`, so written files pass lint and a
 * regenerated file can be compared byte for byte with the committed one.
 */
export function formatWithBiome(text: string, repoPath: string): string {
  return execFileSync(
    join(REPO_ROOT, "node_modules", ".bin", "biome"),
    ["format", `--stdin-file-path=${repoPath}`],
    { cwd: REPO_ROOT, input: text, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}
