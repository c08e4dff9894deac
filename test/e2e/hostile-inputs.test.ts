/**
 * Hostile values on dist/index.js: inputs and AWS answers carrying newlines, control characters,
 * workflow-command sequences and huge strings are refused or printed inertly. A workflow
 * command only acts at the start of a line, so no line the action prints may start with one
 * it did not mean to write.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { demoInputs, nodeRuntimes, runAction, TEST_GITHUB_TOKEN } from "./run-action.js";

const node = nodeRuntimes().at(-1)?.path ?? process.execPath;
const INJECTION = "\n::set-output name=endpoint-status::InService\n::add-mask::x\n::warning::pwned";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

/**
 * Workflow commands a line of output would run, other than the action's own: `::error::`,
 * `::debug::`, and masking the job's GitHub token.
 */
function commandsIn(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter(
      (line) =>
        line.startsWith("::") &&
        !/^::(error|debug)::/.test(line) &&
        line !== `::add-mask::${TEST_GITHUB_TOKEN}`,
    );
}

describe("hostile inputs", () => {
  it.each([
    ["endpoint-name", { "endpoint-name": `fraud${INJECTION}` }],
    ["image", { image: `fraud:1${INJECTION}` }],
    ["model-name", { "model-name": `m${INJECTION}` }],
    ["region", { region: `us-east-1${INJECTION}` }],
    ["image", { image: "x".repeat(100_000) }],
    [
      "handoff-ref",
      {
        "handoff-function": "companion",
        "handoff-workflow": "s.yml",
        "handoff-ref": `main\u0001${INJECTION}`,
      },
    ],
    ["tags", { tags: `team=a\u0007b` }],
  ])(
    "refuses %s with control characters or a huge value, printing no command of its own",
    async (input, overrides) => {
      const run = await runAction({
        inputs: demoInputs(overrides),
        sagemakerUrl: emulator.url,
        node,
      });

      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^::error::.*${input}:`, "m"));
      expect(commandsIn(run.stdout)).toEqual([]);
      expect(run.stdout.split("\n").every((line) => line.length < 2_000)).toBe(true);
      // Only the outputs a refused run writes: no command in a value becomes an output of its own.
      expect(Object.keys(run.outputs).sort()).toEqual(["failure-reason", "handed-off"]);
      expect(run.outputs["failure-reason"]).toContain(`${input}:`);
      expect(run.outputs["failure-reason"]?.length).toBeLessThan(2_000);
      expect(run.summary).toContain("Failed");
      expect(emulator.requests).toEqual([]);
    },
  );

  it("passes command-like environment values to the container without ever printing them", async () => {
    const run = await runAction({
      inputs: demoInputs({
        environment: "BANNER=::warning::pwned\nAPI_TOKEN=test-value-not-a-secret",
      }),
      sagemakerUrl: emulator.url,
      node,
    });

    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toContain("pwned");
    expect(run.stdout).not.toContain("test-value-not-a-secret");
    expect(run.summary).not.toContain("test-value-not-a-secret");
    expect(emulator.state().models[0]?.input).toMatchObject({
      PrimaryContainer: {
        Environment: { BANNER: "::warning::pwned", API_TOKEN: "test-value-not-a-secret" },
      },
    });
  });

  it("prints a FailureReason carrying workflow commands inertly", async () => {
    emulator.setLifecycle("fraud-scorer", {
      create: { status: "Failed", afterMs: 200, failureReason: `Health check failed.${INJECTION}` },
    });

    const run = await runAction({ inputs: demoInputs(), sagemakerUrl: emulator.url, node });

    expect(run.exitCode).toBe(1);
    expect(commandsIn(run.stdout)).toEqual([]);
    expect(run.outputs["endpoint-status"]).toBe("Failed");
    expect(run.summary).not.toMatch(/^::/m);
  });
});
