import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { startEcrDouble } from "../doubles/ecr-api.js";
import { startS3Double } from "../doubles/s3-api.js";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The bundle, run exactly as the runner runs it: dist/index.js, or the one `ACTION_BUNDLE` names
 * (a bundle built elsewhere, so a test run does not depend on dist/ while it is being rebuilt).
 */
export const ACTION_BUNDLE = process.env.ACTION_BUNDLE || join(ROOT, "dist/index.js");

/**
 * This machine's own Node. npm scripts put node_modules/.bin first on PATH, where the `node`
 * package links Node 24, so that directory is skipped.
 */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir.includes("node_modules")) continue;
    const candidate = join(dir, "node");
    if (existsSync(candidate)) return candidate;
  }
  return process.execPath;
}

/** Node runtimes to run the bundle under: this machine's, and Node 24 (GitHub's `node24`) from npm. */
export function nodeRuntimes(): { label: string; path: string }[] {
  const machine = machineNode();
  const version = execFileSync(machine, ["--version"], { encoding: "utf8" }).trim();
  const runtimes = [{ label: `node ${version} (this machine)`, path: machine }];
  try {
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve("node/package.json")), "bin/node");
    const version24 = execFileSync(path, ["--version"], { encoding: "utf8" }).trim();
    runtimes.push({ label: `node ${version24} (npm package node@24)`, path });
  } catch {
    // The `node` package is a devDependency; without it only this machine's Node is used.
  }
  return runtimes;
}

/** Options for {@link runAction}. */
export interface RunActionOptions {
  /** Inputs by their action.yml name. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly sagemakerUrl: string;
  readonly lambdaUrl?: string;
  /**
   * ECR and S3 doubles (AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL_S3). Without one, a stand-in
   * serves the run that holds just the inputs' ECR image tag (a fixed digest) or S3 object.
   */
  readonly ecrUrl?: string;
  readonly s3Url?: string;
  /** A SageMaker Runtime double (AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME), for the smoke test. */
  readonly runtimeUrl?: string;
  /** A GitHub API double (GITHUB_API_URL), for github-environment. */
  readonly githubUrl?: string;
  readonly node?: string;
  /** Another build of the action to run (benchmarks compare two); dist/index.js by default. */
  readonly bundle?: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Cancel the job as the runner does (SIGINT) once a state is reached: a line on stdout that
   * matches, or a promise (e.g. the emulator holding the call the test waits for).
   */
  readonly interrupt?: RegExp | Promise<unknown>;
  /** Called with all of stdout so far, each time more arrives (to act on a logged state). */
  readonly onStdout?: (stdout: string) => void;
  /** Kill the process after this long (a safety net for tests). */
  readonly killAfterMs?: number;
}

/** What a run of the bundle produced. */
export interface ActionRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly durationMs: number;
  /** When the process closed (`performance.now()` of the test process). */
  readonly endedAt: number;
  /** ms from the SIGINT to the exit, when one was sent. */
  readonly exitAfterInterruptMs?: number;
}

/** Environment a GitHub-hosted runner gives a step (fake run, fake credentials). */
export const RUNNER_ENV = {
  GITHUB_ACTIONS: "true",
  GITHUB_REPOSITORY: "octo-org/fraud-models",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_REF: "refs/heads/main",
  GITHUB_REF_NAME: "main",
  GITHUB_RUN_ID: "4242",
  GITHUB_RUN_ATTEMPT: "1",
  GITHUB_WORKFLOW: "deploy",
  GITHUB_API_URL: "http://127.0.0.1:9",
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_EC2_METADATA_DISABLED: "true",
} as const;

/** Parses a `$GITHUB_OUTPUT` file (`name<<delimiter` blocks, as @actions/core writes them). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? "");
    if (!match) continue;
    const [, name = "", delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? "");
    outputs[name] = value.join("\n");
  }
  return outputs;
}

/** The token the runner puts where action.yml says `${{ github.token }}` (never a real one). */
export const TEST_GITHUB_TOKEN = "ghs_test-token-not-real";

/**
 * action.yml's input defaults, which the runner passes as INPUT_* variables like any other
 * value, with expressions evaluated as the runner does (`${{ github.token }}`: the job's token).
 */
export function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
    inputs: Record<string, { default?: string | number | boolean }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    if (input.default === undefined) continue;
    defaults[name] = String(input.default).replace(
      /\$\{\{\s*github\.token\s*\}\}/g,
      TEST_GITHUB_TOKEN,
    );
  }
  return defaults;
}

/**
 * Input environment variables exactly as the runner sets them: action.yml's defaults first,
 * then the step's `with:` values; `INPUT_<NAME>`, upper case, hyphens kept.
 */
export function inputEnv(inputs: Readonly<Record<string, string>>): Record<string, string> {
  const all = { ...actionDefaults(), ...inputs };
  return Object.fromEntries(
    Object.entries(all).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
}

const ECR_TAG = /^(\d{12})\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/([a-z0-9._/-]+):([\w.-]+)$/;
const S3_OBJECT = /^s3:\/\/([^/]+)\/(.*[^/])$/;

/**
 * ECR and S3 stand-ins for a run the test gave no doubles: they hold exactly the inputs' image
 * tag (its digest fixed by the URI, so re-runs agree) and model-data object (its ETag fixed too).
 */
async function startStandIns(options: RunActionOptions) {
  const image = ECR_TAG.exec(options.inputs.image ?? "");
  const data = S3_OBJECT.exec(options.inputs["model-data-url"] ?? "");
  const ecr =
    !options.ecrUrl && image ? await startEcrDouble({ accountId: image[1] ?? "" }) : undefined;
  ecr?.push(image?.[2] ?? "", image?.[3] ?? "", options.inputs.image);
  const s3 = !options.s3Url && data ? await startS3Double() : undefined;
  s3?.createBucket(data?.[1] ?? "");
  s3?.put(data?.[1] ?? "", data?.[2] ?? "", options.inputs["model-data-url"] ?? "");
  return {
    env: {
      ...((options.ecrUrl ?? ecr?.url) ? { AWS_ENDPOINT_URL_ECR: options.ecrUrl ?? ecr?.url } : {}),
      ...((options.s3Url ?? s3?.url) ? { AWS_ENDPOINT_URL_S3: options.s3Url ?? s3?.url } : {}),
    } as Record<string, string>,
    close: () => Promise.all([ecr?.close(), s3?.close()]),
  };
}

/** Runs `dist/index.js` as the runner does and collects exit code, logs, outputs and summary. */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const standIns = await startStandIns(options);
  try {
    return await runBundle(options, standIns.env);
  } finally {
    await standIns.close();
  }
}

async function runBundle(
  options: RunActionOptions,
  release: Record<string, string>,
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), "sagemaker-deploy-"));
  const outputFile = join(dir, "output");
  const summaryFile = join(dir, "summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const { PATH, HOME, TMPDIR } = process.env;
  const env = {
    PATH: PATH ?? "",
    HOME: HOME ?? dir,
    ...(TMPDIR ? { TMPDIR } : {}),
    ...RUNNER_ENV,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    AWS_ENDPOINT_URL_SAGEMAKER: options.sagemakerUrl,
    // The emulator serves Application Auto Scaling on the same port.
    AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING: options.sagemakerUrl,
    ...(options.lambdaUrl ? { AWS_ENDPOINT_URL_LAMBDA: options.lambdaUrl } : {}),
    ...release,
    ...(options.runtimeUrl ? { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: options.runtimeUrl } : {}),
    ...(options.githubUrl ? { GITHUB_API_URL: options.githubUrl } : {}),
    ...inputEnv(options.inputs),
    ...options.env,
  };
  const started = performance.now();
  const child = spawn(options.node ?? process.execPath, [options.bundle ?? ACTION_BUNDLE], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let interruptedAt: number | undefined;
  const interrupt = () => {
    if (interruptedAt !== undefined || child.exitCode !== null) return;
    interruptedAt = performance.now();
    child.kill("SIGINT");
  };
  const trigger = options.interrupt;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (trigger instanceof RegExp && trigger.test(stdout)) interrupt();
    options.onStdout?.(stdout);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (trigger instanceof Promise) void trigger.then(interrupt);
  const killer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 60_000);
  const exitCode = await new Promise<number | null>((done) =>
    child.on("close", (code) => done(code)),
  );
  const ended = performance.now();
  clearTimeout(killer);
  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, "utf8")),
    summary: readFileSync(summaryFile, "utf8"),
    durationMs: ended - started,
    endedAt: ended,
    ...(interruptedAt === undefined ? {} : { exitAfterInterruptMs: ended - interruptedAt }),
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}

/** Inputs of a typical deploy (the README's quick start), overridable per test. */
export function demoInputs(
  overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    "endpoint-name": "fraud-scorer",
    image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/fraud:0123456",
    "model-data-url": "s3://ml-artifacts/fraud/model.tar.gz",
    "execution-role-arn": "arn:aws:iam::111122223333:role/SageMakerExecution",
    "instance-type": "ml.m5.large",
    "poll-interval": "1s",
    "wait-timeout": "2m",
    ...overrides,
  };
}
