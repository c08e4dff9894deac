import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiError } from "./api-error.js";
import type { ApiCall } from "./emulator-core.js";
import { DEFAULT_REGION } from "./emulator-core.js";
import { isRecord } from "./shapes.js";

/** What to write back for one API call. */
export type Answer =
  | { kind: "ok"; body: Record<string, unknown> }
  | { kind: "error"; error: ApiError }
  | { kind: "drop" };

/** awsJson1_1's content type, for requests and answers alike. */
export const JSON_1_1 = "application/x-amz-json-1.1";

const TARGET_PREFIX = "SageMaker.";

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

/** The operation (from `X-Amz-Target: SageMaker.<Operation>`), input and region of a request. */
export function parseCall(req: IncomingMessage, body: string): ApiCall {
  const target = req.headers["x-amz-target"];
  const raw = typeof target === "string" ? target : "";
  const operation = raw.startsWith(TARGET_PREFIX) ? raw.slice(TARGET_PREFIX.length) : raw;
  return { operation, input: parseObject(body), region: regionOf(req.headers.authorization) };
}

/** Write JSON with AWS's usual headers. */
export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": JSON_1_1,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** Start a plausible answer, then cut the connection mid-body, as a flaky network does. */
function dropConnection(res: ServerResponse): void {
  res.writeHead(200, { "content-type": JSON_1_1, "content-length": 256 });
  res.write('{"Endpoint', () => res.destroy());
}

/** Write an answer in awsJson1_1: errors as `{"__type","message"}` plus `x-amzn-errortype`. */
export function writeAnswer(res: ServerResponse, answer: Answer): void {
  if (answer.kind === "drop") {
    dropConnection(res);
  } else if (answer.kind === "ok") {
    writeJson(res, 200, answer.body);
  } else {
    const { type, message, status } = answer.error;
    writeJson(res, status, { __type: type, message }, { "x-amzn-errortype": type });
  }
}
