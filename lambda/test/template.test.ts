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
import { CONTINUATION_DELAY_MS, FUNCTION_TIMEOUT_MS, LATE_CONTINUATION_MS } from "../src/limits.js";
import { SERVICE_NAME } from "../src/logger.js";
import { METRICS_NAMESPACE, OUTCOME_METRICS } from "../src/metrics.js";
import { CLAIM_ATTRIBUTES } from "../src/report-claims.js";

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
  FunctionName: unknown;
  Handler: string;
  CodeUri: string;
  Runtime: string;
  Timeout: number;
  ReservedConcurrentExecutions: unknown;
  EventInvokeConfig: { MaximumEventAgeInSeconds: number };
  Environment: { Variables: Record<string, unknown> };
  Policies: { Statement: unknown[] }[];
};

/**
 * The template as CloudFormation resolves it with the given conditions true: each `Fn::If`
 * becomes its branch, and `AWS::NoValue` drops the list item or key it stands for.
 */
function resolveIf(value: unknown, enabled: ReadonlySet<string>): unknown {
  const noValue = (v: unknown) =>
    typeof v === "object" && v !== null && (v as Json).Ref === "AWS::NoValue";
  if (Array.isArray(value)) {
    return value.map((item) => resolveIf(item, enabled)).filter((item) => !noValue(item));
  }
  if (typeof value !== "object" || value === null) return value;
  const branch = (value as Json)["Fn::If"];
  if (Array.isArray(branch)) {
    const [condition, whenTrue, whenFalse] = branch as [string, unknown, unknown];
    return resolveIf(enabled.has(condition) ? whenTrue : whenFalse, enabled);
  }
  return Object.fromEntries(
    Object.entries(value)
      .map(([key, item]) => [key, resolveIf(item, enabled)] as const)
      .filter(([, item]) => !noValue(item)),
  );
}

/** The function's policy statements with exactly-once on (the default) or off. */
function statementsWith(exactlyOnce = true): Statement[] {
  const enabled = new Set(exactlyOnce ? ["ExactlyOnceEnabled"] : []);
  return (resolveIf(props.Policies, enabled) as { Statement: Statement[] }[]).flatMap(
    (policy) => policy.Statement,
  );
}
const statements = statementsWith();

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
  "@aws-sdk/client-dynamodb": "dynamodb",
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

function allows(action: string, granted = statements): boolean {
  return granted.some(
    (s) =>
      s.Effect === "Allow" &&
      actionsOf(s).some((a) => new RegExp(`^${a.replace(/\*/g, ".*")}$`, "i").test(action)),
  );
}

describe("lambda/template.yaml", () => {
  it("is a SAM template with one function on Node.js 24, whose SDK it imports lazily", () => {
    expect(template.Transform).toBe("AWS::Serverless-2016-10-31");
    expect(fn).toBeDefined();
    expect(props.Runtime).toBe("nodejs24.x");
  });

  it("gives the function the time budget the code counts with", () => {
    expect(props.Timeout * 1000).toBe(FUNCTION_TIMEOUT_MS);
    expect(
      props.EventInvokeConfig.MaximumEventAgeInSeconds * 1000 + 2 * CONTINUATION_DELAY_MS,
    ).toBe(LATE_CONTINUATION_MS);
  });

  it("names the function as the action's policy does, unless told otherwise", () => {
    const policy = JSON.parse(
      readFileSync(join(LAMBDA, "../policies/action-policy.json"), "utf8"),
    ) as { Statement: { Action: string; Resource: string }[] };
    const invoke = policy.Statement.find((s) => s.Action === "lambda:InvokeFunction");

    expect(props.FunctionName).toEqual({ Ref: "FunctionName" });
    expect(invoke?.Resource).toMatch(
      new RegExp(`:function:${String(template.Parameters.FunctionName?.Default)}$`),
    );
    expect(template.Parameters.FunctionName?.Default).toBe(SERVICE_NAME);
    expect(props.Environment.Variables.POWERTOOLS_SERVICE_NAME).toEqual({ Ref: "FunctionName" });
  });

  it("reserves concurrency, 10 unless told otherwise, none for 0", () => {
    expect(template.Parameters.ReservedConcurrentExecutions?.Default).toBe(10);
    expect(resolveIf(props.ReservedConcurrentExecutions, new Set(["ReservesConcurrency"]))).toEqual(
      {
        Ref: "ReservedConcurrentExecutions",
      },
    );
    expect(template.Conditions.ReservesConcurrency).toEqual({
      "Fn::Not": [{ "Fn::Equals": [{ Ref: "ReservedConcurrentExecutions" }, 0] }],
    });
  });

  it("takes only the secret's full ARN, the one IAM matches", () => {
    const pattern = new RegExp(String(template.Parameters.GitHubTokenSecretArn?.AllowedPattern));
    const name = "arn:aws:secretsmanager:us-east-1:111122223333:secret:sagemaker-deploy/github";

    expect(pattern.test(`${name}-AbCdEf`)).toBe(true);
    expect(pattern.test(name)).toBe(false);
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
        "dynamodb:PutItem",
      ]),
    );
  });

  it("grants dynamodb:PutItem only with EnableExactlyOnce, on the reports table alone", () => {
    const claim = statements.find((s) => actionsOf(s).includes("dynamodb:PutItem"));

    expect(statementsWith(false).flatMap(actionsOf)).not.toContain("dynamodb:PutItem");
    expect(claim?.Resource).toEqual({ "Fn::GetAtt": ["ReportsTable", "Arn"] });
    expect(resources.ReportsTable?.Condition).toBe("ExactlyOnceEnabled");
    expect(template.Parameters.EnableExactlyOnce?.Default).toBe("false");
    expect(props.Environment.Variables[ENV.reportsTableName]).toEqual({
      "Fn::If": ["ExactlyOnceEnabled", { Ref: "ReportsTable" }, { Ref: "AWS::NoValue" }],
    });
  });

  it("makes the reports table the claims expect: keyed by id, on demand, expiring by TTL", () => {
    const table = propertiesOf<{
      BillingMode: string;
      KeySchema: { AttributeName: string; KeyType: string }[];
      TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
    }>("ReportsTable");

    expect(table.BillingMode).toBe("PAY_PER_REQUEST");
    expect(table.KeySchema).toEqual([{ AttributeName: CLAIM_ATTRIBUTES.id, KeyType: "HASH" }]);
    expect(table.TimeToLiveSpecification).toEqual({
      AttributeName: CLAIM_ATTRIBUTES.expiresAt,
      Enabled: true,
    });
  });

  it("lets the function tag only its own tags, only on endpoints the action deployed", () => {
    const tagging = statements.filter((s) => actionsOf(s).includes("sagemaker:AddTags"));

    expect(tagging).toHaveLength(1);
    expect(actionsOf(tagging[0] as Statement)).toEqual(["sagemaker:AddTags"]);
    expect(tagging[0]?.Condition).toEqual({
      "ForAllValues:StringEquals": {
        "aws:TagKeys": ["sagemaker-deploy:reported", "sagemaker-deploy:timing"],
      },
      Null: { "aws:TagKeys": "false", "aws:ResourceTag/sagemaker-deploy:deploy-id": "false" },
    });
  });

  it("reads endpoints without a tag condition, so a missing one is 'not found', not AccessDenied", () => {
    const reading = statements.filter((s) =>
      actionsOf(s).some((a) => a === "sagemaker:DescribeEndpoint" || a === "sagemaker:ListTags"),
    );

    expect(reading.flatMap(actionsOf).sort()).toEqual([
      "sagemaker:DescribeEndpoint",
      "sagemaker:ListTags",
    ]);
    expect(reading.every((s) => s.Condition === undefined)).toBe(true);
    // The function's own region: it reports nothing elsewhere.
    expect(reading[0]?.Resource).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax
      "Fn::Sub": "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/*",
    });
  });

  it("alarms on the first failed dispatch, telling an optional SNS topic", () => {
    const alarm = propertiesOf<Json>("DispatchFailedAlarm");

    expect(alarm).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: OUTCOME_METRICS["dispatch-failed"],
      Dimensions: [{ Name: "service", Value: { Ref: "FunctionName" } }],
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
    expect(resolveIf(alarm.AlarmActions, new Set(["HasAlarmTopic"]))).toEqual([
      { Ref: "AlarmTopicArn" },
    ]);
    expect(template.Parameters.AlarmTopicArn?.Default).toBe("");
    expect(props.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
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
