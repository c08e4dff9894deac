/**
 * Bad inputs, in process: each is refused before any AWS call, naming the input, and the run
 * still writes failure-reason and a job summary saying why.
 */
import { describe, expect, it } from "vitest";
import { demoDeploy, useActionHarness } from "./support/action-harness.js";

const harness = useActionHarness("run-inputs");

const BAD_INPUTS: [string, Record<string, string>][] = [
  ["endpoint-name", { "endpoint-name": "fraud_scorer" }],
  ["endpoint-name", { "endpoint-name": "-fraud" }],
  ["endpoint-name", { "endpoint-name": "a".repeat(64) }],
  ["endpoint-name", { "endpoint-name": "" }],
  ["image", { image: "" }],
  ["image", { image: "repo/img:tag with space" }],
  ["execution-role-arn", { "execution-role-arn": "SageMakerExecution" }],
  ["execution-role-arn", { "execution-role-arn": "arn:aws:iam::12345:role/x" }],
  ["model-data-url", { "model-data-url": "ftp://bucket/model.tar.gz" }],
  ["model-name", { "model-name": "model.v2" }],
  ["endpoint-config-name", { "endpoint-config-name": "config/1" }],
  ["variant-name", { "variant-name": "all traffic" }],
  ["initial-instance-count", { "initial-instance-count": "0" }],
  ["initial-instance-count", { "initial-instance-count": "two" }],
  ["instance-type", { "instance-type": "m5.large" }],
  ["instance-type", { "instance-type": "" }],
  ["region", { region: "mars-1" }],
  ["wait-timeout", { "wait-timeout": "soon" }],
  ["poll-interval", { "poll-interval": "10m" }],
  ["poll-interval", { "poll-interval": "0s" }],
  ["wait", { wait: "yes" }],
  ["cleanup-on-failure", { "cleanup-on-failure": "maybe" }],
  ["environment", { environment: "NOT A PAIR" }],
  ["tags", { tags: "aws:owner=me" }],
  [
    "serverless-memory-size",
    { "instance-type": "", "serverless-memory-size": "1500", "serverless-max-concurrency": "5" },
  ],
  [
    "serverless-max-concurrency",
    { "instance-type": "", "serverless-memory-size": "2048", "serverless-max-concurrency": "500" },
  ],
  ["deployment-config", { "deployment-config": "{not json" }],
  [
    "deployment-config",
    {
      "deployment-config":
        '{"BlueGreenUpdatePolicy":{"TrafficRoutingConfiguration":{"Type":"SOMETIMES"}}}',
    },
  ],
  ["handoff-workflow", { "handoff-function": "sagemaker-deploy-companion" }],
  ["handoff-function", { "handoff-function": "bad function!", "handoff-workflow": "status.yml" }],
];

describe("bad inputs", () => {
  it.each(BAD_INPUTS)(
    "refuses a bad %s before any AWS call, still writing failure-reason and the summary",
    async (input, overrides) => {
      // act
      const run = await harness().run(demoDeploy(overrides));
      // assess
      expect(run.failure).toMatch(new RegExp(`${input}:`));
      expect(run.failCalls).toBe(1);
      expect(run.outputs["failure-reason"]).toMatch(new RegExp(`${input}:`));
      expect(run.summary).toMatch(/\*\*Result:\*\* ❌ Failed/);
      expect(run.summary).toContain(input);
      expect(harness().emulator.requests).toEqual([]);
    },
  );

  it("reports every bad input at once", async () => {
    // act
    const run = await harness().run(
      demoDeploy({
        "endpoint-name": "bad_name",
        "instance-type": "large",
        "wait-timeout": "forever",
      }),
    );
    // assess
    expect(run.failure).toMatch(/3 invalid inputs; nothing was created/);
    for (const input of ["endpoint-name:", "instance-type:", "wait-timeout:"]) {
      expect(run.failure).toContain(input);
      expect(run.outputs["failure-reason"]).toContain(input);
    }
    expect(harness().emulator.requests).toEqual([]);
  });
});
