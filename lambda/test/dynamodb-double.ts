import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One attribute value as DynamoDB's JSON protocol writes it (only the kinds the function uses). */
type AttributeValue = { readonly S: string } | { readonly N: string };
type Item = Readonly<Record<string, AttributeValue>>;

/** A local stand-in for DynamoDB's PutItem (awsJson1_0), for AWS_ENDPOINT_URL_DYNAMODB. */
export interface DynamoDbDouble {
  readonly url: string;
  /** Items by table, in the order they were written. */
  items(table: string): readonly Item[];
  /** Every operation asked for, e.g. `PutItem`. */
  readonly operations: readonly string[];
  close(): Promise<void>;
}

interface PutItemInput {
  TableName?: string;
  Item?: Record<string, AttributeValue>;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/**
 * The condition forms the double understands: `attribute_not_exists(a)`, optionally
 * `OR b = :v`. Anything else is answered ValidationException, so a test cannot pass on a
 * condition the double silently ignored.
 */
const CONDITION = /^attribute_not_exists\((#?\w+)\)(?:\s+OR\s+(#?\w+)\s*=\s*(:\w+))?$/;

class DoubleError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function same(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function conditionHolds(input: PutItemInput, existing: Item | undefined): boolean {
  if (input.ConditionExpression === undefined) return true;
  const match = CONDITION.exec(input.ConditionExpression.trim());
  if (!match) throw new DoubleError("ValidationException", "unsupported ConditionExpression");
  const name = (token: string) =>
    token.startsWith("#") ? (input.ExpressionAttributeNames?.[token] ?? "") : token;
  const [, absent = "", equalName, equalValue] = match;
  if (existing === undefined || existing[name(absent)] === undefined) return true;
  if (equalName === undefined || equalValue === undefined) return false;
  return same(existing[name(equalName)], input.ExpressionAttributeValues?.[equalValue]);
}

/**
 * Serves PutItem on `tableNames`, each keyed by `keyName` (a string hash key); any other table
 * is answered ResourceNotFoundException, as DynamoDB answers it.
 */
export async function startDynamoDbDouble(
  tableNames: readonly string[],
  keyName = "id",
): Promise<DynamoDbDouble> {
  const tables = new Map<string, Map<string, Item>>(tableNames.map((name) => [name, new Map()]));
  const operations: string[] = [];
  const putItem = (input: PutItemInput): Record<string, never> => {
    const key = input.Item?.[keyName];
    if (!input.TableName || !key || !("S" in key)) {
      throw new DoubleError("ValidationException", `the item needs its key '${keyName}'`);
    }
    const table = tables.get(input.TableName);
    if (!table) throw new DoubleError("ResourceNotFoundException", "Requested resource not found");
    if (!conditionHolds(input, table.get(key.S))) {
      throw new DoubleError("ConditionalCheckFailedException", "The conditional request failed");
    }
    table.set(key.S, { ...input.Item });
    return {};
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const operation = String(req.headers["x-amz-target"] ?? "").replace(
        /^DynamoDB_20120810\./,
        "",
      );
      operations.push(operation);
      let status = 200;
      let body: unknown;
      try {
        if (operation !== "PutItem") throw new DoubleError("UnknownOperationException", operation);
        body = putItem(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as PutItemInput);
      } catch (error) {
        status = 400;
        body =
          error instanceof DoubleError
            ? { __type: `com.amazonaws.dynamodb.v20120810#${error.type}`, message: error.message }
            : { __type: "com.amazonaws.dynamodb.v20120810#SerializationException" };
      }
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    items: (table) => [...(tables.get(table)?.values() ?? [])],
    operations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
