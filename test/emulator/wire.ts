import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiError } from "./api-error.js";
import type { ApiCall } from "./emulator-core.js";
import { DEFAULT_REGION } from "./emulator-core.js";
import { operationOfTarget } from "./operations.js";
import { isRecord } from "./shapes.js";

/** An answer the client gets to read in full. */
export type FullAnswer =
  | { kind: "ok"; body: Record<string, unknown> }
  | { kind: "error"; error: ApiError };

/**
 * What to write back for one API call: a full answer, or a connection cut mid-answer — either
 * before the handler ran, or (`partOf`) partway through the answer the handler gave.
 */
export type Answer = FullAnswer | { kind: "drop"; partOf?: FullAnswer };

/** awsJson1_1's content type, for requests and answers alike. */
export const JSON_1_1 = "application/x-amz-json-1.1";

/** The whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The region of a SigV4 credential scope: `Credential=AKID/20261124/us-east-1/sagemaker/aws4_request`. */
export function regionOf(authorization: string | undefined): string {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? "");
  return match?.[1] ?? DEFAULT_REGION;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  if (body.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The SDK's attempt number, from its `amz-sdk-request: attempt=2; max=10` header. */
export function attemptOf(header: string | string[] | undefined): number | undefined {
  const match = /attempt=(\d+)/.exec(typeof header === "string" ? header : "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The operation (from `X-Amz-Target: SageMaker.<Operation>`, or Application Auto Scaling's
 * `AnyScaleFrontendService.<Operation>`), input, region and attempt of a request.
 */
export function parseCall(req: IncomingMessage, body: string): ApiCall {
  const target = req.headers["x-amz-target"];
  const raw = typeof target === "string" ? target : "";
  const operation = operationOfTarget(raw);
  const attempt = attemptOf(req.headers["amz-sdk-request"]);
  return {
    operation,
    input: parseObject(body),
    region: regionOf(req.headers.authorization),
    ...(attempt === undefined ? {} : { attempt }),
  };
}

function startJson(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, {
    "content-type": JSON_1_1,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
    ...headers,
  });
}

/** Write JSON with AWS's usual headers. */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  startJson(res, status, text, headers);
  res.end(text);
}

/** awsJson1_1's spelling of an answer: errors as `{"__type","message"}` plus `x-amzn-errortype`. */
function wireOf(answer: FullAnswer): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  if (answer.kind === "ok") return { status: 200, body: answer.body, headers: {} };
  const { type, message, status } = answer.error;
  return { status, body: { __type: type, message }, headers: { "x-amzn-errortype": type } };
}

/**
 * Cut the connection mid-body, as a flaky network does: a plausible 200 when the handler never
 * ran, else the status line, headers and first half of the answer the handler gave.
 */
function dropConnection(res: ServerResponse, partOf: FullAnswer | undefined): void {
  if (partOf === undefined) {
    res.writeHead(200, { "content-type": JSON_1_1, "content-length": 256 });
    res.write('{"Endpoint', () => res.destroy());
    return;
  }
  const { status, body, headers } = wireOf(partOf);
  const text = JSON.stringify(body);
  startJson(res, status, text, headers);
  res.write(text.slice(0, Math.ceil(text.length / 2)), () => res.destroy());
}

/** Write an answer in awsJson1_1. */
export function writeAnswer(res: ServerResponse, answer: Answer): void {
  if (answer.kind === "drop") {
    dropConnection(res, answer.partOf);
    return;
  }
  const { status, body, headers } = wireOf(answer);
  writeJson(res, status, body, headers);
}
