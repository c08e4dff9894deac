import { quote } from "../validators.js";
import { closest } from "./closest.js";
import { PATTERNS, SHAPES, type ShapeName } from "./generated/sagemaker-shapes.js";

export type { ShapeName };

/** One entry of the generated table (keys explained in scripts/generate-shapes.ts). */
type Shape =
  | ({
      readonly t: "S";
      readonly m: Readonly<Record<string, ShapeName>>;
      readonly r?: Names;
    } & Source)
  | ({ readonly t: "L"; readonly m: ShapeName } & Bounds)
  | ({ readonly t: "M"; readonly k: ShapeName; readonly v: ShapeName } & Bounds)
  | ({ readonly t: "s"; readonly p?: number; readonly e?: EnumValues } & Bounds)
  | ({ readonly t: "i" | "l" | "f" } & Bounds)
  | ({ readonly t: "b" | "t" } & Source);

type Names = readonly string[];
/** `a: 1` marks Application Auto Scaling's constraints; the rest are SageMaker's. */
type Source = { readonly a?: 1 };
type Bounds = { readonly n?: number; readonly x?: number } & Source;
/** A model's enum list, or the SDK's enum object (see the generated file's header). */
type EnumValues = Names | Readonly<Record<string, string>>;

// Typed here, not in the generated file, so a generator change that breaks the table's form or
// points at a shape that is not in it fails the typecheck.
const TABLE: Readonly<Record<ShapeName, Shape>> = SHAPES;

/** How a few enums are named in messages; the rest are named by their shape. */
const ENUM_LABELS: Partial<Record<ShapeName, string>> = {
  ProductionVariantInstanceType: "a SageMaker instance type",
  ProductionVariantAcceleratorType: "a SageMaker accelerator type",
  SpecVariantMetric: "a SageMaker variant metric",
};

/** A spec or API value nested deeper than this is refused rather than risking the stack. */
const MAX_DEPTH = 40;
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Values longer than this are shortened in messages. */
const QUOTE_LENGTH = 100;

/**
 * Every way `value` breaks the constraints of `shape` in AWS's API model, each starting with the
 * value's path (`spec.model.PrimaryContainer.Image: …`). Never throws.
 */
export function checkShape(value: unknown, shape: ShapeName, path: string): string[] {
  const problems: string[] = [];
  try {
    visit(value, shape, path, problems, 0);
  } catch (error) {
    // Only a value built in code (a throwing getter or Proxy) gets here, never parsed YAML/JSON.
    const reason = error instanceof Error ? error.message : "it threw a non-Error";
    problems.push(`${path}: could not be read (${reason})`);
  }
  return problems;
}

/**
 * Checks one action input against a shape, with the input's name as the path, e.g.
 * `checkInput("instance-type", value, "ProductionVariantInstanceType")`; numbers and booleans are
 * read from the input's text first.
 */
export function checkInput(input: string, value: string, shape: ShapeName): string[] {
  const kind = Object.hasOwn(TABLE, shape) ? TABLE[shape].t : undefined;
  let parsed: unknown = value;
  if ((kind === "i" || kind === "l" || kind === "f") && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value))
    parsed = Number(value);
  else if (kind === "b" && (value === "true" || value === "false")) parsed = value === "true";
  return checkShape(parsed, shape, input);
}

/** Checks a whole spec file: its shape, then what spans members (min ≤ max, unique policy names). */
export function checkSpec(value: unknown, path = "spec"): string[] {
  const problems = checkShape(value, "Spec", path);
  const autoscaling = isRecord(value) ? ownValue(value, "autoscaling") : undefined;
  if (!isRecord(autoscaling)) return problems;
  for (const [variant, scaling] of Object.entries(autoscaling)) {
    if (!isRecord(scaling)) continue;
    const at = memberPath(memberPath(path, "autoscaling"), variant);
    const { min, max, policies } = scaling;
    if (typeof min === "number" && typeof max === "number" && max < min)
      problems.push(`${at}.max: ${max} is below min (${min})`);
    const names = new Set<unknown>();
    (Array.isArray(policies) ? policies : []).forEach((policy, index) => {
      const name = isRecord(policy) ? ownValue(policy, "name") : undefined;
      if (typeof name !== "string") return;
      if (names.has(name))
        problems.push(`${at}.policies[${index}].name: ${quote(name)} names an earlier policy too`);
      names.add(name);
    });
  }
  return problems;
}

function visit(value: unknown, name: ShapeName, path: string, out: string[], depth: number) {
  if (!Object.hasOwn(TABLE, name)) {
    out.push(`${path}: no shape named ${quote(String(name))} to check against`);
    return;
  }
  if (depth > MAX_DEPTH) {
    out.push(`${path}: nested more than ${MAX_DEPTH} levels deep`);
    return;
  }
  const shape = TABLE[name];
  switch (shape.t) {
    case "S":
      return visitStructure(value, shape, path, out, depth);
    case "L":
      return visitList(value, shape, path, out, depth);
    case "M":
      return visitMap(value, shape, path, out, depth);
    case "s":
      return visitString(value, name, shape, path, out);
    case "i":
    case "l":
    case "f":
      return visitNumber(value, shape, path, out);
    case "b":
      if (typeof value !== "boolean") out.push(wrongType(path, "true or false", value));
      return;
    case "t":
      if (!isTimestamp(value))
        out.push(wrongType(path, "a timestamp (ISO 8601 text or epoch seconds)", value));
      return;
  }
}

type Of<T extends Shape["t"]> = Extract<Shape, { t: T }>;

function visitStructure(
  value: unknown,
  shape: Of<"S">,
  path: string,
  out: string[],
  depth: number,
) {
  if (!isRecord(value)) {
    out.push(wrongType(path, "an object", value));
    return;
  }
  const members = Object.keys(shape.m);
  for (const member of Object.keys(value)) {
    const at = memberPath(path, member);
    const target = Object.hasOwn(shape.m, member) ? shape.m[member] : undefined;
    if (target === undefined) out.push(`${at}: unknown member${didYouMean(member, members)}`);
    else if (value[member] !== undefined) visit(value[member], target, at, out, depth + 1);
  }
  for (const member of shape.r ?? []) {
    if (ownValue(value, member) === undefined)
      out.push(`${memberPath(path, member)}: required member is missing`);
  }
}

function visitList(value: unknown, shape: Of<"L">, path: string, out: string[], depth: number) {
  if (!Array.isArray(value)) {
    out.push(wrongType(path, "a list", value));
    return;
  }
  const count = checkCount(value.length, shape, "item");
  if (count) out.push(`${path}: ${count}`);
  for (let index = 0; index < value.length; index++) {
    visit(value[index], shape.m, `${path}[${index}]`, out, depth + 1);
  }
}

function visitMap(value: unknown, shape: Of<"M">, path: string, out: string[], depth: number) {
  if (!isRecord(value)) {
    out.push(wrongType(path, "an object", value));
    return;
  }
  const keys = Object.keys(value);
  const count = checkCount(keys.length, shape, "entry", "entries");
  if (count) out.push(`${path}: ${count}`);
  for (const key of keys) {
    const at = memberPath(path, key);
    visit(key, shape.k, `${at} (key)`, out, depth + 1);
    visit(value[key], shape.v, at, out, depth + 1);
  }
}

function visitString(value: unknown, name: ShapeName, shape: Of<"s">, path: string, out: string[]) {
  if (typeof value !== "string") {
    out.push(wrongType(path, "a string", value));
    return;
  }
  if (shape.e !== undefined) {
    const values: Names = Array.isArray(shape.e) ? shape.e : Object.values(shape.e);
    if (!values.includes(value)) out.push(`${path}: ${notInEnum(value, name, values)}`);
    return;
  }
  // AWS counts characters, not UTF-16 units, so an emoji is one.
  const length = [...value].length;
  if (shape.n !== undefined && length < shape.n)
    out.push(`${path}: ${shown(value)} is ${length} characters long; at least ${shape.n} needed`);
  if (shape.x !== undefined && length > shape.x)
    out.push(`${path}: ${shown(value)} is ${length} characters long; at most ${shape.x} allowed`);
  const pattern = shape.p === undefined ? undefined : compiledPattern(shape.p);
  if (pattern && !pattern.test(value)) {
    const source = PATTERNS[shape.p ?? 0];
    out.push(`${path}: ${shown(value)} does not match ${owner(shape)}'s pattern ${source}`);
  }
}

function visitNumber(value: unknown, shape: Of<"i" | "l" | "f">, path: string, out: string[]) {
  const integer = shape.t !== "f";
  if (typeof value !== "number" || !Number.isFinite(value)) {
    out.push(wrongType(path, integer ? "an integer" : "a number", value));
    return;
  }
  if (integer && !Number.isInteger(value)) {
    out.push(wrongType(path, "an integer", value));
    return;
  }
  const min = shape.n ?? (shape.t === "i" ? INT32.min : undefined);
  const max = shape.x ?? (shape.t === "i" ? INT32.max : undefined);
  if (min !== undefined && value < min) out.push(`${path}: ${value} is below the minimum ${min}`);
  if (max !== undefined && value > max) out.push(`${path}: ${value} is above the maximum ${max}`);
  if (shape.t === "l" && !Number.isSafeInteger(value))
    out.push(`${path}: ${value} is too large to send exactly`);
}

function notInEnum(value: string, name: ShapeName, values: Names): string {
  const label = ENUM_LABELS[name] ?? `one of the ${name} values`;
  const suggestion = didYouMean(value, values);
  if (suggestion || values.length > 8) return `${shown(value)} is not ${label}${suggestion}`;
  return `${shown(value)} is not ${label} (${values.join(", ")})`;
}

function didYouMean(word: string, candidates: Names): string {
  const match = closest(word, candidates);
  return match === undefined ? "" : `; did you mean ${JSON.stringify(match)}?`;
}

function checkCount(count: number, bounds: Bounds, noun: string, plural = `${noun}s`) {
  const words = (n: number) => `${n} ${n === 1 ? noun : plural}`;
  if (bounds.n !== undefined && count < bounds.n)
    return `has ${words(count)}; at least ${bounds.n} needed`;
  if (bounds.x !== undefined && count > bounds.x)
    return `has ${words(count)}; at most ${bounds.x} allowed`;
  return undefined;
}

const compiled = new Map<number, RegExp | undefined>();

/** The pattern matched whole, as SageMaker (Java) matches it; undefined if it will not compile. */
function compiledPattern(index: number): RegExp | undefined {
  if (!compiled.has(index)) {
    const source = PATTERNS[index];
    let pattern: RegExp | undefined;
    try {
      // The generator only keeps patterns that compile; this guards a hand-edited table.
      pattern = source === undefined ? undefined : new RegExp(`^(?:${source})$`, "u");
    } catch {
      pattern = undefined;
    }
    compiled.set(index, pattern);
  }
  return compiled.get(index);
}

function owner(shape: Source): string {
  return shape.a === 1 ? "Application Auto Scaling" : "SageMaker";
}

function wrongType(path: string, expected: string, value: unknown): string {
  return `${path}: expected ${expected}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${shown(value)}`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function shown(value: string): string {
  return quote(value, QUOTE_LENGTH);
}

function memberPath(path: string, member: string): string {
  if (path === "") return member;
  return /^[\w-]+$/.test(member) ? `${path}.${member}` : `${path}[${quote(member)}]`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `record[key]` only if it is the record's own: `constructor` must not find Object's. */
function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isTimestamp(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}
