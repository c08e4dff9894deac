/**
 * The shape of the code, checked on every `npm test`: the shared core (src/shared/) imports no
 * `@actions/*` and nothing outside itself, the Lambda imports nothing of src/ but that core, only
 * the runner's adapters touch `@actions/*`, and only the gateways build AWS commands.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./e2e/run-action.js";

/** The modules allowed to build AWS SDK commands: one gateway per service. */
const GATEWAYS = [
  "src/shared/sagemaker-gateway.ts",
  "src/autoscaling-gateway.ts",
  "src/lambda-invoke.ts",
  "src/ecr-gateway.ts",
  "src/s3-gateway.ts",
  "src/runtime-gateway.ts",
  "lambda/src/continuation.ts",
  "lambda/src/secrets.ts",
  "lambda/src/report-claims.ts",
];

/** The one module of the action that may import `@actions/*`. */
const ADAPTERS = ["src/runner.ts"];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => join(dir, path));
}

/** Every module a file imports: relative ones resolved to repository paths, packages as named. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(([, spec = ""]) =>
    spec.startsWith(".")
      ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, ".ts")
      : spec,
  );
}

describe("architecture", () => {
  it("keeps the shared core free of @actions/* and of anything outside src/shared/", () => {
    const offending = sources("src/shared").flatMap((file) =>
      importsOf(file)
        .filter(
          (spec) =>
            spec.startsWith("@actions/") ||
            (spec.includes("/") && spec.startsWith("src/") && !spec.startsWith("src/shared/")),
        )
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("lets the Lambda import nothing of src/ but the shared core", () => {
    const offending = sources("lambda/src").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("src/") && !spec.startsWith("src/shared/"))
        .map((spec) => `${file} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("touches @actions/* only in the runner's adapters", () => {
    const offending = [...sources("src"), ...sources("lambda/src")]
      .filter((file) => !ADAPTERS.includes(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec.startsWith("@actions/"))
          .map((spec) => `${file} imports ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it("builds AWS commands only in the gateways", () => {
    const offending = [...sources("src"), ...sources("lambda/src")].filter(
      (file) =>
        !GATEWAYS.includes(file) &&
        /new (?:\w+\.)?\w+Command\(/.test(readFileSync(join(ROOT, file), "utf8")),
    );
    expect(offending).toEqual([]);
  });
});
