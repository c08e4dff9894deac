/**
 * A small evaluator of IAM identity policies, for the IAM check: Allow and Deny statements with
 * Action, Resource and Condition, evaluated as AWS does (an explicit Deny wins; otherwise any
 * matching Allow allows). It knows only the condition operators and keys the shipped policies
 * use; anything else is an error, so a policy it cannot read never passes the check.
 * Operators and their semantics: IAM User Guide, "IAM JSON policy elements: Condition operators"
 * and "Single-valued vs. multivalued context keys".
 */

/** A condition value as a policy writes it (YAML may give a bare boolean). */
type ConditionValue = string | boolean | number;

/** `{ operator: { key: value or values } }`. */
export type ConditionBlock = Readonly<
  Record<string, Readonly<Record<string, ConditionValue | readonly ConditionValue[]>>>
>;

/** One statement, with its Resource already resolved to ARN patterns. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

/** A request context value: single-valued keys hold a string, multivalued keys an array. */
export type ContextValue = string | readonly string[];

/** One authorization IAM makes: an action on one resource, with the request's condition keys. */
export interface Authorization {
  readonly action: string;
  /** The resource's ARN; undefined when the caller could not tell, which any Resource matches. */
  readonly resource?: string;
  readonly context: Readonly<Record<string, ContextValue>>;
}

/** The outcome of one authorization, and which statements decided it (by index). */
export interface Decision {
  readonly allowed: boolean;
  readonly allowedBy: readonly number[];
  readonly deniedBy: readonly number[];
}

/** A policy this evaluator cannot read faithfully: an unknown operator, key or element. */
export class PolicyError extends Error {
  override name = "PolicyError";
}

/** Condition keys the evaluator knows, and whether each holds several values. */
const KNOWN_KEYS: readonly { readonly pattern: RegExp; readonly multivalued: boolean }[] = [
  { pattern: /^aws:requesttag\/.+$/, multivalued: false },
  { pattern: /^aws:resourcetag\/.+$/, multivalued: false },
  { pattern: /^aws:tagkeys$/, multivalued: true },
  { pattern: /^sagemaker:taggingaction$/, multivalued: false },
  { pattern: /^iam:passedtoservice$/, multivalued: false },
  { pattern: /^iam:awsservicename$/, multivalued: false },
];

/** String operators, by whether they are negated (true when the key is absent). */
const STRING_OPERATORS: Readonly<Record<string, { negated: boolean; like: boolean }>> = {
  StringEquals: { negated: false, like: false },
  StringNotEquals: { negated: true, like: false },
  StringLike: { negated: false, like: true },
  StringNotLike: { negated: true, like: true },
};

const STATEMENT_ELEMENTS = new Set(["Sid", "Effect", "Action", "Resource", "Condition"]);

function listOf<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** `*` and `?` wildcards, as in Action, Resource and StringLike. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split("")
    .map((char) =>
      char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

function knownKey(key: string): { readonly multivalued: boolean } {
  const found = KNOWN_KEYS.find((known) => known.pattern.test(key.toLowerCase()));
  if (found === undefined) throw new PolicyError(`condition key ${key} is not one the check knows`);
  return found;
}

/** The context value of a key; key names are not case-sensitive in IAM. */
function contextValue(
  context: Readonly<Record<string, ContextValue>>,
  key: string,
): readonly string[] | undefined {
  const wanted = key.toLowerCase();
  const entry = Object.entries(context).find(([name]) => name.toLowerCase() === wanted);
  if (entry === undefined) return undefined;
  const values = listOf(entry[1]);
  return values.length === 0 ? undefined : values;
}

function policyValues(key: string, value: ConditionValue | readonly ConditionValue[]): string[] {
  return listOf(value).map((item) => {
    const text = String(item);
    if (/\$\{/.test(text)) throw new PolicyError(`${key}: policy variables are not supported`);
    return text;
  });
}

function stringMatch(
  operator: { like: boolean },
  actual: string,
  expected: readonly string[],
): boolean {
  return expected.some((value) => (operator.like ? globMatches(value, actual) : value === actual));
}

/** One operator on one key; throws PolicyError for what the evaluator does not know. */
function evaluateKey(
  operator: string,
  key: string,
  expected: readonly string[],
  context: Readonly<Record<string, ContextValue>>,
): boolean {
  const { multivalued } = knownKey(key);
  const actual = contextValue(context, key);
  if (operator === "Null") {
    if (expected.length !== 1 || !["true", "false"].includes(expected[0] ?? "")) {
      throw new PolicyError(`Null on ${key} takes "true" or "false"`);
    }
    return (actual === undefined) === (expected[0] === "true");
  }
  const [qualifier, base] = operator.includes(":") ? operator.split(":", 2) : [undefined, operator];
  if (base === "Bool" && qualifier === undefined && !multivalued) {
    return (
      actual !== undefined && expected.some((v) => v.toLowerCase() === actual[0]?.toLowerCase())
    );
  }
  const string = STRING_OPERATORS[base ?? ""];
  if (string === undefined)
    throw new PolicyError(`condition operator ${operator} is not supported`);
  const matches = (value: string) => string.negated !== stringMatch(string, value, expected);
  if (qualifier === "ForAllValues") return (actual ?? []).every(matches);
  if (qualifier === "ForAnyValue") return (actual ?? []).some(matches);
  if (qualifier !== undefined)
    throw new PolicyError(`condition operator ${operator} is not supported`);
  if (multivalued) {
    throw new PolicyError(
      `${key} holds several values: use ForAllValues:${base} or ForAnyValue:${base}`,
    );
  }
  return actual === undefined ? string.negated : matches(actual[0] ?? "");
}

/** True when every operator and key of the block holds (no block: true). */
export function conditionHolds(
  condition: ConditionBlock | undefined,
  context: Readonly<Record<string, ContextValue>>,
): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) =>
      evaluateKey(operator, key, policyValues(key, value), context),
    ),
  );
}

/** Problems that make a statement unreadable to the evaluator (unknown elements, keys, operators). */
export function statementProblems(statement: Statement): string[] {
  const problems = Object.keys(statement)
    .filter((element) => !STATEMENT_ELEMENTS.has(element))
    .map((element) => `${element} is not supported`);
  if (!["Allow", "Deny"].includes(statement.Effect)) problems.push(`Effect ${statement.Effect}`);
  if (statement.Action === undefined)
    problems.push("Action is missing (NotAction is not supported)");
  if (statement.Resource === undefined) {
    problems.push("Resource is missing (NotResource is not supported)");
  }
  try {
    // Evaluating against an empty context visits every operator and key.
    conditionHolds(statement.Condition, {});
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    problems.push(error.message);
  }
  return problems;
}

/** True when the statement's Action, Resource and Condition all cover the authorization. */
export function statementMatches(statement: Statement, authorization: Authorization): boolean {
  // An unreadable statement (statementProblems names it) matches nothing.
  if (statement.Action === undefined || statement.Resource === undefined) return false;
  const action = listOf(statement.Action).some((pattern) =>
    globMatches(pattern, authorization.action, true),
  );
  const { resource } = authorization;
  const covered =
    resource === undefined ||
    listOf(statement.Resource).some((pattern) => globMatches(pattern, resource));
  return action && covered && conditionHolds(statement.Condition, authorization.context);
}

/** Evaluates one authorization against a policy's statements. */
export function decide(statements: readonly Statement[], authorization: Authorization): Decision {
  const matching = statements.flatMap((statement, index) =>
    statementMatches(statement, authorization) ? [index] : [],
  );
  const deniedBy = matching.filter((index) => statements[index]?.Effect === "Deny");
  const allowedBy = matching.filter((index) => statements[index]?.Effect === "Allow");
  return { allowed: deniedBy.length === 0 && allowedBy.length > 0, allowedBy, deniedBy };
}
