import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/shared/clock.js";
import {
  createSageMakerGateway,
  type SageMakerGateway,
} from "../../src/shared/sagemaker-gateway.js";
import { recordAwsCalls } from "../../test/support/aws-calls.js";
import type { Dependencies } from "../src/dependencies.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import { type ClaimReport, createDynamoClaims } from "../src/report-claims.js";
import { CLAIM_SETTLE_MS } from "../src/report-outcome.js";
import { type DynamoDbDouble, startDynamoDbDouble } from "./dynamodb-double.js";
import {
  barrier,
  ENDPOINT,
  ENDPOINT_ARN,
  type Harness,
  handoffTags,
  NEW_CONFIG,
  stateChangeEvent,
  useHarness,
} from "./harness.js";

const TABLE = "sagemaker-deploy-reports";
const UNIT_TABLE = "sagemaker-deploy-reports-unit";
const current = useHarness();
let harness: Harness;
let dynamodb: DynamoDbDouble;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await startDynamoDbDouble([TABLE, UNIT_TABLE]);
  client = new DynamoDBClient({
    endpoint: dynamodb.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});

afterAll(async () => {
  recordAwsCalls(
    "lambda-exactly-once",
    "lambda",
    dynamodb.operations.map((operation) => `dynamodb:${operation}`),
  );
  client.destroy();
  await dynamodb.close();
});

beforeEach(() => {
  harness = current();
  // An InService endpoint the action handed off: both the hand-off and its event report it.
  harness.emulator.seed({
    endpoints: [
      {
        EndpointName: ENDPOINT,
        EndpointConfigName: NEW_CONFIG,
        Tags: handoffTags(harness.payload().deadline),
      },
    ],
  });
});

/** The hand-off and its EventBridge event, handled at the same time. */
async function reportTogether(deps: Dependencies): Promise<string[]> {
  const results = await Promise.all([
    handleEvent(harness.payload(), harness.invocation(), deps),
    handleEvent(stateChangeEvent("IN_SERVICE"), harness.invocation(), deps),
  ]);
  return results.map((r) => r.result).sort();
}

describe("the hand-off and an EventBridge event reporting at the same instant", () => {
  it("dispatch once without the reports table: the claim read back after writing decides", async () => {
    // Worst case: both read the tags before either wrote its claim, then both write.
    const bothRead = barrier(2);
    const bothWrote = barrier(2);
    const gateway = createSageMakerGateway({ client: harness.client });
    const racing: SageMakerGateway = {
      ...gateway,
      addTags: async (arn, tags) => {
        await bothRead.arrive();
        await gateway.addTags(arn, tags);
        void bothWrote.arrive();
      },
    };
    const clock: Clock = {
      now: harness.clock.now,
      sleep: async (ms, signal) => {
        if (ms === CLAIM_SETTLE_MS) await bothWrote.met;
        await harness.clock.sleep(ms, signal);
      },
    };

    const results = await reportTogether({ ...harness.deps, sagemaker: () => racing, clock });

    expect(results).toEqual([RESULT.alreadyReported, RESULT.dispatched]);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
  });

  it("dispatch once with the reports table: one conditional PutItem wins", async () => {
    const claims = createDynamoClaims({ tableName: TABLE, client });
    // Both found the report unclaimed on the endpoint before either claimed it.
    const bothChecked = barrier(2);
    const claimReport: ClaimReport = async (claim) => {
      await bothChecked.arrive();
      return claims(claim);
    };

    const results = await reportTogether({ ...harness.deps, claimReport });

    expect(results).toEqual([RESULT.alreadyReported, RESULT.dispatched]);
    expect(harness.github.acceptedDispatches()).toHaveLength(1);
    expect(dynamodb.items(TABLE)).toHaveLength(1);
    expect(dynamodb.items(TABLE)[0]?.id).toEqual({ S: `${ENDPOINT_ARN}#4242/1/${NEW_CONFIG}` });
  });
});

describe("createDynamoClaims", () => {
  const claim = (claimant: string) => ({
    id: `${ENDPOINT_ARN}#4242/1/${NEW_CONFIG}`,
    claimant,
    claimedAt: Date.parse("2026-11-24T16:00:00Z"),
    expiresAt: Date.parse("2026-12-24T16:00:00Z"),
  });

  it("grants a claim once, and again to the same invocation's retry", async () => {
    const claims = createDynamoClaims({ tableName: UNIT_TABLE, client });

    const granted = [
      await claims(claim("request-a")),
      await claims(claim("request-b")),
      await claims(claim("request-a")),
    ];

    expect(granted).toEqual([true, false, true]);
    expect(dynamodb.items(UNIT_TABLE)[0]).toMatchObject({
      claimant: { S: "request-a" },
      expiresAt: { N: String(Date.parse("2026-12-24T16:00:00Z") / 1000) },
    });
  });

  it("names the table when DynamoDB refuses, and throws so that Lambda retries", async () => {
    const claims = createDynamoClaims({ tableName: "no-such-table", client });

    await expect(claims(claim("request-a"))).rejects.toThrow(
      /^PutItem 'no-such-table .*' failed: Requested resource not found/,
    );
  });
});
