import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tagsToRecord } from "../../src/shared/tags.js";
import { ROOT } from "../e2e/run-action.js";
import { iamActionOf } from "../emulator/operations.js";
import type { RecordedRequest } from "../emulator/types.js";

/** Where end-to-end suites leave the AWS calls they saw, for the IAM check. */
export const AWS_CALLS_DIR = join(ROOT, ".tmp/aws-calls");

/** Whose IAM policy a recorded call must be allowed by. */
export type Caller = "action" | "lambda";

/** A resource a call acted on, with its tags when the call arrived (none: it did not exist). */
export interface CallResource {
  readonly arn: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One AWS call, with what IAM's condition keys would see of it. */
export interface AwsCall {
  /** The IAM action, e.g. `sagemaker:CreateModel`. */
  readonly action: string;
  /**
   * The resources IAM authorizes the call against (each must be allowed); absent when the
   * suite could not tell, and then any Resource of a policy matches.
   */
  readonly resources?: readonly CallResource[];
  /** The tags the call sends (`Tags` of Create* and AddTags): `aws:RequestTag/*`, `aws:TagKeys`. */
  readonly requestTags?: Readonly<Record<string, string>>;
  /** The tag keys a call names without values (`TagKeys` of DeleteTags): `aws:TagKeys`. */
  readonly tagKeys?: readonly string[];
  /** The role the call hands to a service (CreateModel's ExecutionRoleArn), for iam:PassRole. */
  readonly passedRole?: string;
  /** What an Application Auto Scaling call scales, and the endpoint a SageMaker variant is on. */
  readonly scalableTarget?: {
    readonly namespace: string;
    readonly resourceId: string;
    readonly endpoint?: CallResource;
  };
}

/** One suite's record: the calls each caller made. */
export interface AwsCallRecord {
  readonly suite: string;
  readonly caller: Caller;
  readonly calls: readonly AwsCall[];
}

/** A bare IAM action (e.g. from a double that sees no resources) or a call as the emulator saw it. */
export type CallSeen = AwsCall | string;

/**
 * Records the calls a suite's emulators and doubles received, so the IAM check can prove the
 * shipped policies allow every one. Called from a suite's `afterAll`; identical calls (SDK
 * retries) are kept once.
 */
export function recordAwsCalls(suite: string, caller: Caller, seen: Iterable<CallSeen>): void {
  const unique = new Map<string, AwsCall>();
  for (const item of seen) {
    const call = typeof item === "string" ? { action: item } : item;
    unique.set(JSON.stringify(call), call);
  }
  if (unique.size === 0) return;
  mkdirSync(AWS_CALLS_DIR, { recursive: true });
  const calls = [...unique.values()].sort((a, b) => a.action.localeCompare(b.action));
  const record: AwsCallRecord = { suite, caller, calls };
  writeFileSync(join(AWS_CALLS_DIR, `${suite}-${caller}.json`), `${JSON.stringify(record)}\n`);
}

function tagKeysOf(input: Record<string, unknown>): string[] | undefined {
  const keys = input.TagKeys;
  return Array.isArray(keys) ? keys.filter((key) => typeof key === "string") : undefined;
}

function resourceOf(target: RecordedRequest["targets"][number]): CallResource {
  return target.tags === undefined ? { arn: target.arn } : { arn: target.arn, tags: target.tags };
}

/**
 * An Application Auto Scaling call: authorized on `*` (the check cannot know the scalable
 * target's ARN), with the variant's endpoint for what Application Auto Scaling checks on it.
 */
function scalingCall(action: string, request: Pick<RecordedRequest, "input" | "targets">): AwsCall {
  const { ServiceNamespace: namespace, ResourceId: resourceId } = request.input;
  const [endpoint] = request.targets;
  if (typeof namespace !== "string" || typeof resourceId !== "string") {
    return { action, resources: [] };
  }
  return {
    action,
    resources: [],
    scalableTarget: {
      namespace,
      resourceId,
      ...(endpoint === undefined ? {} : { endpoint: resourceOf(endpoint) }),
    },
  };
}

/** One request the emulator recorded, as the call IAM would authorize. */
function sageMakerCall(request: Pick<RecordedRequest, "operation" | "input" | "targets">): AwsCall {
  const { input } = request;
  const action = iamActionOf(request.operation);
  if (action.startsWith("application-autoscaling:")) return scalingCall(action, request);
  const tags = Array.isArray(input.Tags) ? tagsToRecord(input.Tags) : undefined;
  const tagKeys = tagKeysOf(input);
  const role = input.ExecutionRoleArn;
  return {
    action,
    resources: request.targets.map(resourceOf),
    ...(tags === undefined ? {} : { requestTags: tags }),
    ...(tagKeys === undefined ? {} : { tagKeys }),
    ...(typeof role === "string" ? { passedRole: role } : {}),
  };
}

/**
 * The calls the SageMaker emulator recorded (SageMaker's and Application Auto Scaling's): action,
 * resources and their tags, tags sent.
 */
export function sageMakerActions(
  requests: readonly Pick<RecordedRequest, "operation" | "input" | "targets">[],
): AwsCall[] {
  return requests.map(sageMakerCall);
}

/** Every record left by the suites of this run. */
export function readAwsCallRecords(): AwsCallRecord[] {
  let files: string[];
  try {
    files = readdirSync(AWS_CALLS_DIR).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  return files.map(
    (file) => JSON.parse(readFileSync(join(AWS_CALLS_DIR, file), "utf8")) as AwsCallRecord,
  );
}
