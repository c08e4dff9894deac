import { readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import type { Reader } from "./input-reader.js";
import { errorMessage } from "./shared/errors.js";
import { parseInteger, quote } from "./validators.js";

/** The `model-package` input: one version, or a group meaning its latest Approved version. */
export type ModelPackageRef =
  | { readonly kind: "version"; readonly arn: string }
  | { readonly kind: "group"; readonly group: string };

const NAME = "[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}";
/** `arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>` (or an unversioned package). */
const VERSION_ARN = new RegExp(
  `^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:model-package/${NAME}(?:/\\d{1,9})?$`,
);
const GROUP_ARN = new RegExp(
  `^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\\d{12}:model-package-group/${NAME}$`,
);
const GROUP_NAME = new RegExp(`^${NAME}$`);

/** Reads the `model-package` input; `undefined` when it is neither an ARN nor a group name. */
export function parseModelPackageRef(text: string): ModelPackageRef | undefined {
  if (VERSION_ARN.test(text)) return { kind: "version", arn: text };
  if (GROUP_ARN.test(text) || GROUP_NAME.test(text)) return { kind: "group", group: text };
  return undefined;
}

/** What the answer must hold: a substring, or a JSON object that is a subset of the JSON answer. */
export type SmokeExpectation =
  | { readonly kind: "substring"; readonly text: string }
  | { readonly kind: "json"; readonly value: Readonly<Record<string, unknown>> };

/** The smoke test, read from its inputs. */
export interface SmokeTestSpec {
  readonly body: Uint8Array;
  /** "inline", or the path in the workspace the body came from. */
  readonly source: string;
  readonly contentType: string;
  readonly expect?: SmokeExpectation;
}

/** InvokeEndpoint's payload limit for real-time endpoints (6 MB). */
export const MAX_SMOKE_BODY_BYTES = 6 * 1024 * 1024;

/**
 * Reads the smoke-test body: inline text, or `@path` relative to the workspace. A path that
 * leaves the workspace (`..`, absolute, or a symbolic link out of it) is refused.
 */
export function readSmokeTestBody(
  raw: string,
  workspace: string,
): { readonly body: Uint8Array; readonly source: string } | { readonly problem: string } {
  if (!raw.startsWith("@")) {
    const body = new TextEncoder().encode(raw);
    return body.length > MAX_SMOKE_BODY_BYTES
      ? { problem: `smoke-test: the inline body is larger than 6 MB (InvokeEndpoint's limit)` }
      : { body, source: "inline" };
  }
  const path = raw.slice(1).trim();
  const outside = { problem: `smoke-test: ${quote(raw)} is outside the workspace` };
  const file = resolve(workspace, path);
  const inside = (target: string, root: string) => {
    const rel = relative(root, target);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  };
  if (path === "" || !inside(file, workspace)) return outside;
  try {
    if (!inside(realpathSync(file), realpathSync(workspace))) return outside;
    if (statSync(file).size > MAX_SMOKE_BODY_BYTES)
      return { problem: `smoke-test: ${quote(raw)} is larger than 6 MB (InvokeEndpoint's limit)` };
    return { body: new Uint8Array(readFileSync(file)), source: path };
  } catch (error) {
    const missing = (error as { code?: string }).code === "ENOENT";
    return {
      problem: missing
        ? `smoke-test: ${quote(raw)} does not exist in the workspace (check out the repository first)`
        : `smoke-test: ${quote(raw)} could not be read: ${errorMessage(error)}`,
    };
  }
}

/** GitHub Deployments: where to record them, and the token that may. */
export interface GithubDeploymentInputs {
  readonly environment: string;
  /** Masked by the runner before anything is logged; never quoted in a message. */
  readonly token: string;
}

/** The release inputs: what to deploy from the Model Registry, how to check it, what to keep. */
export interface ReleaseInputs {
  readonly modelPackage?: ModelPackageRef;
  readonly allowUnapproved: boolean;
  readonly smokeTest?: SmokeTestSpec;
  /** keep-versions; `undefined` keeps everything. */
  readonly keepVersions?: number;
  readonly githubDeployment?: GithubDeploymentInputs;
}

/** keep-versions' range: at least the current version; more than this is "keep all" anyway. */
const KEEP_VERSIONS_MAX = 1000;
/** A MIME type (RFC 6838 names, with parameters), as InvokeEndpoint's ContentType takes it. */
const CONTENT_TYPE = /^[A-Za-z0-9][\w!#$&^.+-]{0,126}\/[A-Za-z0-9][\w!#$&^.+-]{0,126}(\s*;.*)?$/;
const MAX_CONTENT_TYPE_LENGTH = 1024;
/** GitHub's limit on an environment name. */
const MAX_ENVIRONMENT_LENGTH = 255;

function readModelPackage(r: Reader, allowUnapproved: boolean): ModelPackageRef | undefined {
  const text = r.text("model-package");
  if (text === undefined) {
    if (allowUnapproved) r.problems.push("allow-unapproved: only used with model-package");
    return undefined;
  }
  const ref = parseModelPackageRef(text);
  if (ref === undefined) {
    r.fail(
      "model-package",
      text,
      "is not a model package version ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>) or a model package group name",
    );
  }
  for (const other of ["image", "model-data-url"]) {
    if (r.text(other) !== undefined)
      r.problems.push(`${other}: not used with model-package (the package gives the containers)`);
  }
  return ref;
}

function readExpectation(r: Reader): SmokeExpectation | undefined {
  const raw = r.raw("smoke-test-expect");
  if (raw.trim() === "") return undefined;
  if (!raw.trim().startsWith("{")) return { kind: "substring", text: raw };
  try {
    const value: unknown = JSON.parse(raw);
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return { kind: "json", value: value as Record<string, unknown> };
  } catch {
    // Reported below, with the same hint as a non-object.
  }
  r.fail(
    "smoke-test-expect",
    raw.trim(),
    "starts with { but is not a JSON object (a JSON object must be a subset of the JSON answer; any other text is a substring)",
  );
  return undefined;
}

function readContentType(r: Reader): string {
  const contentType = r.text("smoke-test-content-type", { fallback: "application/json" }) ?? "";
  if (contentType.length > MAX_CONTENT_TYPE_LENGTH || !CONTENT_TYPE.test(contentType))
    r.fail(
      "smoke-test-content-type",
      contentType,
      "is not a content type (e.g. application/json, text/csv)",
    );
  return contentType;
}

function readSmokeTest(r: Reader, env: NodeJS.ProcessEnv): SmokeTestSpec | undefined {
  const raw = r.raw("smoke-test");
  const expectation = readExpectation(r);
  if (raw.trim() === "") {
    if (expectation !== undefined) r.problems.push("smoke-test-expect: only used with smoke-test");
    return undefined;
  }
  const contentType = readContentType(r);
  const read = readSmokeTestBody(
    raw.trim().startsWith("@") ? raw.trim() : raw,
    env.GITHUB_WORKSPACE || process.cwd(),
  );
  if ("problem" in read) {
    r.problems.push(read.problem);
    return undefined;
  }
  if (read.source === "inline" && /^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    try {
      JSON.parse(raw);
    } catch {
      r.fail(
        "smoke-test",
        raw.trim(),
        `is not valid JSON, but smoke-test-content-type is ${contentType}`,
      );
    }
  }
  return { ...read, contentType, ...(expectation ? { expect: expectation } : {}) };
}

function readKeepVersions(r: Reader): number | undefined {
  const text = r.text("keep-versions");
  if (text === undefined) return undefined;
  const keep = parseInteger(text, 1, KEEP_VERSIONS_MAX);
  if (keep === undefined)
    r.fail(
      "keep-versions",
      text,
      `must be a whole number from 1 to ${KEEP_VERSIONS_MAX} (the current version always counts)`,
    );
  return keep;
}

function readGithubDeployment(r: Reader): GithubDeploymentInputs | undefined {
  const environment = r.text("github-environment");
  if (environment === undefined) return undefined;
  if (environment.length > MAX_ENVIRONMENT_LENGTH || /\p{Cc}/u.test(environment))
    r.fail(
      "github-environment",
      environment,
      "is not a GitHub environment name (at most 255 characters)",
    );
  // The token is never quoted: a problem names the input only.
  const token = r.raw("github-token").trim();
  if (token === "")
    r.problems.push(
      "github-token: required with github-environment (the default is github.token; give the job permissions: deployments: write)",
    );
  else if (/\s/.test(token))
    r.problems.push("github-token: is not a token (it contains whitespace)");
  return { environment, token };
}

/**
 * Reads model-package, allow-unapproved, smoke-test (its body read from the workspace when it
 * is `@path`), smoke-test-content-type, smoke-test-expect, keep-versions, github-environment
 * and github-token into `r`'s problems and one typed object. The caller throws on problems.
 */
export function readReleaseInputs(r: Reader, env: NodeJS.ProcessEnv): ReleaseInputs {
  const allowUnapproved = r.boolean("allow-unapproved", false);
  const modelPackage = readModelPackage(r, allowUnapproved);
  const smokeTest = readSmokeTest(r, env);
  const keepVersions = readKeepVersions(r);
  const githubDeployment = readGithubDeployment(r);
  return {
    ...(modelPackage ? { modelPackage } : {}),
    allowUnapproved,
    ...(smokeTest ? { smokeTest } : {}),
    ...(keepVersions !== undefined ? { keepVersions } : {}),
    ...(githubDeployment ? { githubDeployment } : {}),
  };
}
