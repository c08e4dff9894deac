/**
 * IAM check: every AWS call the suites saw the action and the companion Lambda make (recorded
 * at the emulators by test/support/aws-calls.ts, with the tags sent and the tags the resource
 * had) must be allowed by the policy shipped for it, Conditions included; every statement must
 * be needed by some call; and a set of forged calls (what a leaked role must not do) must be
 * denied. Run after `npm test`: `npm run iam:check`. Prints what it checked; exits 1 on any gap.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { TAG_KEYS } from "../../src/shared/tags.js";
import { ROOT } from "../e2e/run-action.js";
import {
  type AwsCall,
  type AwsCallRecord,
  type Caller,
  type CallResource,
  readAwsCallRecords,
} from "./aws-calls.js";
import { cloudFormationTags } from "./cloudformation.js";
import {
  type Authorization,
  type ConditionBlock,
  type ContextValue,
  decide,
  globMatches,
  PolicyError,
  type Statement,
  statementProblems,
} from "./iam-policy.js";

/** A shipped policy: whose it is, where it lives, and its statements. */
export interface PolicyUnderCheck {
  readonly caller: Caller;
  readonly file: string;
  readonly statements: readonly Statement[];
  /** What could not be read (unknown elements, keys, intrinsics): each fails the check. */
  readonly problems: readonly string[];
}

/** An authorization with what the table shows of it. */
export interface LabelledAuthorization extends Authorization {
  /** The operation that made IAM check this action too (tag-on-create, PassRole). */
  readonly impliedBy?: string;
}

/** A call that must come out as `expected` (forged calls: denied). */
export interface Probe {
  readonly description: string;
  readonly expected: "allowed" | "denied";
  readonly authorizations: readonly LabelledAuthorization[];
}

/** The services a role is passed to, by the call that passes it (authorized as iam:PassRole). */
const PASSES_ROLE_TO: Readonly<Record<string, string>> = {
  "sagemaker:CreateModel": "sagemaker.amazonaws.com",
  "scheduler:CreateSchedule": "scheduler.amazonaws.com",
};

/**
 * Creates whose `Tags` SageMaker also authorizes as `sagemaker:AddTags` on the new resource,
 * with `sagemaker:TaggingAction` set to the create (service authorization reference).
 */
const TAGS_ON_CREATE: Readonly<Record<string, string>> = {
  "sagemaker:CreateModel": ":model/",
  "sagemaker:CreateEndpointConfig": ":endpoint-config/",
  "sagemaker:CreateEndpoint": ":endpoint/",
};

function tagContext(
  call: AwsCall,
  resource: CallResource | undefined,
): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  const requestTags = call.requestTags ?? {};
  for (const [key, value] of Object.entries(requestTags)) context[`aws:RequestTag/${key}`] = value;
  const keys = [...Object.keys(requestTags), ...(call.tagKeys ?? [])];
  if (keys.length > 0) context["aws:TagKeys"] = keys;
  for (const [key, value] of Object.entries(resource?.tags ?? {})) {
    context[`aws:ResourceTag/${key}`] = value;
  }
  return context;
}

/** The service-linked role RegisterScalableTarget creates for SageMaker variants if it is missing. */
const SCALING_ROLE_SERVICE = "sagemaker.application-autoscaling.amazonaws.com";
const SCALING_ROLE = `arn:aws:iam::123456789012:role/aws-service-role/${SCALING_ROLE_SERVICE}/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`;

/**
 * What registering a SageMaker variant also needs of the caller: Application Auto Scaling checks
 * that it may describe the endpoint and change its capacity, and creates its service-linked role
 * on first use (Application Auto Scaling User Guide, permissions validation; SageMaker Developer
 * Guide, "Auto scaling prerequisites").
 */
function scalingChecks(call: AwsCall): LabelledAuthorization[] {
  const target = call.scalableTarget;
  if (call.action !== "application-autoscaling:RegisterScalableTarget") return [];
  if (target?.namespace !== "sagemaker") return [];
  const endpoint = target.endpoint;
  const onEndpoint = [
    "sagemaker:DescribeEndpoint",
    "sagemaker:UpdateEndpointWeightsAndCapacities",
  ].map((action) => ({
    action,
    ...(endpoint === undefined ? {} : { resource: endpoint.arn }),
    context: tagContext({ action }, endpoint),
    impliedBy: call.action,
  }));
  const role = {
    action: "iam:CreateServiceLinkedRole",
    resource: SCALING_ROLE,
    context: { "iam:AWSServiceName": SCALING_ROLE_SERVICE },
    impliedBy: call.action,
  };
  return [...onEndpoint, role];
}

/**
 * Every authorization IAM makes for one call: one per resource, plus the tag-on-create AddTags,
 * the PassRole, and what registering a SageMaker variant needs.
 */
export function authorizationsOf(call: AwsCall): LabelledAuthorization[] {
  const resources: (CallResource | undefined)[] =
    call.resources === undefined
      ? [undefined]
      : call.resources.length > 0
        ? [...call.resources]
        : [{ arn: "*" }];
  const own = resources.map((resource) => ({
    action: call.action,
    ...(resource === undefined ? {} : { resource: resource.arn }),
    context: tagContext(call, resource),
  }));
  const implied: LabelledAuthorization[] = [];
  const created = TAGS_ON_CREATE[call.action];
  if (created !== undefined && Object.keys(call.requestTags ?? {}).length > 0) {
    const resource = resources.find((r) => r === undefined || r.arn.includes(created));
    implied.push({
      action: "sagemaker:AddTags",
      ...(resource === undefined ? {} : { resource: resource.arn }),
      context: {
        ...tagContext(call, resource),
        "sagemaker:TaggingAction": call.action.replace(/^sagemaker:/, ""),
      },
      impliedBy: call.action,
    });
  }
  implied.push(...scalingChecks(call));
  const service = PASSES_ROLE_TO[call.action];
  if (service !== undefined) {
    implied.push({
      action: "iam:PassRole",
      ...(call.passedRole === undefined ? {} : { resource: call.passedRole }),
      context: { "iam:PassedToService": service },
      impliedBy: call.action,
    });
  }
  return [...own, ...implied];
}

// --- Loading the shipped policies -------------------------------------------------------------

/**
 * A Resource of the template, loosely: `!Sub` with every `${...}` as a wildcard, `!Ref` and
 * `!GetAtt` as `*` (the check cannot know the stack's names).
 */
function looseResource(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "Fn::Sub" in value) {
    const sub = (value as { "Fn::Sub": unknown })["Fn::Sub"];
    const text = Array.isArray(sub) ? sub[0] : sub;
    if (typeof text === "string") return text.replace(/\$\{[^}]+\}/g, "*");
  }
  return "*";
}

/**
 * A statement list entry, loosely: `!If [condition, a, b]` stands for both branches (the check
 * cannot know the stack's parameters), and `!Ref AWS::NoValue` for nothing.
 */
function templateStatements(entry: unknown): unknown[] {
  if (typeof entry !== "object" || entry === null) return [entry];
  if ("Ref" in entry && (entry as { Ref: unknown }).Ref === "AWS::NoValue") return [];
  if (!("Fn::If" in entry)) return [entry];
  const branches = asList((entry as { "Fn::If": unknown })["Fn::If"]).slice(1);
  return branches.flatMap(templateStatements);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Condition values must be plain: an intrinsic there cannot be evaluated without the stack. */
function plainCondition(
  raw: unknown,
  where: string,
  problems: string[],
): ConditionBlock | undefined {
  if (raw === undefined) return undefined;
  const block = raw as Record<string, Record<string, unknown>>;
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, value] of Object.entries(keys)) {
      const plain = asList(value).every((item) =>
        ["string", "boolean", "number"].includes(typeof item),
      );
      if (!plain)
        problems.push(`${where}: ${operator} ${key} is not a plain value the check can read`);
    }
  }
  return block as ConditionBlock;
}

/** The statements of a policy document, resolved; and what the check could not read in them. */
function readStatements(
  raw: readonly unknown[],
  file: string,
  loose: boolean,
): { statements: Statement[]; problems: string[] } {
  const problems: string[] = [];
  const statements = raw.map((item, index) => {
    const { Resource, Condition, ...rest } = item as Statement;
    const where = `${file} ${rest.Sid ?? `statement ${index + 1}`}`;
    const statement = {
      ...rest,
      ...(Resource === undefined
        ? {}
        : { Resource: asList(Resource).map((r) => (loose ? looseResource(r) : String(r))) }),
      ...(Condition === undefined ? {} : { Condition: plainCondition(Condition, where, problems) }),
    } as Statement;
    problems.push(...statementProblems(statement).map((problem) => `${where}: ${problem}`));
    return statement;
  });
  return { statements, problems };
}

/** The job's role: policies/action-policy.json. */
export function loadActionPolicy(): PolicyUnderCheck {
  const file = "policies/action-policy.json";
  const policy = JSON.parse(readFileSync(join(ROOT, file), "utf8")) as { Statement: unknown[] };
  return { caller: "action", file, ...readStatements(policy.Statement, file, false) };
}

/** The companion's role: the inline policies of the function in lambda/template.yaml. */
export function loadCompanionPolicy(): PolicyUnderCheck {
  const file = "lambda/template.yaml";
  const template = parse(readFileSync(join(ROOT, file), "utf8"), {
    customTags: cloudFormationTags,
  }) as { Resources: Record<string, { Type: string; Properties: { Policies?: unknown } }> };
  const fn = Object.values(template.Resources).find(
    (resource) => resource.Type === "AWS::Serverless::Function",
  );
  const problems: string[] = [];
  const raw = asList(fn?.Properties.Policies).flatMap((policy) => {
    if (typeof policy === "object" && policy !== null && "Statement" in policy) {
      return asList((policy as { Statement: unknown }).Statement).flatMap(templateStatements);
    }
    problems.push(
      `${file}: policy ${JSON.stringify(policy)} is not an inline document the check can read`,
    );
    return [];
  });
  const read = readStatements(raw, file, true);
  return {
    caller: "lambda",
    file,
    statements: read.statements,
    problems: [...problems, ...read.problems],
  };
}

// --- Forged and intended calls ---------------------------------------------------------------

const ACCOUNT = "123456789012";
const sageMakerArn = (kind: string, name: string) =>
  `arn:aws:sagemaker:us-east-1:${ACCOUNT}:${kind}/${name}`;
const ENDPOINT = sageMakerArn("endpoint", "fraud-scorer");
const CONFIG = sageMakerArn("endpoint-config", "fraud-scorer-0123456789ab");
const MODEL = sageMakerArn("model", "fraud-scorer-0123456789ab");
const LEGACY_CONFIG = sageMakerArn("endpoint-config", "legacy-config");
const EXECUTION_ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";
/** Tags of something this action created (any deploy-id), and of something it did not. */
const OURS = { [TAG_KEYS.deployId]: "0f8fad5b-d9cb-469f-a165-70867728950e", team: "fraud" };
const ADOPTED = { [TAG_KEYS.deployId]: "adopted", team: "fraud" };
const THEIRS = { team: "search" };

function call(description: string, expected: Probe["expected"], made: AwsCall): Probe {
  return { description, expected, authorizations: authorizationsOf(made) };
}

function passRole(description: string, resource: string, service: string): Probe {
  return {
    description,
    expected: "denied",
    authorizations: [
      { action: "iam:PassRole", resource, context: { "iam:PassedToService": service } },
    ],
  };
}

/** What each role must not do, and what it must still be able to do that no suite records. */
export const PROBES: Readonly<Record<Caller, readonly Probe[]>> = {
  action: [
    call("UpdateEndpoint on an endpoint without sagemaker-deploy:deploy-id", "denied", {
      action: "sagemaker:UpdateEndpoint",
      resources: [
        { arn: ENDPOINT, tags: THEIRS },
        { arn: CONFIG, tags: OURS },
      ],
    }),
    call("DeleteEndpoint on an endpoint without the tag", "denied", {
      action: "sagemaker:DeleteEndpoint",
      resources: [{ arn: ENDPOINT, tags: THEIRS }],
    }),
    call("DeleteEndpointConfig on a config without the tag", "denied", {
      action: "sagemaker:DeleteEndpointConfig",
      resources: [{ arn: CONFIG, tags: THEIRS }],
    }),
    call("DeleteModel on an untagged model", "denied", {
      action: "sagemaker:DeleteModel",
      resources: [{ arn: MODEL }],
    }),
    call("CreateModel without the tag", "denied", {
      action: "sagemaker:CreateModel",
      resources: [{ arn: MODEL }],
      requestTags: { [TAG_KEYS.repository]: "octo-org/fraud-models" },
      passedRole: EXECUTION_ROLE,
    }),
    call("CreateEndpointConfig without tags", "denied", {
      action: "sagemaker:CreateEndpointConfig",
      resources: [{ arn: CONFIG }],
    }),
    call("CreateEndpoint without tags", "denied", {
      action: "sagemaker:CreateEndpoint",
      resources: [{ arn: ENDPOINT }, { arn: CONFIG, tags: OURS }],
    }),
    call("AddTags putting deploy-id on an untagged endpoint (adopting it itself)", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: ENDPOINT, tags: THEIRS }],
      requestTags: { [TAG_KEYS.deployId]: "adopted" },
    }),
    call("AddTags on an existing model", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: MODEL, tags: OURS }],
      requestTags: { team: "other" },
    }),
    call("RegisterScalableTarget for a variant of an endpoint without the tag", "denied", {
      action: "application-autoscaling:RegisterScalableTarget",
      resources: [],
      scalableTarget: {
        namespace: "sagemaker",
        resourceId: "endpoint/fraud-scorer/variant/AllTraffic",
        endpoint: { arn: ENDPOINT, tags: THEIRS },
      },
    }),
    passRole(
      "iam:PassRole of the execution role to Lambda",
      EXECUTION_ROLE,
      "lambda.amazonaws.com",
    ),
    passRole(
      "iam:PassRole of another role to SageMaker",
      "arn:aws:iam::111122223333:role/Administrator",
      "sagemaker.amazonaws.com",
    ),
    {
      description: "lambda:InvokeFunction of another function",
      expected: "denied",
      authorizations: [
        {
          action: "lambda:InvokeFunction",
          resource: "arn:aws:lambda:us-east-1:111122223333:function:payroll",
          context: {},
        },
      ],
    },
    call("UpdateEndpoint on an adopted endpoint (deploy-id=adopted)", "allowed", {
      action: "sagemaker:UpdateEndpoint",
      resources: [
        { arn: ENDPOINT, tags: ADOPTED },
        { arn: CONFIG, tags: OURS },
      ],
    }),
    call("UpdateEndpoint rolling an adopted endpoint back to its untagged config", "allowed", {
      action: "sagemaker:UpdateEndpoint",
      resources: [
        { arn: ENDPOINT, tags: ADOPTED },
        { arn: LEGACY_CONFIG, tags: THEIRS },
      ],
    }),
  ],
  lambda: [
    call("AddTags of sagemaker-deploy:deploy-id (not the companion's tag)", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: ENDPOINT, tags: OURS }],
      requestTags: { [TAG_KEYS.deployId]: "forged" },
    }),
    call("AddTags of sagemaker-deploy:reported with a tag of its own choosing", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: ENDPOINT, tags: OURS }],
      requestTags: { [TAG_KEYS.reported]: "1/fraud-scorer-0123456789ab/InService", team: "x" },
    }),
    call("AddTags of sagemaker-deploy:reported on an endpoint without deploy-id", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: ENDPOINT, tags: THEIRS }],
      requestTags: { [TAG_KEYS.reported]: "1/fraud-scorer-0123456789ab/InService" },
    }),
    call("AddTags of sagemaker-deploy:timing on an endpoint without deploy-id", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: ENDPOINT, tags: THEIRS }],
      requestTags: { [TAG_KEYS.timing]: "create=612" },
    }),
    call("AddTags on a model", "denied", {
      action: "sagemaker:AddTags",
      resources: [{ arn: MODEL, tags: OURS }],
      requestTags: { [TAG_KEYS.reported]: "1/x/InService" },
    }),
    call("UpdateEndpoint", "denied", {
      action: "sagemaker:UpdateEndpoint",
      resources: [
        { arn: ENDPOINT, tags: OURS },
        { arn: CONFIG, tags: OURS },
      ],
    }),
    call("DeleteEndpoint", "denied", {
      action: "sagemaker:DeleteEndpoint",
      resources: [{ arn: ENDPOINT, tags: OURS }],
    }),
    passRole("iam:PassRole of the scheduler role to Lambda", "*", "lambda.amazonaws.com"),
    call("AddTags of sagemaker-deploy:timing on an endpoint the action tagged", "allowed", {
      action: "sagemaker:AddTags",
      resources: [{ arn: ENDPOINT, tags: OURS }],
      requestTags: { [TAG_KEYS.timing]: "create=612 update=380" },
    }),
  ],
};

// --- The check ---------------------------------------------------------------------------------

/** What one policy's check found: the table to print and the problems that fail it. */
export interface CheckResult {
  readonly lines: readonly string[];
  readonly problems: readonly string[];
}

function sidOf(policy: PolicyUnderCheck, index: number): string {
  return policy.statements[index]?.Sid ?? `statement ${index + 1}`;
}

/** `model/*`, `role/SageMakerExecution`, `(not recorded)`: what kind of resource was asked for. */
function resourceLabel(resource: string | undefined): string {
  if (resource === undefined) return "(resource not recorded)";
  const sageMaker = /^arn:aws:sagemaker:[^:]*:[^:]*:([a-z-]+)\//.exec(resource);
  if (sageMaker) return `${sageMaker[1]}/*`;
  return resource.split(":").slice(5).join(":") || resource;
}

function has(context: Authorization["context"], key: string): boolean {
  return context[key] !== undefined;
}

/** The facts the conditions look at, in words. */
function factsOf(auth: LabelledAuthorization): string {
  const facts: string[] = [];
  const tagKeys = auth.context["aws:TagKeys"];
  if (tagKeys !== undefined) {
    const sent = has(auth.context, `aws:RequestTag/${TAG_KEYS.deployId}`) ? "with" : "without";
    const keys = [...tagKeys];
    const named = keys.length <= 2 ? ` (${keys.join(", ")})` : "";
    facts.push(
      `sends ${keys.length} tag${keys.length === 1 ? "" : "s"}${named}, ${sent} deploy-id`,
    );
  }
  const resourceTagged = Object.keys(auth.context).some((key) =>
    key.startsWith("aws:ResourceTag/"),
  );
  if (auth.resource?.startsWith("arn:aws:sagemaker")) {
    facts.push(
      has(auth.context, `aws:ResourceTag/${TAG_KEYS.deployId}`)
        ? "resource has deploy-id"
        : resourceTagged
          ? "resource lacks deploy-id"
          : "resource untagged or new",
    );
  }
  const service = auth.context["iam:PassedToService"];
  if (typeof service === "string") facts.push(`to ${service}`);
  return facts.join("; ");
}

function labelOf(auth: LabelledAuthorization): string {
  const implied = auth.impliedBy === undefined ? "" : ` (for ${auth.impliedBy.split(":")[1]})`;
  const facts = factsOf(auth);
  return `${auth.action}${implied} on ${resourceLabel(auth.resource)}${facts ? `: ${facts}` : ""}`;
}

function safeDecide(policy: PolicyUnderCheck, auth: Authorization, problems: string[]) {
  try {
    return decide(policy.statements, auth);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    problems.push(`${policy.file}: ${error.message}`);
    return { allowed: false, allowedBy: [], deniedBy: [] };
  }
}

/** Tracks which statements, actions and resources some recorded call needed. */
class Usage {
  readonly soleAction = new Set<string>();
  readonly resource = new Set<string>();

  note(policy: PolicyUnderCheck, auth: Authorization, allowedBy: readonly number[]): void {
    for (const index of allowedBy) {
      const statement = policy.statements[index];
      for (const pattern of [statement?.Resource ?? []].flat()) {
        if (auth.resource === undefined || globMatches(pattern, auth.resource)) {
          this.resource.add(`${index}|${pattern}`);
        }
      }
      if (allowedBy.length !== 1) continue;
      for (const pattern of [statement?.Action ?? []].flat()) {
        if (globMatches(pattern, auth.action, true)) this.soleAction.add(`${index}|${pattern}`);
      }
    }
  }

  /** Grants no recorded call needed: an Action no call needed it for, a Resource none matched. */
  unneeded(policy: PolicyUnderCheck): string[] {
    return policy.statements.flatMap((statement, index) => {
      if (statement.Effect !== "Allow") return [];
      const sid = sidOf(policy, index);
      const actions = [statement.Action]
        .flat()
        .filter((a) => !this.soleAction.has(`${index}|${a}`));
      const resources = [statement.Resource]
        .flat()
        .filter((r) => !this.resource.has(`${index}|${r}`));
      return [
        ...actions.map(
          (a) => `${sid} grants ${a}, and no recorded call needs this statement for it`,
        ),
        ...resources.map((r) => `${sid} names ${r}, which no recorded call it allowed touched`),
      ];
    });
  }
}

function table(rows: Map<string, number>): string[] {
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([row, count]) => {
      const [result = "", label = "", by = ""] = row.split("\t");
      return `  ${result.padEnd(8)} ${String(count).padStart(5)}  ${label}${by ? `  [${by}]` : ""}`;
    });
}

/**
 * A delete of a model, config or endpoint that no longer existed when it arrived (a retry after
 * a dropped answer): with no tags to match, the tag-scoped policy denies it, and the gateway
 * counts that AccessDenied as done once a read confirms the resource is gone.
 */
function isDeleteOfMissing(made: AwsCall): boolean {
  return (
    /^sagemaker:Delete(Model|EndpointConfig|Endpoint)$/.test(made.action) &&
    (made.resources ?? []).length > 0 &&
    (made.resources ?? []).every((resource) => resource.tags === undefined)
  );
}

/** Checks one policy against the calls its caller made and against its probes. */
export function checkPolicy(
  policy: PolicyUnderCheck,
  calls: readonly AwsCall[],
  probes: readonly Probe[],
): CheckResult {
  const problems = [...policy.problems];
  const usage = new Usage();
  const rows = new Map<string, number>();
  for (const made of calls) {
    for (const auth of authorizationsOf(made)) {
      const decision = safeDecide(policy, auth, problems);
      usage.note(policy, auth, decision.allowedBy);
      const by = decision.allowedBy.map((i) => sidOf(policy, i)).join(", ");
      const handled = !decision.allowed && isDeleteOfMissing(made);
      const result = decision.allowed ? "allowed" : handled ? "denied*" : "DENIED";
      const row = `${result}\t${labelOf(auth)}\t${by}`;
      rows.set(row, (rows.get(row) ?? 0) + 1);
      if (!decision.allowed && !handled)
        problems.push(`a recorded call is denied: ${labelOf(auth)}`);
    }
  }
  const unneeded = usage.unneeded(policy);
  problems.push(...unneeded);
  const probeLines = probes.map((probe) => {
    const decisions = probe.authorizations.map((auth) => safeDecide(policy, auth, problems));
    const outcome = decisions.every((d) => d.allowed) ? "allowed" : "denied";
    if (outcome !== probe.expected) {
      problems.push(
        `${probe.description}: expected ${probe.expected}, but the policy says ${outcome}`,
      );
    }
    const mark = outcome === probe.expected ? outcome : outcome.toUpperCase();
    return `  ${mark.padEnd(8)} ${probe.description}`;
  });
  const lines = [
    "  recorded calls (result, authorizations, what the conditions saw, [statements that allowed it]; denied*: a delete of what was already gone, which the gateway counts as done)",
    ...table(rows),
    "  statements",
    ...policy.statements.map((statement, index) => {
      const sid = sidOf(policy, index);
      const flagged = unneeded.some((problem) => problem.startsWith(`${sid} `));
      const conditions = Object.keys(statement.Condition ?? {}).join(", ");
      return `  ${(flagged ? "UNNEEDED" : "needed").padEnd(8)} ${sid}${conditions ? ` (${conditions})` : ""}`;
    }),
    "  probes (forged calls must be denied)",
    ...probeLines,
  ];
  return { lines, problems: [...new Set(problems)] };
}

/** Runs the check over the records of this run; returns the problems found. */
export function checkRecordedCalls(
  records: readonly AwsCallRecord[],
  log: (line: string) => void,
): string[] {
  const problems: string[] = [];
  for (const policy of [loadActionPolicy(), loadCompanionPolicy()]) {
    const mine = records.filter((record) => record.caller === policy.caller);
    const unreadable = mine.filter((record) => !Array.isArray(record.calls));
    for (const record of unreadable) {
      problems.push(`${record.suite}: its record predates call details; run the suites again`);
    }
    const calls = mine.flatMap((record) => (Array.isArray(record.calls) ? record.calls : []));
    log(
      `\n${policy.caller} (${policy.file}), ${calls.length} distinct calls from ${mine.map((r) => r.suite).join(", ") || "no suite"}:`,
    );
    if (mine.length === 0)
      problems.push(`${policy.caller}: no suite recorded its calls; run npm test first`);
    const result = checkPolicy(policy, calls, PROBES[policy.caller]);
    for (const line of result.lines) log(line);
    problems.push(...result.problems.map((problem) => `${policy.caller}: ${problem}`));
  }
  return problems;
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const problems = checkRecordedCalls(readAwsCallRecords(), (line) => console.log(line));
  if (problems.length > 0) {
    console.error(`\nIAM check failed:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    process.exit(1);
  }
  console.log(
    "\nIAM check: every recorded call is allowed, every statement is needed, every forged call is denied.",
  );
}
