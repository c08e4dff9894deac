/**
 * IAM coverage: every AWS operation the end-to-end suites saw the action and the companion
 * Lambda perform (recorded at the emulators by test/support/aws-calls.ts) must be allowed by
 * the policy shipped for it, and the policies must grant nothing that no suite needed.
 * Run after `npm test`: `npm run iam:check`. Exits 1 on any gap or excess.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "../e2e/run-action.js";
import { type Caller, readAwsCallRecords } from "./aws-calls.js";
import { cloudFormationTags } from "./cloudformation.js";

interface Statement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
}

/**
 * Permissions AWS checks besides the operation itself: a create that carries tags also needs
 * AddTags; CreateModel passes the execution role, CreateSchedule the scheduler's role.
 */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  "sagemaker:CreateModel": ["sagemaker:AddTags", "iam:PassRole"],
  "sagemaker:CreateEndpointConfig": ["sagemaker:AddTags"],
  "sagemaker:CreateEndpoint": ["sagemaker:AddTags"],
  "scheduler:CreateSchedule": ["iam:PassRole"],
};

function actionsOf(statements: readonly Statement[]): Set<string> {
  return new Set(
    statements
      .filter((statement) => statement.Effect === "Allow")
      .flatMap((statement) =>
        typeof statement.Action === "string" ? [statement.Action] : statement.Action,
      ),
  );
}

function actionPolicy(): Set<string> {
  const policy = JSON.parse(readFileSync(join(ROOT, "policies/action-policy.json"), "utf8")) as {
    Statement: Statement[];
  };
  return actionsOf(policy.Statement);
}

function lambdaPolicy(): Set<string> {
  const template = parse(readFileSync(join(ROOT, "lambda/template.yaml"), "utf8"), {
    customTags: cloudFormationTags,
  }) as {
    Resources: Record<
      string,
      { Type: string; Properties: { Policies?: { Statement: Statement[] }[] } }
    >;
  };
  const fn = Object.values(template.Resources).find(
    (resource) => resource.Type === "AWS::Serverless::Function",
  );
  return actionsOf((fn?.Properties.Policies ?? []).flatMap((policy) => policy.Statement));
}

function allows(granted: Set<string>, action: string): boolean {
  const [service] = action.split(":");
  return granted.has(action) || granted.has(`${service}:*`) || granted.has("*");
}

/** Compares what one caller did with what its policy grants; returns the problems. */
function check(caller: Caller, granted: Set<string>, performed: Set<string>): string[] {
  const needed = new Set(performed);
  for (const action of performed) for (const implied of IMPLIED[action] ?? []) needed.add(implied);
  const problems: string[] = [];
  for (const action of [...needed].sort()) {
    const ok = allows(granted, action);
    console.log(
      `  ${ok ? "allowed" : "MISSING"}  ${action}${performed.has(action) ? "" : " (implied)"}`,
    );
    if (!ok) problems.push(`${caller}: the policy does not allow ${action}`);
  }
  for (const action of [...granted].sort()) {
    if (needed.has(action)) continue;
    console.log(`  UNUSED   ${action}`);
    problems.push(`${caller}: the policy grants ${action}, which no suite performed`);
  }
  return problems;
}

const records = readAwsCallRecords();
const problems: string[] = [];
for (const [caller, granted, file] of [
  ["action", actionPolicy(), "policies/action-policy.json"],
  ["lambda", lambdaPolicy(), "lambda/template.yaml"],
] as const) {
  const mine = records.filter((record) => record.caller === caller);
  const performed = new Set(mine.flatMap((record) => record.actions));
  console.log(
    `${caller} (${file}), from ${mine.map((record) => record.suite).join(", ") || "no suite"}:`,
  );
  if (mine.length === 0)
    problems.push(`${caller}: no suite recorded its calls; run npm test first`);
  problems.push(...check(caller, granted, performed));
}
if (problems.length > 0) {
  console.error(
    `\nIAM coverage failed:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
  );
  process.exit(1);
}
console.log("\nIAM coverage: every recorded call is allowed, and every grant was used.");
