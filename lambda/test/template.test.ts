import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GATEWAY_OPERATIONS } from "../../src/shared/sagemaker-gateway.js";
import { FAILED_STATUSES } from "../../src/shared/status.js";
import { cloudFormationTags } from "../../test/support/cloudformation.js";
import { statusFromEvent } from "../../test/support/event-status.js";
import { STATE_CHANGE_EVENT } from "../src/classify-event.js";
import { ENV } from "../src/config.js";
import { SCHEDULE_NAME_PREFIX } from "../src/continuation.js";

const LAMBDA = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

type Json = Record<string, unknown>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Json };

const template = parse(readFileSync(join(LAMBDA, "template.yaml"), "utf8"), {
  customTags: cloudFormationTags,
}) as {
  Transform: string;
  Parameters: Record<string, Json>;
  Conditions: Json;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Json }>;
  Outputs: Record<string, { Value: unknown }>;
};
const resources = template.Resources;
const fn = Object.values(resources).find((r) => r.Type === "AWS::Serverless::Function");
const props = (fn?.Properties ?? {}) as {
  Handler: string;
  CodeUri: string;
  Runtime: string;
  Timeout: number;
  Environment: { Variables: Record<string, unknown> };
  Policies: { Statement: Statement[] }[];
};
const statements = props.Policies.flatMap((policy) => policy.Statement);

/** A resource's Properties, typed as the test reads them; throws when the resource is missing. */
function propertiesOf<T>(name: string): T {
  const resource = resources[name];
  if (!resource) throw new Error(`template.yaml has no resource ${name}`);
  return resource.Properties as T;
}

/** Variables read by libraries or the runtime, not by lambda/src. */
const LIBRARY_ENV = /^(POWERTOOLS_|AWS_|NODE_OPTIONS$)/;

/** The IAM prefix of each AWS SDK client package. */
const IAM_PREFIX: Record<string, string> = {
  "@aws-sdk/client-sagemaker": "sagemaker",
  "@aws-sdk/client-secrets-manager": "secretsmanager",
  "@aws-sdk/client-scheduler": "scheduler",
  "@aws-sdk/client-lambda": "lambda",
};

/** The TypeScript files the bundle holds: lambda/src/index.ts and every relative import, transitively. */
function bundledSources(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, "utf8");
  for (const [, path] of text.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g)) {
    bundledSources(resolve(dirname(entry), `${path}.ts`), seen);
  }
  return seen;
}

/** Every `sdk:Operation` the bundled code sends (static or lazily imported clients alike). */
function operationsUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of bundledSources(join(LAMBDA, "src/index.ts"))) {
    const text = readFileSync(file, "utf8");
    // The gateway holds every SageMaker call; what the Lambda needs is the methods it calls.
    if (file.endsWith("sagemaker-gateway.ts")) continue;
    for (const [method, operation] of Object.entries(GATEWAY_OPERATIONS)) {
      if (new RegExp(`\\.${method}\\(`).test(text)) used.add(`sagemaker:${operation}`);
    }
    const packages = [
      ...new Set([...text.matchAll(/"(@aws-sdk\/client-[a-z-]+)"/g)].map((m) => m[1] ?? "")),
    ];
    for (const [, command] of text.matchAll(/new (?:\w+\.)?(\w+)Command\(/g)) {
      const pkg = packages.find((name) => `${command}Command` in (require(name) as Json));
      if (!pkg) throw new Error(`${file}: cannot tell which client ${command}Command comes from`);
      used.add(`${IAM_PREFIX[pkg]}:${command}`);
    }
  }
  // Handing a role to EventBridge Scheduler is itself a permission.
  if (used.has("scheduler:CreateSchedule")) used.add("iam:PassRole");
  return used;
}

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function allows(action: string): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      actionsOf(s).some((a) => new RegExp(`^${a.replace(/\*/g, ".*")}$`, "i").test(action)),
  );
}

describe("lambda/template.yaml", () => {
  it("is a SAM template with one function on a current Node.js runtime", () => {
    expect(template.Transform).toBe("AWS::Serverless-2016-10-31");
    expect(fn).toBeDefined();
    expect(Number(/^nodejs(\d+)\.x$/.exec(props.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
    expect(props.Timeout).toBe(900);
  });

  it("points Handler at the committed bundle's handler export", async () => {
    const [file, exported] = props.Handler.split(".");
    const bundle = join(LAMBDA, props.CodeUri, `${file}.mjs`);

    expect(existsSync(bundle)).toBe(true);
    const module = (await import(bundle)) as Record<string, unknown>;
    expect(typeof module[exported ?? ""]).toBe("function");
  });

  it("sets exactly the environment variables the code reads", () => {
    const names = Object.keys(props.Environment.Variables).filter(
      (name) => !LIBRARY_ENV.test(name),
    );
    expect(names.sort()).toEqual(Object.values(ENV).sort());
  });

  it("uses every parameter it declares", () => {
    const text = JSON.stringify({ ...template, Parameters: undefined });
    for (const name of Object.keys(template.Parameters)) expect(text).toContain(`"${name}"`);
  });

  it("allows every AWS call the code makes, and nothing else", () => {
    const used = operationsUsed();
    const granted = statements.flatMap(actionsOf);

    expect([...used].filter((action) => !allows(action))).toEqual([]);
    expect(granted.filter((action) => !used.has(action))).toEqual([]);
    expect(used).toEqual(
      new Set([
        "sagemaker:DescribeEndpoint",
        "sagemaker:ListTags",
        "sagemaker:AddTags",
        "secretsmanager:GetSecretValue",
        "scheduler:CreateSchedule",
        "iam:PassRole",
      ]),
    );
  });

  it("scopes every grant to resources, never '*'", () => {
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
    const secret = statements.find((s) => actionsOf(s).includes("secretsmanager:GetSecretValue"));
    expect(secret?.Resource).toEqual({ Ref: "GitHubTokenSecretArn" });
    const schedule = statements.find((s) => actionsOf(s).includes("scheduler:CreateSchedule"));
    expect(JSON.stringify(schedule?.Resource)).toContain(
      `schedule/default/${SCHEDULE_NAME_PREFIX}*`,
    );
    const pass = statements.find((s) => actionsOf(s).includes("iam:PassRole"));
    expect(pass?.Condition).toEqual({
      StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" },
    });
  });

  it("lets only EventBridge Scheduler's role invoke the function again, and only this function", () => {
    const role = propertiesOf<{ AssumeRolePolicyDocument: { Statement: { Principal: Json }[] } }>(
      "SchedulerInvokeRole",
    );
    const policy = propertiesOf<{ PolicyDocument: { Statement: Statement[] } }>(
      "SchedulerInvokePolicy",
    );

    expect(role.AssumeRolePolicyDocument.Statement[0]?.Principal).toEqual({
      Service: "scheduler.amazonaws.com",
    });
    expect(props.Environment.Variables.SCHEDULER_ROLE_ARN).toEqual({
      "Fn::GetAtt": ["SchedulerInvokeRole", "Arn"],
    });
    expect(policy.PolicyDocument.Statement.flatMap(actionsOf)).toEqual(["lambda:InvokeFunction"]);
    expect(JSON.stringify(policy.PolicyDocument.Statement[0]?.Resource)).toContain(
      "CompanionFunction",
    );
  });

  it("has an optional EventBridge rule for the events the handler understands, ending statuses only", () => {
    const { EventPattern: pattern } = propertiesOf<{
      EventPattern: {
        source: string[];
        "detail-type": string[];
        detail: { EndpointStatus: string[] };
      };
    }>("EndpointStateChangeRule");

    expect(resources.EndpointStateChangeRule?.Condition).toBe("EventBridgeRuleEnabled");
    expect(resources.EndpointStateChangePermission?.Condition).toBe("EventBridgeRuleEnabled");
    expect(pattern.source).toEqual([STATE_CHANGE_EVENT.source]);
    expect(pattern["detail-type"]).toEqual([STATE_CHANGE_EVENT.detailType]);
    const ending = ["InService", ...FAILED_STATUSES];
    expect(pattern.detail.EndpointStatus.map(statusFromEvent).sort()).toEqual([...ending].sort());
  });

  it("outputs the function ARN", () => {
    expect(template.Outputs.FunctionArn?.Value).toEqual({
      "Fn::GetAtt": ["CompanionFunction", "Arn"],
    });
  });
});
