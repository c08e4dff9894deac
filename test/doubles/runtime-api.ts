import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type SeenRequest, startHttpDouble } from "./http-double.js";

/** What an endpoint (or one of its variants) answers InvokeEndpoint. */
export type ScriptedInvocation =
  | { readonly status: 200; readonly body: string; readonly contentType?: string }
  /** The container answered an error: SageMaker's ModelError (HTTP 424) quoting it. */
  | { readonly modelError: { readonly status: number; readonly message: string } };

/** One InvokeEndpoint call as the double saw it. */
export interface Invocation {
  readonly endpointName: string;
  readonly targetVariant?: string;
  readonly contentType?: string;
  readonly body: string;
}

/** A local SageMaker Runtime (REST-JSON): `POST /endpoints/{name}/invocations`. */
export interface RuntimeDouble {
  /** "http://127.0.0.1:PORT", for AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME. */
  readonly url: string;
  readonly invocations: readonly Invocation[];
  /** The IAM actions of the calls served (`sagemaker:InvokeEndpoint`), for the IAM coverage check. */
  iamActions(): string[];
  /** Scripts every answer of an endpoint, or of one of its variants. */
  answer(endpointName: string, answer: ScriptedInvocation, variant?: string): void;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/endpoints\/([^/]+)\/invocations$/;

function writeError(
  res: ServerResponse,
  status: number,
  type: string,
  body: Record<string, unknown>,
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-requestid": randomUUID(),
    // restJson1 names the error by this header; SageMaker appends a namespace after a colon.
    "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.sagemaker/`,
  });
  res.end(text);
}

/** Starts the runtime double; an endpoint with no scripted answer does not exist. */
export async function startRuntimeDouble(
  options: { accountId?: string } = {},
): Promise<RuntimeDouble> {
  const accountId = options.accountId ?? "123456789012";
  const answers = new Map<string, ScriptedInvocation>();
  const invocations: Invocation[] = [];

  function handle(request: SeenRequest, res: ServerResponse) {
    const match = INVOKE_PATH.exec(request.url.split("?")[0] ?? "");
    if (request.method !== "POST" || match?.[1] === undefined) {
      return writeError(res, 404, "UnknownOperationException", { message: "Unknown operation" });
    }
    const endpointName = decodeURIComponent(match[1]);
    const targetVariant = request.headers["x-amzn-sagemaker-target-variant"];
    const contentType = request.headers["content-type"];
    invocations.push({
      endpointName,
      ...(targetVariant ? { targetVariant } : {}),
      ...(contentType ? { contentType } : {}),
      body: request.body.toString("utf8"),
    });
    const scripted =
      (targetVariant ? answers.get(`${endpointName}\n${targetVariant}`) : undefined) ??
      answers.get(endpointName);
    if (scripted === undefined) {
      return writeError(res, 400, "ValidationError", {
        message: `Endpoint ${endpointName} of account ${accountId} not found.`,
      });
    }
    const variant = targetVariant ?? "AllTraffic";
    if ("modelError" in scripted) {
      const { status, message } = scripted.modelError;
      return writeError(res, 424, "ModelError", {
        ErrorCode: "CLIENT_ERROR_FROM_MODEL",
        LogStreamArn: `arn:aws:logs:us-east-1:${accountId}:log-group:/aws/sagemaker/Endpoints/${endpointName}`,
        Message: `Received server error (${status}) from primary with message "${message}".`,
        OriginalMessage: message,
        OriginalStatusCode: status,
      });
    }
    res.writeHead(200, {
      "content-type": scripted.contentType ?? "application/json",
      "x-amzn-invoked-production-variant": variant,
      "x-amzn-requestid": randomUUID(),
    });
    res.end(scripted.body);
  }

  const server = await startHttpDouble(handle);
  return {
    url: server.url,
    invocations,
    iamActions: () => invocations.map(() => "sagemaker:InvokeEndpoint"),
    answer: (endpointName, answer, variant) => {
      answers.set(variant ? `${endpointName}\n${variant}` : endpointName, answer);
    },
    close: () => server.close(),
  };
}
