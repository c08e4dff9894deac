/**
 * Copies the parts of AWS's published SageMaker and Application Auto Scaling API models that the
 * spec file uses from botocore into models/, so generation and CI need no Python.
 * Usage: `npm run models:extract` (set BOTOCORE_DATA to botocore's `data` directory to choose one).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { formatWithBiome, REPO_ROOT } from "./format-with-biome.js";

/** One service to copy: its botocore folder, the shapes to start from, where to write. */
interface ModelSource {
  readonly service: string;
  readonly roots: readonly string[];
  readonly output: string;
}

const SOURCES: readonly ModelSource[] = [
  {
    service: "sagemaker",
    roots: ["CreateModelInput", "CreateEndpointConfigInput", "DeploymentConfig"],
    output: "models/sagemaker.json",
  },
  {
    service: "application-autoscaling",
    roots: ["RegisterScalableTargetRequest", "PutScalingPolicyRequest"],
    output: "models/application-autoscaling.json",
  },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** botocore's `data` directory: BOTOCORE_DATA, else the one the local python3 imports. */
function findBotocoreData(): string {
  const fromEnv = process.env.BOTOCORE_DATA;
  if (fromEnv) return fromEnv;
  const dir = execFileSync(
    "python3",
    ["-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"],
    { encoding: "utf8" },
  ).trim();
  return join(dir, "data");
}

/** The `__version__` of the botocore package that holds `dataDir`, or "unknown". */
function readBotocoreVersion(dataDir: string): string {
  const init = join(dataDir, "..", "__init__.py");
  if (!existsSync(init)) return "unknown";
  const match = /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(readFileSync(init, "utf8"));
  return match?.[1] ?? "unknown";
}

/** The newest API version folder's service-2.json.gz, parsed. */
function readServiceModel(dataDir: string, service: string): JsonObject {
  const serviceDir = join(dataDir, service);
  const versions = readdirSync(serviceDir).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name));
  const newest = versions.sort().at(-1);
  if (newest === undefined) throw new Error(`No API version folder in ${serviceDir}`);
  const parsed = JSON.parse(
    gunzipSync(readFileSync(join(serviceDir, newest, "service-2.json.gz"))).toString("utf8"),
  ) as Json;
  if (!isObject(parsed) || !isObject(parsed.shapes) || !isObject(parsed.metadata)) {
    throw new Error(`${service} ${newest}: not a botocore service model`);
  }
  return parsed;
}

/** Names of every shape reachable from `roots` through members, list members and map entries. */
function reachableShapes(shapes: JsonObject, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    const shape = shapes[name];
    if (!isObject(shape)) throw new Error(`Shape ${name} is not in the model`);
    seen.add(name);
    const refs = [
      shape.member,
      shape.key,
      shape.value,
      ...Object.values(isObject(shape.members) ? shape.members : {}),
    ];
    for (const ref of refs)
      if (isObject(ref) && typeof ref.shape === "string") pending.push(ref.shape);
  }
  return seen;
}

/** A copy with object keys sorted (stable diffs) and documentation strings dropped (size). */
function trim(value: Json): Json {
  if (Array.isArray(value)) return value.map(trim);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    const child = value[key];
    if (key === "documentation" || child === undefined) continue;
    out[key] = trim(child);
  }
  return out;
}

function extract(source: ModelSource, dataDir: string, botocoreVersion: string): void {
  const model = readServiceModel(dataDir, source.service);
  const shapes = model.shapes as JsonObject;
  const kept: JsonObject = {};
  for (const name of reachableShapes(shapes, source.roots)) kept[name] = shapes[name] ?? null;
  const copy = trim({
    botocoreVersion,
    metadata: model.metadata ?? null,
    roots: [...source.roots],
    shapes: kept,
  });
  const text = formatWithBiome(`${JSON.stringify(copy, null, 2)}\n`, source.output);
  writeFileSync(join(REPO_ROOT, source.output), text);
  console.log(
    `${source.output}: ${Object.keys(kept).length} shapes from botocore ${botocoreVersion}`,
  );
}

const dataDir = findBotocoreData();
const botocoreVersion = readBotocoreVersion(dataDir);
for (const source of SOURCES) extract(source, dataDir, botocoreVersion);
