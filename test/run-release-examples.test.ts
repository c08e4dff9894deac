/**
 * The release examples as a workflow would run them: every step that uses the action reads its
 * `with:` inputs without a problem, and names only inputs action.yml declares.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readConfig } from "../src/inputs.js";
import { actionDefaults, ROOT } from "./e2e/run-action.js";

const EXAMPLES = ["deploy-approved-package.yml", "smoke-tested-update.yml"];

/** What the examples' expressions stand for in a run. */
const EXPRESSIONS: Record<string, string> = {
  "github.sha": "0123456789abcdef0123456789abcdef01234567",
  "needs.staging.outputs.model-package-arn":
    "arn:aws:sagemaker:us-east-1:111122223333:model-package/churn-scorer/7",
};

interface Step {
  readonly uses?: string;
  readonly with?: Record<string, string | number | boolean>;
}

function actionSteps(file: string): { job: string; inputs: Record<string, string> }[] {
  const workflow = parse(readFileSync(join(ROOT, "examples", file), "utf8")) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  return Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
    steps
      .filter((step) => step.uses?.startsWith("org/sagemaker-deploy@"))
      .map((step) => ({
        job,
        inputs: Object.fromEntries(
          Object.entries(step.with ?? {}).map(([name, value]) => [
            name,
            String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
              const value = EXPRESSIONS[expression];
              if (value === undefined) throw new Error(`no value for \${{ ${expression} }}`);
              return value;
            }),
          ]),
        ),
      })),
  );
}

/** A checked-out workspace with the smoke-test request files the examples name. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "examples-"));
  mkdirSync(join(dir, "tests/smoke"), { recursive: true });
  writeFileSync(join(dir, "tests/smoke/request.json"), '{"instances": [[1, 2, 3]]}');
  writeFileSync(join(dir, "tests/smoke/churn-request.json"), '{"instances": [[4, 5]]}');
  return dir;
}

describe.each(EXAMPLES)("examples/%s", (file) => {
  const declared = Object.keys(
    (parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: object }).inputs,
  );

  it.each(actionSteps(file))("job $job reads its inputs without a problem", ({ inputs }) => {
    // prepare
    const all = { ...actionDefaults(), ...inputs };
    const env = { GITHUB_WORKSPACE: workspace(), AWS_REGION: "us-east-1" };
    // act
    const config = readConfig((name) => all[name] ?? "", env);
    // assess
    expect(Object.keys(inputs).filter((name) => !declared.includes(name))).toEqual([]);
    expect(config.release?.smokeTest?.expect).toBeDefined();
    expect(config.release?.keepVersions).toBe(3);
  });
});
