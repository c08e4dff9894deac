import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { AwsCallError, errorName } from "../../src/shared/errors.js";

/** One claim of a report: whoever puts it first dispatches. */
export interface ReportClaim {
  /** The endpoint ARN and the report key: one item per report. */
  readonly id: string;
  /** The invocation's request id: Lambda retries an event under the same id. */
  readonly claimant: string;
  /** When the item may be dropped (epoch ms); DynamoDB's TTL deletes it some time after. */
  readonly expiresAt: number;
  /** When it was claimed (epoch ms), kept on the item for whoever looks. */
  readonly claimedAt: number;
}

/** Claims a report; true when this invocation holds the claim (first, or its own retry). */
export type ClaimReport = (claim: ReportClaim) => Promise<boolean>;

/** Attribute names of the reports table; template.yaml declares `id` as key and `expiresAt` as TTL. */
export const CLAIM_ATTRIBUTES = {
  id: "id",
  claimant: "claimant",
  expiresAt: "expiresAt",
  claimedAt: "claimedAt",
} as const;

/**
 * How long a claim is kept. Repeats of a report (a late EventBridge event, a retried hand-off)
 * come within the hand-off's deadline and an hour of retries; 30 days leaves the table as a
 * record of what was sent for a while after.
 */
export const CLAIM_TTL_MS = 30 * 24 * 3_600_000;

/** Options for {@link createDynamoClaims}. */
export interface DynamoClaimsOptions {
  readonly tableName: string;
  /** The client to use; by default one is made on first use. */
  readonly client?: DynamoDBClient;
  readonly customUserAgent?: [string, string][];
}

/**
 * Claims reports with a conditional PutItem: the item is written only when no item has the
 * id yet, or when this same invocation wrote it (its retry after a failure further on), so two
 * invocations that both found the endpoint unreported cannot both dispatch.
 */
export function createDynamoClaims(options: DynamoClaimsOptions): ClaimReport {
  let client = options.client;
  const a = CLAIM_ATTRIBUTES;
  return async (claim) => {
    // Loaded on first use, from the runtime's SDK: only a report needs it.
    const sdk = await import(/* webpackIgnore: true */ "@aws-sdk/client-dynamodb");
    client ??= new sdk.DynamoDBClient({ customUserAgent: options.customUserAgent });
    try {
      await client.send(
        new sdk.PutItemCommand({
          TableName: options.tableName,
          Item: {
            [a.id]: { S: claim.id },
            [a.claimant]: { S: claim.claimant },
            [a.expiresAt]: { N: String(Math.ceil(claim.expiresAt / 1000)) },
            [a.claimedAt]: { S: new Date(claim.claimedAt).toISOString() },
          },
          ConditionExpression: "attribute_not_exists(#id) OR #claimant = :claimant",
          ExpressionAttributeNames: { "#id": a.id, "#claimant": a.claimant },
          ExpressionAttributeValues: { ":claimant": { S: claim.claimant } },
        }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === "ConditionalCheckFailedException") return false;
      throw new AwsCallError("PutItem", `${options.tableName} ${claim.id}`, error);
    }
  };
}
