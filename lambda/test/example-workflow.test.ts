import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DISPATCH_INPUT_NAMES } from "../src/dispatch-inputs.js";

interface Step {
  readonly name?: string;
  readonly if?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}

const workflow = parse(
  readFileSync(new URL("../../examples/sagemaker-deploy-status.yml", import.meta.url), "utf8"),
) as {
  on: { workflow_dispatch: { inputs: Record<string, { type: string; required?: boolean }> } };
  jobs: Record<string, { steps: Step[] }>;
};
const inputs = workflow.on.workflow_dispatch.inputs;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

describe("examples/sagemaker-deploy-status.yml", () => {
  it("declares exactly the six string inputs the Lambda sends (at most 10, for GHES)", () => {
    expect(Object.keys(inputs).sort()).toEqual([...DISPATCH_INPUT_NAMES].sort());
    expect(Object.values(inputs).every((input) => input.type === "string")).toBe(true);
  });

  it("fails its run when the endpoint is not InService", () => {
    const gate = steps.find((step) => step.if?.includes("inputs.endpoint-status != 'InService'"));
    expect(gate?.run).toMatch(/exit 1/);
  });

  it("reads the inputs through env, never by expanding them inside a script", () => {
    for (const step of steps) expect(step.run ?? "").not.toMatch(/\$\{\{/);
    const reader = steps.find((step) => step.env?.ENDPOINT_ARN);
    expect(reader?.env?.ENDPOINT_ARN).toMatch(/^\$\{\{ inputs\.endpoint-arn \}\}$/);
  });
});
