import type { Reader } from "./input-reader.js";
import { type ModelPackageRef, parseModelPackageRef } from "./model-package.js";
import { readSmokeTestBody, type SmokeExpectation, type SmokeTestSpec } from "./smoke-test.js";
import { parseInteger } from "./validators.js";

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
