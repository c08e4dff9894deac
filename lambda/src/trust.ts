import { unlessNotFound } from "../../src/shared/errors.js";
import type { HandoffPayload } from "../../src/shared/handoff-payload.js";
import type { Endpoint, SageMakerGateway } from "../../src/shared/sagemaker-gateway.js";
import { STALE_READ_GRACE } from "../../src/shared/wait.js";
import type { Dependencies } from "./dependencies.js";
import { type Deployment, deploymentMismatch } from "./endpoint-tags.js";

/** Where the function runs: the partition, region and account of the ARN it was invoked by. */
export interface FunctionLocation {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

const FUNCTION_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]{1,128})?$/;
const ENDPOINT_ARN = /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]+):(\d{12}):endpoint\//;

/** Reads `invokedFunctionArn`; undefined for anything Lambda would not pass. */
export function parseFunctionArn(arn: string): FunctionLocation | undefined {
  const [, partition, region, account] = FUNCTION_ARN.exec(arn) ?? [];
  return partition && region && account ? { partition, region, account } : undefined;
}

/**
 * Why the payload names an endpoint outside the function's own account and region, or
 * undefined when it does not. The function reports only what it can see for itself.
 */
export function foreignEndpoint(
  payload: HandoffPayload,
  location: FunctionLocation | undefined,
): string | undefined {
  if (!location) return "the function's own ARN cannot be read";
  if (payload.region !== location.region) {
    return `the payload's region ${payload.region} is not the function's (${location.region})`;
  }
  const [, partition, region, account] = ENDPOINT_ARN.exec(payload.endpointArn) ?? [];
  if (partition !== location.partition || region !== location.region) {
    return "endpointArn is not in the function's partition and region";
  }
  if (account !== location.account) return "endpointArn belongs to another AWS account";
  return undefined;
}

/** What the endpoint showed: it exists with the payload's ARN and its tags name the deployment. */
export type Evidence =
  | {
      readonly ok: true;
      readonly endpoint: Endpoint;
      readonly tags: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly reason: string };

type Reading = Evidence & { readonly mayBeStale?: boolean };

function sameArn(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

async function readEvidence(
  payload: HandoffPayload,
  deployment: Deployment,
  gateway: SageMakerGateway,
): Promise<Reading> {
  const missing = {
    ok: false,
    reason: `endpoint '${payload.endpointName}' does not exist in ${payload.region}`,
    mayBeStale: true,
  } as const;
  const endpoint = await gateway.describeEndpoint(payload.endpointName);
  if (!endpoint?.EndpointArn) return missing;
  if (!sameArn(endpoint.EndpointArn, payload.endpointArn)) {
    return { ok: false, reason: "endpointArn is not the ARN of endpointName" };
  }
  const tags = await unlessNotFound(() => gateway.listTags(endpoint.EndpointArn ?? ""));
  if (!tags) return missing;
  const mismatch = deploymentMismatch(deployment, tags);
  return mismatch
    ? { ok: false, reason: mismatch, mayBeStale: true }
    : { ok: true, endpoint, tags };
}

/** Options for {@link verifyHandoffEndpoint}. */
export interface VerifyOptions {
  readonly payload: HandoffPayload;
  readonly deployment: Deployment;
  readonly gateway: SageMakerGateway;
  /** 0 for the action's own hand-off, which may arrive before SageMaker's reads show its deploy. */
  readonly hop: number;
  readonly deps: Dependencies;
}

/**
 * Reads the endpoint and its tags until they show the payload's deployment. A fresh hand-off
 * can arrive a moment after CreateEndpoint or AddTags, before SageMaker's eventually
 * consistent reads show them, so at hop 0 a missing endpoint or other tags are read again
 * within {@link STALE_READ_GRACE} before the payload is refused (a forged one costs that much).
 */
export async function verifyHandoffEndpoint(options: VerifyOptions): Promise<Evidence> {
  const { clock, logger } = options.deps;
  const started = clock.now();
  for (let reads = 1; ; reads += 1) {
    const reading = await readEvidence(options.payload, options.deployment, options.gateway);
    if (reading.ok || !reading.mayBeStale || options.hop > 0) return reading;
    const graceOver =
      reads >= STALE_READ_GRACE.reads && clock.now() - started >= STALE_READ_GRACE.ms;
    if (graceOver) return reading;
    logger.info("The endpoint does not show this hand-off yet; reading again", {
      endpoint: options.payload.endpointName,
      reason: reading.reason,
    });
    await clock.sleep(STALE_READ_GRACE.ms / STALE_READ_GRACE.reads);
  }
}
