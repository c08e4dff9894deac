import { describe, expect, it } from "vitest";
import { parseDeploymentConfig } from "../src/deployment-config.js";

const ALARMS = { Alarms: [{ AlarmName: "churn-p99-latency" }, { AlarmName: "churn-5xx" }] };

function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}

describe("parseDeploymentConfig: valid DeploymentConfig", () => {
  it.each([
    {
      name: "blue/green canary with auto-rollback alarms",
      config: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: "CANARY",
            CanarySize: { Type: "CAPACITY_PERCENT", Value: 10 },
            WaitIntervalInSeconds: 300,
          },
          TerminationWaitInSeconds: 120,
          MaximumExecutionTimeoutInSeconds: 1800,
        },
        AutoRollbackConfiguration: ALARMS,
      },
    },
    {
      name: "blue/green linear",
      config: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: "LINEAR",
            LinearStepSize: { Type: "INSTANCE_COUNT", Value: 1 },
            WaitIntervalInSeconds: 60,
          },
        },
      },
    },
    {
      name: "blue/green all at once",
      config: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: "ALL_AT_ONCE", WaitIntervalInSeconds: 0 },
        },
      },
    },
    {
      name: "rolling with a rollback batch size and alarms",
      config: {
        RollingUpdatePolicy: {
          MaximumBatchSize: { Type: "CAPACITY_PERCENT", Value: 25 },
          WaitIntervalInSeconds: 60,
          RollbackMaximumBatchSize: { Type: "INSTANCE_COUNT", Value: 1 },
        },
        AutoRollbackConfiguration: ALARMS,
      },
    },
    { name: "auto-rollback alarms alone", config: { AutoRollbackConfiguration: ALARMS } },
  ])("accepts $name", ({ config }) => {
    // prepare
    const text = JSON.stringify(config, null, 2);

    // act
    const parsed = parseDeploymentConfig(text);

    // assess
    expect(parsed).toEqual({ config, problems: [] });
  });
});

describe("parseDeploymentConfig: mistakes are explained", () => {
  const canary = (routing: Record<string, unknown>) =>
    JSON.stringify({ BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: routing } });
  const rolling = (policy: Record<string, unknown>) =>
    JSON.stringify({ RollingUpdatePolicy: policy });
  const goodRolling = {
    MaximumBatchSize: { Type: "INSTANCE_COUNT", Value: 1 },
    WaitIntervalInSeconds: 30,
  };

  it.each([
    { name: "malformed JSON", text: '{"BlueGreenUpdatePolicy": ', problem: "is not valid JSON" },
    { name: "empty text", text: "", problem: "is not valid JSON" },
    {
      name: "YAML instead of JSON",
      text: "BlueGreenUpdatePolicy:\n  Type: CANARY",
      problem: "is not valid JSON",
    },
    { name: "an array", text: "[]", problem: "must be a JSON object" },
    { name: "null", text: "null", problem: "must be a JSON object" },
    { name: "a string", text: '"CANARY"', problem: "must be a JSON object" },
    { name: "a number", text: "42", problem: "must be a JSON object" },
    {
      name: "an unknown key",
      text: '{"BlueGreenPolicy": {}}',
      problem: 'has unknown key(s) "BlueGreenPolicy"',
    },
    {
      name: "both policies",
      text: JSON.stringify({
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: "ALL_AT_ONCE", WaitIntervalInSeconds: 0 },
        },
        RollingUpdatePolicy: goodRolling,
      }),
      problem: "takes BlueGreenUpdatePolicy or RollingUpdatePolicy, not both",
    },
    {
      name: "an unknown traffic type",
      text: canary({ Type: "GRADUAL", WaitIntervalInSeconds: 60 }),
      problem: "TrafficRoutingConfiguration.Type must be one of ALL_AT_ONCE, CANARY, LINEAR",
    },
    {
      name: "a lower-case traffic type",
      text: canary({ Type: "canary", WaitIntervalInSeconds: 60 }),
      problem: "TrafficRoutingConfiguration.Type must be one of",
    },
    {
      name: "no TrafficRoutingConfiguration",
      text: JSON.stringify({ BlueGreenUpdatePolicy: {} }),
      problem: "TrafficRoutingConfiguration.Type must be one of",
    },
    {
      name: "a blue/green policy that is not an object",
      text: JSON.stringify({ BlueGreenUpdatePolicy: "canary" }),
      problem: "BlueGreenUpdatePolicy must be an object",
    },
    {
      name: "no WaitIntervalInSeconds",
      text: canary({ Type: "ALL_AT_ONCE" }),
      problem: "WaitIntervalInSeconds is required",
    },
    {
      name: "WaitIntervalInSeconds as a string",
      text: canary({ Type: "ALL_AT_ONCE", WaitIntervalInSeconds: "60" }),
      problem: "WaitIntervalInSeconds is required",
    },
    {
      name: "a canary without CanarySize",
      text: canary({ Type: "CANARY", WaitIntervalInSeconds: 60 }),
      problem: "CanarySize must be",
    },
    {
      name: "a canary size of an unknown type",
      text: canary({
        Type: "CANARY",
        CanarySize: { Type: "PERCENT", Value: 10 },
        WaitIntervalInSeconds: 60,
      }),
      problem: "CanarySize must be",
    },
    {
      name: "a linear step size that is a string",
      text: canary({
        Type: "LINEAR",
        LinearStepSize: { Type: "INSTANCE_COUNT", Value: "1" },
        WaitIntervalInSeconds: 60,
      }),
      problem: "LinearStepSize must be",
    },
    {
      name: "a rolling policy that is an array",
      text: JSON.stringify({ RollingUpdatePolicy: [] }),
      problem: "RollingUpdatePolicy must be an object",
    },
    {
      name: "a rolling policy without MaximumBatchSize",
      text: rolling({ WaitIntervalInSeconds: 30 }),
      problem: "RollingUpdatePolicy.MaximumBatchSize must be",
    },
    {
      name: "a rolling policy without WaitIntervalInSeconds",
      text: rolling({ MaximumBatchSize: { Type: "INSTANCE_COUNT", Value: 1 } }),
      problem: "RollingUpdatePolicy.WaitIntervalInSeconds is required",
    },
    {
      name: "a bad RollbackMaximumBatchSize",
      text: rolling({ ...goodRolling, RollbackMaximumBatchSize: 1 }),
      problem: "RollingUpdatePolicy.RollbackMaximumBatchSize must be",
    },
    {
      name: "alarms as an object",
      text: JSON.stringify({ AutoRollbackConfiguration: { Alarms: { AlarmName: "x" } } }),
      problem: "AutoRollbackConfiguration.Alarms must be a list",
    },
    {
      name: "alarms without AlarmName",
      text: JSON.stringify({ AutoRollbackConfiguration: { Alarms: [{ Name: "x" }] } }),
      problem: "AutoRollbackConfiguration.Alarms must be a list",
    },
    {
      name: "alarms as plain strings",
      text: JSON.stringify({ AutoRollbackConfiguration: { Alarms: ["churn-5xx"] } }),
      problem: "AutoRollbackConfiguration.Alarms must be a list",
    },
    {
      name: "an empty auto-rollback configuration",
      text: JSON.stringify({ AutoRollbackConfiguration: {} }),
      problem: "AutoRollbackConfiguration.Alarms must be a list",
    },
    {
      name: "a null auto-rollback configuration",
      text: JSON.stringify({ AutoRollbackConfiguration: null }),
      problem: "AutoRollbackConfiguration.Alarms must be a list",
    },
  ])("rejects $name", ({ text, problem }) => {
    // prepare: the deployment-config input as a user might write it

    // act
    const parsed = parseDeploymentConfig(text);

    // assess
    expect(parsed.config).toBeUndefined();
    expect(parsed.problems).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
  });

  it("reports every mistake at once", () => {
    // prepare
    const text = JSON.stringify({
      BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: "CANARY" } },
      RollingUpdatePolicy: {},
      AutoRollbackConfiguration: { Alarms: "churn-5xx" },
      Canary: true,
    });

    // act
    const parsed = parseDeploymentConfig(text);

    // assess
    expect(parsed.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('unknown key(s) "Canary"'),
        expect.stringContaining("not both"),
        expect.stringContaining("WaitIntervalInSeconds is required"),
        expect.stringContaining("CanarySize must be"),
        expect.stringContaining("RollingUpdatePolicy.MaximumBatchSize must be"),
        expect.stringContaining("AutoRollbackConfiguration.Alarms must be a list"),
      ]),
    );
  });

  // BUG: src/deployment-config.ts:90 puts JSON.parse's message, which quotes the raw input
  // (newlines and all), into the problem; it should quote the text JSON-escaped, or not at all.
  it("never copies a raw newline from malformed JSON into a problem", () => {
    // prepare
    const text = "not json\n::error::injected\n";

    // act
    const parsed = parseDeploymentConfig(text);

    // assess
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems.some(hasControlCharacter)).toBe(false);
  });

  // BUG: src/deployment-config.ts:96 lists unknown keys unquoted, so a key holding a newline or
  // control character reaches the error message raw.
  it("never copies a raw control character from an unknown key into a problem", () => {
    // prepare
    const text = JSON.stringify({ "Canary\n::error::injected\u001b[2J": {} });

    // act
    const parsed = parseDeploymentConfig(text);

    // assess
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems.some(hasControlCharacter)).toBe(false);
  });
});
