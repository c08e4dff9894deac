import type { DeploymentConfig } from "@aws-sdk/client-sagemaker";
import { errorMessage } from "./shared/errors.js";
import { checkShape } from "./spec/shape-check.js";
import { printable, quote } from "./validators.js";

const TOP_LEVEL = [
  "BlueGreenUpdatePolicy",
  "RollingUpdatePolicy",
  "AutoRollbackConfiguration",
] as const;
const TRAFFIC_TYPES = ["ALL_AT_ONCE", "CANARY", "LINEAR"] as const;
const CAPACITY_TYPES = ["INSTANCE_COUNT", "CAPACITY_PERCENT"] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkCapacity(value: unknown, path: string, problems: string[]): void {
  if (value === undefined) return;
  if (
    !isObject(value) ||
    !CAPACITY_TYPES.includes(value.Type as never) ||
    typeof value.Value !== "number"
  ) {
    problems.push(
      `${path} must be {"Type": "INSTANCE_COUNT" | "CAPACITY_PERCENT", "Value": number}`,
    );
  }
}

function checkBlueGreen(policy: unknown, problems: string[]): void {
  if (!isObject(policy)) {
    problems.push("BlueGreenUpdatePolicy must be an object");
    return;
  }
  const routing = policy.TrafficRoutingConfiguration;
  if (!isObject(routing) || !TRAFFIC_TYPES.includes(routing.Type as never)) {
    problems.push(
      `BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type must be one of ${TRAFFIC_TYPES.join(", ")}`,
    );
    return;
  }
  if (typeof routing.WaitIntervalInSeconds !== "number") {
    problems.push(
      "BlueGreenUpdatePolicy.TrafficRoutingConfiguration.WaitIntervalInSeconds is required",
    );
  }
  if (routing.Type === "CANARY") checkCapacity(routing.CanarySize ?? {}, "CanarySize", problems);
  if (routing.Type === "LINEAR")
    checkCapacity(routing.LinearStepSize ?? {}, "LinearStepSize", problems);
}

function checkRolling(policy: unknown, problems: string[]): void {
  if (!isObject(policy)) {
    problems.push("RollingUpdatePolicy must be an object");
    return;
  }
  checkCapacity(policy.MaximumBatchSize ?? {}, "RollingUpdatePolicy.MaximumBatchSize", problems);
  if (typeof policy.WaitIntervalInSeconds !== "number") {
    problems.push("RollingUpdatePolicy.WaitIntervalInSeconds is required");
  }
  checkCapacity(
    policy.RollbackMaximumBatchSize,
    "RollingUpdatePolicy.RollbackMaximumBatchSize",
    problems,
  );
}

function checkAutoRollback(config: unknown, problems: string[]): void {
  const alarms = isObject(config) ? config.Alarms : undefined;
  const valid =
    Array.isArray(alarms) &&
    alarms.every((alarm) => isObject(alarm) && typeof alarm.AlarmName === "string");
  if (!valid)
    problems.push('AutoRollbackConfiguration.Alarms must be a list of {"AlarmName": "..."}');
}

/**
 * Parses the `deployment-config` input: SageMaker's DeploymentConfig JSON for UpdateEndpoint.
 * Checks the policy shapes well enough to explain a mistake; SageMaker checks the rest.
 */
export function parseDeploymentConfig(text: string): {
  config?: DeploymentConfig;
  problems: string[];
  /** Problems at the leaves, checked against SageMaker's model, each with its full path. */
  shapeProblems?: string[];
} {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [`is not valid JSON (${printable(errorMessage(error))})`] };
  }
  if (!isObject(value)) return { problems: ["must be a JSON object"] };
  const problems: string[] = [];
  const unknown = Object.keys(value).filter((key) => !TOP_LEVEL.includes(key as never));
  if (unknown.length > 0) {
    problems.push(
      `has unknown key(s) ${unknown.map((key) => quote(key)).join(", ")}; expected ${TOP_LEVEL.join(", ")}`,
    );
  }
  if (value.BlueGreenUpdatePolicy !== undefined && value.RollingUpdatePolicy !== undefined) {
    problems.push("takes BlueGreenUpdatePolicy or RollingUpdatePolicy, not both");
  }
  if (value.BlueGreenUpdatePolicy !== undefined)
    checkBlueGreen(value.BlueGreenUpdatePolicy, problems);
  if (value.RollingUpdatePolicy !== undefined) checkRolling(value.RollingUpdatePolicy, problems);
  if (value.AutoRollbackConfiguration !== undefined) {
    checkAutoRollback(value.AutoRollbackConfiguration, problems);
  }
  // The SDK drops members it does not know (`TerminationWaitInSecond`) without a word, so a
  // typo would silently run a blue/green deploy without the asked-for safety.
  const shapeProblems = checkShape(value, "DeploymentConfig", "deployment-config");
  if (problems.length > 0 || shapeProblems.length > 0) return { problems, shapeProblems };
  return { config: value as DeploymentConfig, problems };
}
