import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Reader } from "../src/input-reader.js";
import { readReleaseInputs } from "../src/release-inputs.js";

const workspace = mkdtempSync(join(tmpdir(), "release-inputs-"));
writeFileSync(join(workspace, "request.json"), '{"instances":[[1,2]]}');
const TOKEN = "ghs_test-token-not-real";
const PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/scorer/3";

/** The inputs as the runner hands them over: action.yml's defaults, then the step's `with`. */
function read(inputs: Record<string, string>) {
  const all: Record<string, string> = {
    "allow-unapproved": "false",
    "smoke-test-content-type": "application/json",
    "github-token": TOKEN,
    ...inputs,
  };
  const r = new Reader((name) => all[name] ?? "");
  const release = readReleaseInputs(r, { GITHUB_WORKSPACE: workspace });
  return { release, problems: r.problems };
}

describe("readReleaseInputs", () => {
  it("reads nothing into nothing", () => {
    expect(read({})).toEqual({ release: { allowUnapproved: false }, problems: [] });
  });

  it.each([
    [
      { "model-package": PACKAGE_ARN },
      { modelPackage: { kind: "version", arn: PACKAGE_ARN }, allowUnapproved: false },
    ],
    [
      { "model-package": "scorer", "allow-unapproved": "true" },
      { modelPackage: { kind: "group", group: "scorer" }, allowUnapproved: true },
    ],
    [{ "keep-versions": "5" }, { allowUnapproved: false, keepVersions: 5 }],
    [
      { "github-environment": "production" },
      { allowUnapproved: false, githubDeployment: { environment: "production", token: TOKEN } },
    ],
  ])("reads %j", (inputs, expected) => {
    expect(read(inputs)).toEqual({ release: expected, problems: [] });
  });

  it.each([
    ['{"instances":[[1,2]]}', "inline", '{"instances":[[1,2]]}'],
    ["@request.json", "request.json", '{"instances":[[1,2]]}'],
  ])("reads smoke-test %s", (body, source, text) => {
    const { release, problems } = read({
      "smoke-test": body,
      "smoke-test-expect": '{"label":"fraud"}',
    });

    expect(problems).toEqual([]);
    expect(release.smokeTest?.source).toBe(source);
    expect(new TextDecoder().decode(release.smokeTest?.body)).toBe(text);
    expect(release.smokeTest?.expect).toEqual({ kind: "json", value: { label: "fraud" } });
    expect(release.smokeTest?.contentType).toBe("application/json");
  });

  it("takes a smoke-test-expect that is not a JSON object as a substring", () => {
    const { release } = read({
      "smoke-test": "1,2,3",
      "smoke-test-content-type": "text/csv",
      "smoke-test-expect": "0.97",
    });

    expect(release.smokeTest?.expect).toEqual({ kind: "substring", text: "0.97" });
  });

  it.each([
    [
      { "model-package": "scorer/3" },
      'model-package: "scorer/3" is not a model package version ARN',
    ],
    [{ "model-package": "scorer", image: "repo:1" }, "image: not used with model-package"],
    [
      { "model-package": "scorer", "model-data-url": "s3://b/k" },
      "model-data-url: not used with model-package",
    ],
    [{ "allow-unapproved": "true" }, "allow-unapproved: only used with model-package"],
    [
      { "model-package": "scorer", "allow-unapproved": "yes" },
      'allow-unapproved: "yes" is not a boolean',
    ],
    [
      { "smoke-test": "not json" },
      'smoke-test: "not json" is not valid JSON, but smoke-test-content-type is application/json',
    ],
    [
      { "smoke-test": "@../outside.json" },
      'smoke-test: "@../outside.json" is outside the workspace',
    ],
    [
      { "smoke-test": "@missing.json" },
      'smoke-test: "@missing.json" does not exist in the workspace',
    ],
    [
      { "smoke-test": "{}", "smoke-test-content-type": "json" },
      'smoke-test-content-type: "json" is not a content type',
    ],
    [
      { "smoke-test": "{}", "smoke-test-expect": "{label: fraud}" },
      'smoke-test-expect: "{label: fraud}" starts with { but is not a JSON object',
    ],
    [{ "smoke-test-expect": "fraud" }, "smoke-test-expect: only used with smoke-test"],
    [{ "keep-versions": "0" }, 'keep-versions: "0" must be a whole number from 1 to 1000'],
    [{ "keep-versions": "three" }, 'keep-versions: "three" must be a whole number from 1 to 1000'],
    [
      { "github-environment": "production", "github-token": "" },
      "github-token: required with github-environment",
    ],
    [{ "github-environment": "x".repeat(256) }, "github-environment: "],
  ])("refuses %j", (inputs, problem) => {
    const { problems } = read(inputs);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it("never quotes the token in a problem", () => {
    const { problems } = read({
      "github-environment": "production",
      "github-token": "ghs_bad token",
    });

    expect(problems).toEqual(["github-token: is not a token (it contains whitespace)"]);
  });
});
