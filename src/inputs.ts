import type { DeploymentConfig } from "@aws-sdk/client-sagemaker";
import { parseDeploymentConfig } from "./deployment-config.js";
import { type InputReader, Reader } from "./input-reader.js";
import { type ReleaseInputs, readReleaseInputs } from "./release-inputs.js";
import { InputError } from "./shared/errors.js";
import { isRecord, PATTERNS } from "./shared/patterns.js";
import { RESERVED_TAG_COUNT, type Tag } from "./shared/tags.js";
import { checkEndpointRules } from "./spec/endpoint-rules.js";
import type { SpecDocument } from "./spec/load-spec.js";
import { mergeSpec, type SimpleMembers, type SpecDeployment } from "./spec/merge-spec.js";
import { checkInput, checkSpec } from "./spec/shape-check.js";
import { parseInteger, parseKeyValueLines } from "./validators.js";

export type { InputReader };

/**
 * Tags that record what the model was made of, at most two a resource: the image digest and the
 * model-data version (src/content-identity.ts), or the model package version (src/model-package.ts).
 */
export const RELEASE_TAG_COUNT = 2;

/** User tags leave room for the action's own (SageMaker allows 50 a resource). */
export const MAX_USER_TAGS = 50 - RESERVED_TAG_COUNT - RELEASE_TAG_COUNT;

/** Wait limits: GitHub ends a job after 6 h (OIDC credentials last 1 h by default). */
const WAIT_TIMEOUT_MAX_MS = 6 * 3_600_000;
const POLL_INTERVAL_MIN_MS = 1_000;
const POLL_INTERVAL_MAX_MS = 5 * 60_000;

/** What the model holds (CreateModel). */
export interface ModelSpec {
  readonly image: string;
  readonly modelDataUrl?: string;
  readonly executionRoleArn: string;
  readonly environment: Readonly<Record<string, string>>;
}

/** The production variant (CreateEndpointConfig ProductionVariants[0]). */
export interface VariantSpec {
  readonly variantName: string;
  readonly instanceType?: string;
  readonly initialInstanceCount?: number;
  readonly serverless?: { readonly memorySizeInMB: number; readonly maxConcurrency: number };
}

/** Hand-off to the companion Lambda. */
export interface HandoffSpec {
  readonly functionName: string;
  readonly workflow: string;
  readonly ref?: string;
  /** How long the Lambda waits after the hand-off before reporting "timed out waiting". */
  readonly timeoutMs: number;
}

/** Every input, parsed and checked. */
export interface Config {
  readonly endpointName: string;
  readonly modelName?: string;
  readonly endpointConfigName?: string;
  readonly model: ModelSpec;
  readonly variant: VariantSpec;
  readonly region: string;
  readonly tags: readonly Tag[];
  readonly deploymentConfig?: DeploymentConfig;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly cleanupOnFailure: boolean;
  readonly handoff?: HandoffSpec;
  /** The whole model and endpoint config, when the `spec` input is given. */
  readonly spec?: SpecDeployment;
  /** allow-removal: an update may remove what the running endpoint has. */
  readonly allowRemoval: boolean;
  /** dry-run: inspect and plan, change nothing. */
  readonly dryRun: boolean;
  /** model-package, smoke-test, keep-versions and github-environment, when any is set. */
  readonly release?: ReleaseInputs;
}

const NAME_HINT =
  "is not a valid SageMaker name (1-63 letters, digits and hyphens; no leading or trailing hyphen)";

/** Whether the deploy's model and variants may come from a spec, so simple inputs are optional. */
type Required = { readonly specGiven: boolean };

function readModel(r: Reader, { specGiven }: Required): ModelSpec {
  // A model package gives the containers (release-inputs.ts refuses image beside it).
  const packageGiven = r.text("model-package") !== undefined;
  const image = r.matching(
    "image",
    PATTERNS.image,
    "is not a container image URI (no spaces, at most 255 characters)",
    !specGiven && !packageGiven,
  );
  const modelDataUrl = r.matching(
    "model-data-url",
    PATTERNS.modelDataUrl,
    "must be an s3:// or https:// URL",
  );
  const executionRoleArn = r.matching(
    "execution-role-arn",
    PATTERNS.roleArn,
    "is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
    !specGiven,
  );
  // A Map, then own properties: a variable named `constructor` or `__proto__` is just a variable.
  const variables = new Map<string, string>();
  const { pairs, problems } = parseKeyValueLines(r.raw("environment"));
  for (const problem of problems) r.problems.push(`environment: ${problem}`);
  for (const [key, value] of pairs) {
    if (!PATTERNS.environmentKey.test(key))
      r.fail("environment", key, "is not a valid variable name");
    else if (variables.has(key)) r.fail("environment", key, "is set twice");
    else if (value.length > 1024)
      r.fail("environment", key, "has a value longer than 1024 characters");
    variables.set(key, value);
  }
  if (pairs.length > 100) r.problems.push("environment: at most 100 variables");
  const environment: Record<string, string> = Object.fromEntries(variables);
  return {
    image: image ?? "",
    ...(modelDataUrl ? { modelDataUrl } : {}),
    executionRoleArn: executionRoleArn ?? "",
    environment,
  };
}

function readVariant(r: Reader, { specGiven }: Required): VariantSpec {
  const variantName = r.matching("variant-name", PATTERNS.resourceName, NAME_HINT) ?? "AllTraffic";
  const memory = r.text("serverless-memory-size");
  const concurrency = r.text("serverless-max-concurrency");
  if (memory !== undefined || concurrency !== undefined) {
    const memorySizeInMB = memory === undefined ? undefined : parseInteger(memory, 1024, 6144);
    const maxConcurrency =
      concurrency === undefined ? undefined : parseInteger(concurrency, 1, 200);
    if (memory === undefined)
      r.problems.push("serverless-memory-size: required with serverless-max-concurrency");
    else if (memorySizeInMB === undefined || memorySizeInMB % 1024 !== 0) {
      r.fail("serverless-memory-size", memory, "must be 1024, 2048, 3072, 4096, 5120 or 6144 (MB)");
    }
    if (concurrency === undefined)
      r.problems.push("serverless-max-concurrency: required with serverless-memory-size");
    else if (maxConcurrency === undefined)
      r.fail("serverless-max-concurrency", concurrency, "must be a whole number from 1 to 200");
    // initial-instance-count keeps its action.yml default of 1, which a serverless variant ignores.
    const count = r.text("initial-instance-count");
    if (r.text("instance-type"))
      r.problems.push(
        "instance-type: not used with a serverless variant (serverless-memory-size is set)",
      );
    if (count !== undefined && count !== "1") {
      r.problems.push(
        "initial-instance-count: not used with a serverless variant (serverless-memory-size is set)",
      );
    }
    return {
      variantName,
      serverless: { memorySizeInMB: memorySizeInMB ?? 0, maxConcurrency: maxConcurrency ?? 0 },
    };
  }
  const instanceType = r.text("instance-type");
  if (instanceType === undefined && !specGiven) {
    r.problems.push(
      "instance-type: required (or set serverless-memory-size and serverless-max-concurrency)",
    );
  } else if (instanceType !== undefined) {
    r.problems.push(...checkInput("instance-type", instanceType, "ProductionVariantInstanceType"));
  }
  const count = r.text("initial-instance-count", { fallback: "1" }) ?? "1";
  const initialInstanceCount = parseInteger(count, 1, 1000);
  if (initialInstanceCount === undefined)
    r.fail("initial-instance-count", count, "must be a whole number from 1 to 1000");
  return {
    variantName,
    instanceType: instanceType ?? "",
    initialInstanceCount: initialInstanceCount ?? 1,
  };
}

function readTags(r: Reader): Tag[] {
  const { pairs, problems } = parseKeyValueLines(r.raw("tags"));
  for (const problem of problems) r.problems.push(`tags: ${problem}`);
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (!PATTERNS.tagKey.test(key) || key.toLowerCase().startsWith("aws:")) {
      r.fail("tags", key, "is not a valid tag key (1-128 characters, not starting with aws:)");
    } else if (key.startsWith("sagemaker-deploy:"))
      r.fail("tags", key, "uses the prefix this action reserves");
    else if (seen.has(key)) r.fail("tags", key, "is set twice");
    if (!PATTERNS.tagValue.test(value))
      r.fail("tags", key, "has a value SageMaker does not allow in tags");
    seen.add(key);
  }
  if (pairs.length > MAX_USER_TAGS) r.problems.push(`tags: at most ${MAX_USER_TAGS} tags`);
  return pairs.map(([Key, Value]) => ({ Key, Value }));
}

function readHandoff(r: Reader): HandoffSpec | undefined {
  const functionName = r.matching(
    "handoff-function",
    PATTERNS.lambdaFunction,
    "is not a Lambda function name or ARN",
  );
  const workflow = r.matching(
    "handoff-workflow",
    PATTERNS.workflowFile,
    "must be a workflow file name such as sagemaker-deploy-status.yml",
  );
  const ref = r.matching("handoff-ref", PATTERNS.gitRef, "is not a git ref");
  if (!functionName) {
    if (workflow || ref)
      r.problems.push("handoff-function: required when handoff-workflow or handoff-ref is set");
    return undefined;
  }
  if (!workflow) r.problems.push("handoff-workflow: required when handoff-function is set");
  const timeoutMs = r.duration("handoff-timeout", "3h", 60_000, 24 * 3_600_000, "1m and 24h");
  return { functionName, workflow: workflow ?? "", ...(ref ? { ref } : {}), timeoutMs };
}

/**
 * Reads and checks every input at once. Throws {@link InputError} listing all problems, each
 * naming its input, so the user fixes them in one go and nothing is created meanwhile.
 */
export function readConfig(
  read: InputReader,
  env: NodeJS.ProcessEnv = process.env,
  specDocument?: SpecDocument,
): Config {
  const r = new Reader(read);
  const specGiven = specDocument !== undefined;
  const endpointName = r.matching("endpoint-name", PATTERNS.resourceName, NAME_HINT, true) ?? "";
  const modelName = r.matching("model-name", PATTERNS.resourceName, NAME_HINT);
  const endpointConfigName = r.matching("endpoint-config-name", PATTERNS.resourceName, NAME_HINT);
  const model = readModel(r, { specGiven });
  const variant = readVariant(r, { specGiven });
  const spec = specDocument ? readSpec(r, specDocument, model, variant) : undefined;
  const region = r.text("region", { fallback: env.AWS_REGION || env.AWS_DEFAULT_REGION });
  if (region === undefined)
    r.problems.push(
      "region: required (set the input, or AWS_REGION as configure-aws-credentials does)",
    );
  else if (!PATTERNS.region.test(region))
    r.fail("region", region, "is not an AWS region (e.g. us-east-1)");
  const tags = readTags(r);
  const deploymentText = r.text("deployment-config");
  const deployment = deploymentText ? parseDeploymentConfig(deploymentText) : { problems: [] };
  for (const problem of deployment.problems) r.problems.push(`deployment-config: ${problem}`);
  r.problems.push(...(deployment.shapeProblems ?? []));
  const wait = r.boolean("wait", true);
  const waitTimeoutMs = r.duration("wait-timeout", "60m", 1_000, WAIT_TIMEOUT_MAX_MS, "1s and 6h");
  const pollIntervalMs = r.duration(
    "poll-interval",
    "15s",
    POLL_INTERVAL_MIN_MS,
    POLL_INTERVAL_MAX_MS,
    "1s and 5m",
  );
  const cleanupOnFailure = r.boolean("cleanup-on-failure", true);
  const handoff = readHandoff(r);
  const allowRemoval = r.boolean("allow-removal", false);
  const dryRun = r.boolean("dry-run", false);
  const release = readRelease(r, env, { specGiven, wait });
  if (r.problems.length > 0) throw new InputError(r.problems);
  return {
    endpointName,
    ...(modelName ? { modelName } : {}),
    ...(endpointConfigName ? { endpointConfigName } : {}),
    model,
    variant,
    region: region ?? "",
    tags,
    ...(deployment.config ? { deploymentConfig: deployment.config } : {}),
    wait,
    waitTimeoutMs,
    pollIntervalMs,
    cleanupOnFailure,
    ...(handoff ? { handoff } : {}),
    ...(spec ? { spec } : {}),
    allowRemoval,
    dryRun,
    ...(release ? { release } : {}),
  };
}

/** The release inputs, `undefined` when none is set; refuses those this deploy cannot use. */
function readRelease(
  r: Reader,
  env: NodeJS.ProcessEnv,
  how: { readonly specGiven: boolean; readonly wait: boolean },
): ReleaseInputs | undefined {
  const release = readReleaseInputs(r, env);
  if (release.modelPackage && how.specGiven)
    r.problems.push(
      "model-package: not used with spec (give the containers in spec.model, or drop spec)",
    );
  if (release.smokeTest && !how.wait)
    r.problems.push(
      "smoke-test: not used with wait: false (the smoke test runs once the endpoint is InService)",
    );
  const { allowUnapproved, ...set } = release;
  return Object.keys(set).length > 0 || allowUnapproved ? release : undefined;
}

/** The simple inputs as spec members: only those set, action.yml's defaults marked as such. */
function simpleMembers(r: Reader, model: ModelSpec, variant: VariantSpec): SimpleMembers {
  const defaulted = new Set<"VariantName" | "InitialInstanceCount">();
  if (variant.variantName === "AllTraffic") defaulted.add("VariantName");
  if ((r.text("initial-instance-count") ?? "1") === "1") defaulted.add("InitialInstanceCount");
  return {
    ...(model.image ? { image: model.image } : {}),
    ...(model.modelDataUrl ? { modelDataUrl: model.modelDataUrl } : {}),
    ...(model.executionRoleArn ? { executionRoleArn: model.executionRoleArn } : {}),
    ...(Object.keys(model.environment).length > 0 ? { environment: { ...model.environment } } : {}),
    variantName: variant.variantName,
    ...(variant.serverless ? { serverless: variant.serverless } : {}),
    ...(variant.instanceType ? { instanceType: variant.instanceType } : {}),
    ...(variant.serverless ? {} : { initialInstanceCount: variant.initialInstanceCount ?? 1 }),
    defaulted,
  };
}

/** Checks the spec against SageMaker's model, merges the simple inputs in, and checks the result. */
function readSpec(
  r: Reader,
  document: SpecDocument,
  model: ModelSpec,
  variant: VariantSpec,
): SpecDeployment | undefined {
  if (!document.ok) {
    r.problems.push(document.problem);
    return undefined;
  }
  if (!isRecord(document.value)) {
    r.problems.push("spec: must be a mapping with model, endpoint-config and autoscaling sections");
    return undefined;
  }
  const shapeProblems = checkSpec(document.value);
  r.problems.push(...shapeProblems);
  const merged = mergeSpec(document.value, simpleMembers(r, model, variant));
  r.problems.push(...merged.problems);
  if (shapeProblems.length > 0 || merged.problems.length > 0) return undefined;
  const ruleProblems = checkEndpointRules(merged.deployment);
  r.problems.push(...ruleProblems);
  return ruleProblems.length > 0 ? undefined : merged.deployment;
}
