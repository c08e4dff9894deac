import { describe, expect, it } from "vitest";
import { TAG_KEYS } from "../../src/shared/tags.js";
import type { AwsCall } from "./aws-calls.js";
import {
  authorizationsOf,
  checkPolicy,
  loadActionPolicy,
  loadCompanionPolicy,
  type PolicyUnderCheck,
  PROBES,
} from "./check-iam.js";
import {
  type ConditionBlock,
  type ContextValue,
  conditionHolds,
  decide,
  PolicyError,
  type Statement,
  statementProblems,
} from "./iam-policy.js";

const DEPLOY_ID = `aws:RequestTag/${TAG_KEYS.deployId}`;
const RESOURCE_DEPLOY_ID = `aws:ResourceTag/${TAG_KEYS.deployId}`;
const ENDPOINT = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer";
const CONFIG = "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/fraud-scorer-0123";
const MODEL = "arn:aws:sagemaker:us-east-1:123456789012:model/fraud-scorer-0123";
const ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";
const OURS = { [TAG_KEYS.deployId]: "0f8fad5b-d9cb-469f-a165-70867728950e" };

describe("conditionHolds", () => {
  const tagKeys = (...keys: string[]) => ({ "aws:TagKeys": keys });
  it.each<[string, ConditionBlock, Record<string, ContextValue>, boolean]>([
    [
      "StringEquals, value equal",
      { StringEquals: { [DEPLOY_ID]: "a" } },
      { [DEPLOY_ID]: "a" },
      true,
    ],
    [
      "StringEquals, one of several",
      { StringEquals: { [DEPLOY_ID]: ["b", "a"] } },
      { [DEPLOY_ID]: "a" },
      true,
    ],
    [
      "StringEquals, other value",
      { StringEquals: { [DEPLOY_ID]: "a" } },
      { [DEPLOY_ID]: "b" },
      false,
    ],
    ["StringEquals, key absent", { StringEquals: { [DEPLOY_ID]: "a" } }, {}, false],
    [
      "StringEquals is case-sensitive in values",
      { StringEquals: { [DEPLOY_ID]: "A" } },
      { [DEPLOY_ID]: "a" },
      false,
    ],
    [
      "key names are not case-sensitive",
      { StringEquals: { "AWS:requesttag/Team": "a" } },
      { "aws:RequestTag/team": "a" },
      true,
    ],
    [
      "StringNotEquals, other value",
      { StringNotEquals: { [DEPLOY_ID]: "a" } },
      { [DEPLOY_ID]: "b" },
      true,
    ],
    ["StringNotEquals, key absent", { StringNotEquals: { [DEPLOY_ID]: "a" } }, {}, true],
    [
      "StringNotEquals, value equal",
      { StringNotEquals: { [DEPLOY_ID]: "a" } },
      { [DEPLOY_ID]: "a" },
      false,
    ],
    [
      "StringLike, wildcard",
      { StringLike: { [DEPLOY_ID]: "run-*" } },
      { [DEPLOY_ID]: "run-42" },
      true,
    ],
    [
      "StringLike, single character",
      { StringLike: { [DEPLOY_ID]: "run-?" } },
      { [DEPLOY_ID]: "run-42" },
      false,
    ],
    ["StringLike, key absent", { StringLike: { [DEPLOY_ID]: "*" } }, {}, false],
    ["Null true, key absent", { Null: { [DEPLOY_ID]: "true" } }, {}, true],
    ["Null true, key present", { Null: { [DEPLOY_ID]: "true" } }, { [DEPLOY_ID]: "" }, false],
    [
      "Null false, key present (even empty)",
      { Null: { [DEPLOY_ID]: "false" } },
      { [DEPLOY_ID]: "" },
      true,
    ],
    ["Null false as a YAML boolean", { Null: { [DEPLOY_ID]: false } }, {}, false],
    ["Null false, no tags sent at all", { Null: { "aws:TagKeys": "false" } }, {}, false],
    [
      "Bool",
      { Bool: { "sagemaker:TaggingAction": "true" } },
      { "sagemaker:TaggingAction": "True" },
      true,
    ],
    ["Bool, key absent", { Bool: { "sagemaker:TaggingAction": "true" } }, {}, false],
    [
      "ForAllValues, every key listed",
      { "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } },
      tagKeys("b", "a"),
      true,
    ],
    [
      "ForAllValues, one key not listed",
      { "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } },
      tagKeys("a", "c"),
      false,
    ],
    [
      "ForAllValues, no tags at all (vacuously true)",
      { "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } },
      {},
      true,
    ],
    [
      "ForAllValues:StringLike",
      { "ForAllValues:StringLike": { "aws:TagKeys": "sagemaker-deploy:*" } },
      tagKeys("sagemaker-deploy:reported"),
      true,
    ],
    [
      "ForAllValues:StringNotEquals",
      { "ForAllValues:StringNotEquals": { "aws:TagKeys": "a" } },
      tagKeys("b", "a"),
      false,
    ],
    [
      "ForAnyValue, one key listed",
      { "ForAnyValue:StringEquals": { "aws:TagKeys": "a" } },
      tagKeys("c", "a"),
      true,
    ],
    [
      "ForAnyValue, none listed",
      { "ForAnyValue:StringEquals": { "aws:TagKeys": "a" } },
      tagKeys("c"),
      false,
    ],
    [
      "ForAnyValue, no tags at all",
      { "ForAnyValue:StringEquals": { "aws:TagKeys": "a" } },
      {},
      false,
    ],
    [
      "every operator must hold",
      { StringEquals: { [DEPLOY_ID]: "a" }, Null: { [RESOURCE_DEPLOY_ID]: "false" } },
      { [DEPLOY_ID]: "a" },
      false,
    ],
    [
      "every key must hold",
      { Null: { [DEPLOY_ID]: "false", [RESOURCE_DEPLOY_ID]: "false" } },
      { [DEPLOY_ID]: "a", [RESOURCE_DEPLOY_ID]: "b" },
      true,
    ],
    ["no condition", {}, {}, true],
  ])("%s → %s", (_name, condition, context, expected) => {
    expect(conditionHolds(condition, context)).toBe(expected);
  });

  it.each<[string, ConditionBlock, RegExp]>([
    [
      "an unknown key",
      { StringEquals: { "aws:PrincipalTag/team": "a" } },
      /aws:PrincipalTag\/team is not one the check knows/,
    ],
    [
      "an unknown operator",
      { DateLessThan: { [DEPLOY_ID]: "a" } },
      /DateLessThan is not supported/,
    ],
    [
      "IfExists",
      { StringEqualsIfExists: { [DEPLOY_ID]: "a" } },
      /StringEqualsIfExists is not supported/,
    ],
    [
      "a single-valued operator on aws:TagKeys",
      { StringEquals: { "aws:TagKeys": "a" } },
      /use ForAllValues:StringEquals or ForAnyValue:StringEquals/,
    ],
    [
      "a policy variable",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
      { StringEquals: { [DEPLOY_ID]: "${aws:username}" } },
      /policy variables are not supported/,
    ],
    ["Null with another value", { Null: { [DEPLOY_ID]: "yes" } }, /takes "true" or "false"/],
  ])("refuses %s rather than passing it", (_name, condition, message) => {
    expect(() => conditionHolds(condition, {})).toThrow(PolicyError);
    expect(() => conditionHolds(condition, {})).toThrow(message);
  });
});

describe("decide", () => {
  const allow = (extra: Partial<Statement>): Statement => ({
    Effect: "Allow",
    Action: "sagemaker:DescribeEndpoint",
    Resource: "arn:aws:sagemaker:*:*:endpoint/*",
    ...extra,
  });
  it.each<[string, Statement[], string, string | undefined, boolean]>([
    ["a matching Allow", [allow({})], "sagemaker:DescribeEndpoint", ENDPOINT, true],
    ["no statement", [], "sagemaker:DescribeEndpoint", ENDPOINT, false],
    ["another action", [allow({})], "sagemaker:DeleteEndpoint", ENDPOINT, false],
    [
      "an action wildcard, any case",
      [allow({ Action: "SageMaker:Describe*" })],
      "sagemaker:DescribeEndpoint",
      ENDPOINT,
      true,
    ],
    ["another resource type", [allow({})], "sagemaker:DescribeEndpoint", MODEL, false],
    [
      "an unrecorded resource matches any Resource",
      [allow({})],
      "sagemaker:DescribeEndpoint",
      undefined,
      true,
    ],
    [
      "an explicit Deny wins",
      [allow({}), { ...allow({}), Effect: "Deny" }],
      "sagemaker:DescribeEndpoint",
      ENDPOINT,
      false,
    ],
  ])("%s → allowed: %s", (_name, statements, action, resource, expected) => {
    const auth = { action, ...(resource === undefined ? {} : { resource }), context: {} };
    expect(decide(statements, auth).allowed).toBe(expected);
  });

  it("names a statement it cannot read", () => {
    const problems = statementProblems({
      Effect: "Allow",
      Action: "sagemaker:AddTags",
      Resource: "*",
      NotPrincipal: "x",
    } as Statement);
    expect(problems).toEqual(["NotPrincipal is not supported"]);
  });
});

describe("authorizationsOf", () => {
  it("checks a tagged CreateModel as the create, the tag-on-create AddTags and the PassRole", () => {
    const call: AwsCall = {
      action: "sagemaker:CreateModel",
      resources: [{ arn: MODEL }],
      requestTags: OURS,
      passedRole: ROLE,
    };

    const auths = authorizationsOf(call);

    expect(auths).toEqual([
      {
        action: "sagemaker:CreateModel",
        resource: MODEL,
        context: { [DEPLOY_ID]: OURS[TAG_KEYS.deployId], "aws:TagKeys": [TAG_KEYS.deployId] },
      },
      {
        action: "sagemaker:AddTags",
        resource: MODEL,
        context: {
          [DEPLOY_ID]: OURS[TAG_KEYS.deployId],
          "aws:TagKeys": [TAG_KEYS.deployId],
          "sagemaker:TaggingAction": "CreateModel",
        },
        impliedBy: "sagemaker:CreateModel",
      },
      {
        action: "iam:PassRole",
        resource: ROLE,
        context: { "iam:PassedToService": "sagemaker.amazonaws.com" },
        impliedBy: "sagemaker:CreateModel",
      },
    ]);
  });

  it("checks UpdateEndpoint against the endpoint and the config, each with its own tags", () => {
    const call: AwsCall = {
      action: "sagemaker:UpdateEndpoint",
      resources: [
        { arn: ENDPOINT, tags: { team: "search" } },
        { arn: CONFIG, tags: OURS },
      ],
    };

    expect(authorizationsOf(call).map((a) => [a.resource, a.context])).toEqual([
      [ENDPOINT, { "aws:ResourceTag/team": "search" }],
      [CONFIG, { [RESOURCE_DEPLOY_ID]: OURS[TAG_KEYS.deployId] }],
    ]);
  });

  it("tags on CreateEndpoint are authorized on the endpoint, not on its config", () => {
    const call: AwsCall = {
      action: "sagemaker:CreateEndpoint",
      resources: [{ arn: ENDPOINT }, { arn: CONFIG, tags: OURS }],
      requestTags: OURS,
    };

    const addTags = authorizationsOf(call).filter((a) => a.action === "sagemaker:AddTags");

    expect(addTags.map((a) => a.resource)).toEqual([ENDPOINT]);
  });

  it("a call recorded by name only is checked against any resource", () => {
    expect(authorizationsOf({ action: "secretsmanager:GetSecretValue" })).toEqual([
      { action: "secretsmanager:GetSecretValue", context: {} },
    ]);
  });
});

describe("checkPolicy", () => {
  const policy = (statements: Statement[]): PolicyUnderCheck => ({
    caller: "action",
    file: "test-policy.json",
    statements,
    problems: [],
  });
  const describeEndpoint: AwsCall = {
    action: "sagemaker:DescribeEndpoint",
    resources: [{ arn: ENDPOINT }],
  };
  const read: Statement = {
    Sid: "Read",
    Effect: "Allow",
    Action: "sagemaker:DescribeEndpoint",
    Resource: "arn:aws:sagemaker:*:*:endpoint/*",
  };

  it("passes a policy that allows exactly the calls made", () => {
    expect(checkPolicy(policy([read]), [describeEndpoint], []).problems).toEqual([]);
  });

  it("fails a recorded call the policy denies", () => {
    const result = checkPolicy(
      policy([read]),
      [{ action: "sagemaker:DeleteEndpoint", resources: [{ arn: ENDPOINT, tags: {} }] }],
      [],
    );

    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^a recorded call is denied: sagemaker:DeleteEndpoint on endpoint\/\*/,
        ),
      ]),
    );
  });

  it("accepts the denial of a delete of what was already gone, which the gateway counts as done", () => {
    const result = checkPolicy(
      policy([read]),
      [{ action: "sagemaker:DeleteEndpoint", resources: [{ arn: ENDPOINT }] }],
      [],
    );

    expect(result.problems.filter((p) => p.startsWith("a recorded call is denied"))).toEqual([]);
    expect(result.lines.join("\n")).toMatch(/denied\*\s+\d+\s+sagemaker:DeleteEndpoint/);
  });

  it("fails a grant no call needed: an action, a resource, a statement another one covers", () => {
    const wider: Statement = {
      ...read,
      Sid: "Wider",
      Action: ["sagemaker:DescribeEndpoint", "sagemaker:DeleteModel"],
    };
    const extraResource: Statement = {
      ...read,
      Resource: [...[read.Resource].flat(), "arn:aws:sagemaker:*:*:model/*"],
    };

    expect(checkPolicy(policy([read, wider]), [describeEndpoint], []).problems).toEqual([
      "Read grants sagemaker:DescribeEndpoint, and no recorded call needs this statement for it",
      "Wider grants sagemaker:DescribeEndpoint, and no recorded call needs this statement for it",
      "Wider grants sagemaker:DeleteModel, and no recorded call needs this statement for it",
    ]);
    expect(checkPolicy(policy([extraResource]), [describeEndpoint], []).problems).toEqual([
      "Read names arn:aws:sagemaker:*:*:model/*, which no recorded call it allowed touched",
    ]);
  });

  it("fails a forged call the policy allows, and an unknown condition key", () => {
    const loose: Statement = {
      ...read,
      Condition: { StringEquals: { "ec2:Region": "us-east-1" } },
    };
    const forged = {
      description: "DescribeEndpoint by a stranger",
      expected: "denied" as const,
      authorizations: authorizationsOf(describeEndpoint),
    };

    expect(checkPolicy(policy([read]), [describeEndpoint], [forged]).problems).toEqual([
      "DescribeEndpoint by a stranger: expected denied, but the policy says allowed",
    ]);
    expect(checkPolicy(policy([loose]), [describeEndpoint], []).problems).toContain(
      "test-policy.json: condition key ec2:Region is not one the check knows",
    );
  });
});

describe("the shipped action policy", () => {
  const action = loadActionPolicy();
  const allowed = (call: AwsCall) =>
    authorizationsOf(call).every((auth) => decide(action.statements, auth).allowed);

  it("is readable by the check", () => {
    expect(action.problems).toEqual([]);
  });

  it.each(PROBES.action)("$description: $expected", ({ authorizations, expected }) => {
    const outcome = authorizations.every((auth) => decide(action.statements, auth).allowed);
    expect(outcome ? "allowed" : "denied").toBe(expected);
  });

  it.each<[string, AwsCall]>([
    [
      "CreateModel tagged with deploy-id",
      {
        action: "sagemaker:CreateModel",
        resources: [{ arn: MODEL }],
        requestTags: OURS,
        passedRole: ROLE,
      },
    ],
    [
      "CreateEndpoint tagged with deploy-id",
      {
        action: "sagemaker:CreateEndpoint",
        resources: [{ arn: ENDPOINT }, { arn: CONFIG, tags: OURS }],
        requestTags: OURS,
      },
    ],
    [
      "DescribeEndpoint of an endpoint that does not exist",
      { action: "sagemaker:DescribeEndpoint", resources: [{ arn: ENDPOINT }] },
    ],
    [
      "ListTags of someone else's model",
      { action: "sagemaker:ListTags", resources: [{ arn: MODEL, tags: { team: "search" } }] },
    ],
    [
      "AddTags re-tagging its endpoint after an update",
      {
        action: "sagemaker:AddTags",
        resources: [{ arn: ENDPOINT, tags: OURS }],
        requestTags: { ...OURS, team: "fraud" },
      },
    ],
    [
      "DeleteModel of a model it created",
      { action: "sagemaker:DeleteModel", resources: [{ arn: MODEL, tags: OURS }] },
    ],
  ])("allows %s", (_name, call) => {
    expect(allowed(call)).toBe(true);
  });
});

describe("the companion's role in lambda/template.yaml", () => {
  const companion = loadCompanionPolicy();

  it("is readable by the check", () => {
    expect(companion.problems).toEqual([]);
  });

  it.each(PROBES.lambda)("$description: $expected", ({ authorizations, expected }) => {
    const outcome = authorizations.every((auth) => decide(companion.statements, auth).allowed);
    expect(outcome ? "allowed" : "denied").toBe(expected);
  });
});
