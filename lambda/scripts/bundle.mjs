// Bundles the companion Lambda into lambda/dist/index.mjs (ESM, `handler` export) with ncc.
// The SageMaker client is bundled: loading the runtime's copy from its many files costs more at
// cold start (~135 ms on Node 20) than the whole bundle (~85 ms). The Scheduler, Secrets Manager
// and DynamoDB clients are imported lazily, on first use, from the SDK v3 the nodejs24.x runtime
// ships.
// `--check` builds in memory and fails when the committed bundle differs (for CI).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ncc from "@vercel/ncc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const entry = join(root, "lambda", "src", "index.ts");
const outDir = join(root, "lambda", "dist");
export const EXTERNALS = [
  "@aws-sdk/client-scheduler",
  "@aws-sdk/client-secrets-manager",
  "@aws-sdk/client-dynamodb",
];

// No source map: the bundle is minified and committed, and a map (three times its size, one
// line) would add megabytes to the repository's history at every rebuild.
const { code, assets } = await ncc(entry, {
  minify: true,
  sourceMap: false,
  externals: EXTERNALS,
  license: "licenses.txt",
  quiet: true,
});

const files = {
  "index.mjs": code,
  "licenses.txt": assets["licenses.txt"]?.source.toString() ?? "",
};

if (process.argv.includes("--check")) {
  const stale = [];
  for (const [name, content] of Object.entries(files)) {
    const committed = await readFile(join(outDir, name), "utf8").catch(() => undefined);
    if (committed !== content) stale.push(name);
  }
  if (stale.length > 0) {
    console.error(
      `lambda/dist is stale (${stale.join(", ")}): run npm run bundle:lambda and commit it`,
    );
    process.exit(1);
  }
  console.log("lambda/dist matches lambda/src");
} else {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(outDir, name), content);
  console.log(`lambda/dist/index.mjs: ${Buffer.byteLength(files["index.mjs"])} bytes`);
}
