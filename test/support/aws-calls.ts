import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../e2e/run-action.js";

/** Where end-to-end suites leave the AWS operations they saw, for the IAM coverage check. */
export const AWS_CALLS_DIR = join(ROOT, ".tmp/aws-calls");

/** Whose IAM policy a recorded call must be allowed by. */
export type Caller = "action" | "lambda";

/** One suite's record: the IAM actions (e.g. `sagemaker:CreateModel`) each caller performed. */
export interface AwsCallRecord {
  readonly suite: string;
  readonly caller: Caller;
  readonly actions: readonly string[];
}

/**
 * Records the operations a suite's emulators received (`sagemaker:<Op>`), so the IAM check can
 * prove the shipped policies allow every one. Called from an e2e suite's `afterAll`.
 */
export function recordAwsCalls(suite: string, caller: Caller, actions: Iterable<string>): void {
  const unique = [...new Set(actions)].sort();
  if (unique.length === 0) return;
  mkdirSync(AWS_CALLS_DIR, { recursive: true });
  const record: AwsCallRecord = { suite, caller, actions: unique };
  writeFileSync(
    join(AWS_CALLS_DIR, `${suite}-${caller}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );
}

/** The IAM actions of SageMaker operations as the emulator recorded them. */
export function sageMakerActions(requests: readonly { operation: string }[]): string[] {
  return requests.map((request) => `sagemaker:${request.operation}`);
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
