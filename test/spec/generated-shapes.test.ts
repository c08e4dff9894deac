import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED_FILES, generateShapeFiles, toJsPattern } from "../../scripts/generate-shapes.js";
import { PRODUCTION_SPEC } from "./production-spec.js";

const REPO = join(import.meta.dirname, "..", "..");

describe("generated files", () => {
  const outDir = mkdtempSync(join(tmpdir(), "generate-shapes-"));
  beforeAll(() => generateShapeFiles({ modelsDir: join(REPO, "models"), outDir }));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it.each(Object.values(GENERATED_FILES))("%s is what models/ generates", (path) => {
    const fresh = readFileSync(join(outDir, path), "utf8");
    const committed = readFileSync(join(REPO, path), "utf8");

    // On failure: run `npm run generate:shapes` and commit the result.
    expect(committed).toBe(fresh);
  });
});

describe("toJsPattern", () => {
  it.each<{ java: string; js: string }>([
    { java: "\\p{Print}+", js: "[\\x20-\\x7E]+" },
    { java: "[\\p{Alnum}_]*", js: "[a-zA-Z0-9_]*" },
    { java: "\\P{Digit}", js: "[^0-9]" },
    { java: "[\\p{L}\\p{N}]+", js: "[\\p{L}\\p{N}]+" },
    { java: "a*+b++c?+d{2}+", js: "a*b+c?d{2}" },
    { java: "\\++", js: "\\++" },
    { java: "(?>ab|a)c", js: "(?:ab|a)c" },
    { java: "\\Aabc\\z", js: "^abc$" },
    { java: "\\Q1+1\\E=2", js: "1\\+1=2" },
  ])("$java → $js", ({ java, js }) => {
    const converted = toJsPattern(java);

    expect(converted).toEqual({ source: js });
  });

  it.each(["[a-z&&[^b]]", "(?i)abc", "\\p{javaLowerCase}"])("gives a reason for %s", (java) => {
    const converted = toJsPattern(java);

    expect(converted).toEqual({ reason: expect.any(String) });
  });
});

describe("spec.schema.json", () => {
  const schema: unknown = JSON.parse(readFileSync(join(REPO, GENERATED_FILES.schema), "utf8"));
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema as object);

  it.each<{ case: string; spec: unknown; valid: boolean }>([
    { case: "a production-shaped spec", spec: PRODUCTION_SPEC, valid: true },
    {
      case: "a misspelt instance type",
      spec: {
        "endpoint-config": {
          ProductionVariants: [{ VariantName: "AllTraffic", InstanceType: "ml.m5.larg" }],
        },
      },
      valid: false,
    },
    { case: "a member the action sets", spec: { model: { ModelName: "churn" } }, valid: false },
    { case: "an unknown section", spec: { models: {} }, valid: false },
    {
      case: "autoscaling without policies",
      spec: { autoscaling: { AllTraffic: { min: 1, max: 2 } } },
      valid: false,
    },
  ])("agrees with the checker on $case", ({ spec, valid }) => {
    const accepted = validate(spec);

    expect(accepted).toBe(valid);
  });
});
