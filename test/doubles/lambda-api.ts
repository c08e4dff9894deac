import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One accepted Lambda Invoke call. */
export interface LambdaInvocation {
  /** URL-decoded: a name, a partial or a full ARN, as the caller sent it. */
  functionName: string;
  /** X-Amz-Invocation-Type: Event, RequestResponse (the default) or DryRun. */
  invocationType: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  payload: unknown;
  rawBody: string;
}

/** A local stand-in for Lambda's Invoke REST API. */
export interface LambdaDouble {
  /** "http://127.0.0.1:PORT", for the client's `endpoint`. */
  readonly url: string;
  readonly invocations: readonly LambdaInvocation[];
  /** Answer the next Invoke with this error (one call per failure; they queue). */
  failNext(status: number, type: string, message: string): void;
  close(): Promise<void>;
}

/** Invoke's path: POST /2015-03-31/functions/{FunctionName}/invocations. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Status of each invocation type's success (Lambda API reference, Invoke). */
const SUCCESS_STATUS = { Event: 202, RequestResponse: 200, DryRun: 204 } as const;

interface Failure {
  status: number;
  type: string;
  message: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Lambda's error shape: `x-amzn-ErrorType` plus `{"Type":"User","Message"}`. */
function writeError(res: ServerResponse, failure: Failure): void {
  res.writeHead(failure.status, {
    "content-type": "application/json",
    "x-amzn-ErrorType": failure.type,
    "x-amzn-requestid": randomUUID(),
  });
  res.end(JSON.stringify({ Type: "User", Message: failure.message }));
}

function writeSuccess(res: ServerResponse, invocationType: string): void {
  const status = SUCCESS_STATUS[invocationType as keyof typeof SUCCESS_STATUS] ?? 200;
  res.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-requestid": randomUUID(),
    "x-amz-executed-version": "$LATEST",
  });
  // A RequestResponse call of a handler that returns nothing answers the JSON `null`.
  res.end(status === 200 ? "null" : "");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Start a Lambda Invoke double on 127.0.0.1 that records what it is sent. */
export async function startLambdaDouble(): Promise<LambdaDouble> {
  const invocations: LambdaInvocation[] = [];
  const failures: Failure[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const match = INVOKE_PATH.exec((req.url ?? "").split("?")[0] ?? "");
    if (req.method !== "POST" || match?.[1] === undefined) {
      writeError(res, {
        status: 404,
        type: "UnknownOperationException",
        message: "Unknown operation",
      });
      return;
    }
    const failure = failures.shift();
    if (failure !== undefined) {
      writeError(res, failure);
      return;
    }
    const invocationType = header(req, "x-amz-invocation-type") ?? "RequestResponse";
    const functionName = decodeURIComponent(match[1]);
    invocations.push({ functionName, invocationType, payload: parseJson(rawBody), rawBody });
    writeSuccess(res, invocationType);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    failNext: (status, type, message) => {
      failures.push({ status, type, message });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
