import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { Ajv, type ValidateFunction } from "ajv";

/** The REST operations the double serves, as GitHub's OpenAPI description names their paths. */
export const GITHUB_OPERATIONS = {
  dispatch: {
    path: "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/,
  },
  accessToken: {
    path: "/app/installations/{installation_id}/access_tokens",
    pattern: /^\/app\/installations\/([^/]+)\/access_tokens$/,
  },
  createDeployment: {
    path: "/repos/{owner}/{repo}/deployments",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/deployments$/,
  },
  createDeploymentStatus: {
    path: "/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/deployments\/([^/]+)\/statuses$/,
  },
} as const;

export type GithubOperation = keyof typeof GITHUB_OPERATIONS;

/** An answer the test scripts for the next call of an operation. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** One request as the double saw it, with every way it broke GitHub's contract. */
export interface RecordedGithubRequest {
  readonly operation: GithubOperation | "unknown";
  readonly method: string;
  readonly path: string;
  /** Path parameters, URL-decoded (owner, repo, workflow_id / installation_id). */
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Schema and protocol problems; empty for a request GitHub would accept. */
  readonly problems: readonly string[];
  readonly status: number;
}

/** A GitHub App the double issues installation tokens for. */
export interface DoubleApp {
  readonly appId: string;
  readonly installationId: string;
  /** PEM or key object that verifies the app's JWTs (RS256). */
  readonly publicKey: string | KeyObject;
  /** The installation token handed out (and then accepted on dispatches). */
  readonly installationToken: string;
}

/** Options of {@link startGithubApiDouble}. */
export interface GithubApiOptions {
  /** Bearer tokens accepted on dispatches; anything else gets 401 "Bad credentials". */
  readonly tokens?: readonly string[];
  /** The callback workflow's `on.workflow_dispatch.inputs`; GitHub answers 422 to unknown or missing required ones. */
  readonly workflowInputs?: Readonly<Record<string, { readonly required?: boolean }>>;
  /** Most inputs accepted: 10 is GHES's limit (github.com's is 25). */
  readonly maxInputs?: number;
  readonly app?: DoubleApp;
}

/** A Deployment the double holds, with the statuses set on it, oldest first. */
export interface DoubleDeployment {
  readonly id: number;
  readonly owner: string;
  readonly repo: string;
  readonly ref: string;
  readonly environment: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly statuses: Readonly<Record<string, unknown>>[];
}

/** A running GitHub REST API double. */
export interface GithubApiDouble {
  /** "http://127.0.0.1:PORT", for GITHUB_API_URL. */
  readonly url: string;
  readonly requests: readonly RecordedGithubRequest[];
  /** The dispatch requests GitHub would have accepted as well-formed (whatever was answered). */
  dispatches(): RecordedGithubRequest[];
  /** The well-formed dispatches answered 200 or 204: the workflow runs that were started. */
  acceptedDispatches(): RecordedGithubRequest[];
  /** The Deployments created (well-formed and accepted), each with its statuses. */
  deployments(): readonly DoubleDeployment[];
  /** Answer the next calls of `operation` with these, in order; then the default success. */
  script(operation: GithubOperation, ...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
/** Only versions GitHub supports are accepted; others get 400 like the real API. */
const SUPPORTED_API_VERSIONS = new Set(["2022-11-28"]);
const MAX_JWT_LIFETIME_S = 600;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type OpenApi = {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: Json }> } }>
  >;
  components: { schemas: Record<string, Json> };
};

let openApi: Promise<OpenApi> | undefined;

/** GitHub's own description of api.github.com, from npm `@octokit/openapi` (read once per process). */
function loadOpenApi(): Promise<OpenApi> {
  openApi ??= (async () => {
    const file = createRequire(import.meta.url).resolve(
      "@octokit/openapi/generated/api.github.com.json",
    );
    return JSON.parse(await readFile(file, "utf8")) as OpenApi;
  })();
  return openApi;
}

/** Replaces `#/components/schemas/X` references with the schemas themselves. */
function inlineRefs(schema: Json, components: Record<string, Json>, seen: string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((item) => inlineRefs(item, components, seen));
  if (schema === null || typeof schema !== "object") return schema;
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const name = ref.replace("#/components/schemas/", "");
    const target = components[name];
    if (target === undefined || seen.includes(name)) return {};
    return inlineRefs(target, components, [...seen, name]);
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, inlineRefs(value, components, seen)]),
  );
}

async function compileRequestSchemas(): Promise<Record<GithubOperation, ValidateFunction>> {
  const spec = await loadOpenApi();
  const ajv = new Ajv({ strict: false, allErrors: true });
  const compile = (operation: GithubOperation) => {
    const path = spec.paths[GITHUB_OPERATIONS[operation].path];
    const schema = path?.post?.requestBody?.content?.["application/json"]?.schema;
    if (schema === undefined) throw new Error(`OpenAPI has no request body for ${operation}`);
    return ajv.compile(inlineRefs(schema, spec.components.schemas) as object);
  };
  const operations = Object.keys(GITHUB_OPERATIONS) as GithubOperation[];
  return Object.fromEntries(operations.map((op) => [op, compile(op)])) as Record<
    GithubOperation,
    ValidateFunction
  >;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function write(res: ServerResponse, answer: ScriptedAnswer): void {
  const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(body ? { "content-type": "application/json; charset=utf-8" } : {}),
    "x-github-request-id": `DOUBLE:${Math.random().toString(16).slice(2, 10)}`,
    ...answer.headers,
  });
  res.end(body);
}

function githubError(status: number, message: string): ScriptedAnswer {
  return {
    status,
    body: { message, documentation_url: "https://docs.github.com/rest", status: String(status) },
  };
}

function bearer(headers: Readonly<Record<string, string>>): string | undefined {
  return /^(?:Bearer|token) (\S+)$/i.exec(headers.authorization ?? "")?.[1];
}

function checkCommonHeaders(headers: Readonly<Record<string, string>>, problems: string[]): void {
  if (!/application\/(vnd\.github(\+json)?|json)/.test(headers.accept ?? "")) {
    problems.push(`accept '${headers.accept ?? ""}' is not application/vnd.github+json`);
  }
  const version = headers["x-github-api-version"];
  if (version !== undefined && !SUPPORTED_API_VERSIONS.has(version)) {
    problems.push(`x-github-api-version '${version}' is not supported`);
  }
  if (!headers["user-agent"]) problems.push("user-agent is missing (GitHub requires one)");
  if (!(headers["content-type"] ?? "").startsWith("application/json")) {
    problems.push(`content-type '${headers["content-type"] ?? ""}' is not application/json`);
  }
}

function checkBody(validate: ValidateFunction, text: string, problems: string[]): unknown {
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    problems.push("body is not JSON");
    return undefined;
  }
  if (!validate(body)) {
    for (const error of validate.errors ?? []) {
      problems.push(`body${error.instancePath} ${error.message ?? "is invalid"} (OpenAPI)`);
    }
  }
  return body;
}

function checkInputs(
  body: unknown,
  options: GithubApiOptions,
  problems: string[],
): string | undefined {
  const inputs = (body as { inputs?: unknown } | undefined)?.inputs;
  if (inputs === undefined || inputs === null || typeof inputs !== "object") return undefined;
  const entries = Object.entries(inputs);
  const max = options.maxInputs ?? 10;
  if (entries.length > max) problems.push(`${entries.length} inputs; at most ${max} are accepted`);
  for (const [name, value] of entries) {
    if (typeof value !== "string")
      problems.push(`input '${name}' is a ${typeof value}, not a string`);
  }
  const declared = options.workflowInputs;
  if (!declared) return undefined;
  const unexpected = entries.map(([name]) => name).filter((name) => !(name in declared));
  if (unexpected.length > 0) return `Unexpected inputs provided: ${JSON.stringify(unexpected)}`;
  const missing = Object.entries(declared).find(
    ([name, spec]) => spec.required && !(name in inputs),
  );
  return missing ? `Required input '${missing[0]}' not provided` : undefined;
}

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(segment ?? "", "base64url").toString("utf8")) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
}

/** Checks an app JWT as GitHub does: RS256, signed by the app's key, iss = app id, ≤ 10 minutes. */
function checkAppJwt(token: string | undefined, app: DoubleApp): string | undefined {
  const [header, payload, signature] = (token ?? "").split(".");
  if (!header || !payload || !signature) return "A JSON web token could not be decoded";
  if (decodeSegment(header).alg !== "RS256") return "'alg' must be RS256";
  const key = typeof app.publicKey === "string" ? createPublicKey(app.publicKey) : app.publicKey;
  const signed = Buffer.from(`${header}.${payload}`);
  if (!verify("RSA-SHA256", signed, key, Buffer.from(signature, "base64url"))) {
    return "A JSON web token could not be decoded";
  }
  const claims = decodeSegment(payload);
  if (String(claims.iss) !== app.appId) return "'Issuer' claim ('iss') must be the app id";
  const lifetime = Number(claims.exp) - Number(claims.iat);
  if (!(lifetime > 0 && lifetime <= MAX_JWT_LIFETIME_S)) {
    return "'Expiration time' claim ('exp') is too far in the future";
  }
  return undefined;
}

interface Served {
  readonly operation: GithubOperation | "unknown";
  readonly params: Record<string, string>;
  readonly body: unknown;
  readonly problems: string[];
  readonly answer: ScriptedAnswer;
}

type Context = {
  readonly options: GithubApiOptions;
  readonly validators: Record<GithubOperation, ValidateFunction>;
  readonly next: (operation: GithubOperation) => ScriptedAnswer | undefined;
  readonly deployments: DoubleDeployment[];
};

function serveDispatch(
  ctx: Context,
  match: RegExpExecArray,
  headers: Record<string, string>,
  text: string,
): Served {
  const [, owner = "", repo = "", workflow = ""] = match.map((part) => decodeURIComponent(part));
  const params = { owner, repo, workflow_id: workflow };
  const problems: string[] = [];
  checkCommonHeaders(headers, problems);
  const body = checkBody(ctx.validators.dispatch, text, problems);
  const rejection = checkInputs(body, ctx.options, problems);
  const base = { operation: "dispatch" as const, params, body, problems };
  const token = bearer(headers);
  const tokens = [
    ...(ctx.options.tokens ?? []),
    ...(ctx.options.app ? [ctx.options.app.installationToken] : []),
  ];
  if (!token || (tokens.length > 0 && !tokens.includes(token))) {
    return { ...base, answer: githubError(401, "Bad credentials") };
  }
  if (problems.length > 0)
    return { ...base, answer: githubError(422, `Invalid request.\n\n${problems.join("\n")}`) };
  if (rejection) return { ...base, answer: githubError(422, rejection) };
  return { ...base, answer: ctx.next("dispatch") ?? { status: 204 } };
}

function serveAccessToken(
  ctx: Context,
  match: RegExpExecArray,
  headers: Record<string, string>,
  text: string,
): Served {
  const installationId = decodeURIComponent(match[1] ?? "");
  const problems: string[] = [];
  checkCommonHeaders(
    { ...headers, "content-type": headers["content-type"] ?? "application/json" },
    problems,
  );
  const body = checkBody(ctx.validators.accessToken, text, problems);
  const base = {
    operation: "accessToken" as const,
    params: { installation_id: installationId },
    body,
    problems,
  };
  const app = ctx.options.app;
  if (!app) return { ...base, answer: githubError(404, "Not Found") };
  const jwtProblem = checkAppJwt(bearer(headers), app);
  if (jwtProblem) return { ...base, answer: githubError(401, jwtProblem) };
  if (installationId !== app.installationId) {
    return { ...base, answer: githubError(404, "Not Found") };
  }
  if (problems.length > 0) {
    return { ...base, answer: githubError(422, `Invalid request.\n\n${problems.join("\n")}`) };
  }
  const expires = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const success = {
    status: 201,
    body: {
      token: app.installationToken,
      expires_at: expires,
      permissions: { actions: "write" },
      repository_selection: "selected",
    },
  };
  return { ...base, answer: ctx.next("accessToken") ?? success };
}

/** Checks headers, body and token as for a dispatch; the failure answer, if any. */
function checkRepoCall(
  ctx: Context,
  operation: GithubOperation,
  headers: Record<string, string>,
  text: string,
): { body: unknown; problems: string[]; refusal?: ScriptedAnswer } {
  const problems: string[] = [];
  checkCommonHeaders(headers, problems);
  const body = checkBody(ctx.validators[operation], text, problems);
  const token = bearer(headers);
  const tokens = ctx.options.tokens ?? [];
  if (!token || (tokens.length > 0 && !tokens.includes(token))) {
    return { body, problems, refusal: githubError(401, "Bad credentials") };
  }
  if (problems.length > 0) {
    return {
      body,
      problems,
      refusal: githubError(422, `Invalid request.\n\n${problems.join("\n")}`),
    };
  }
  return { body, problems };
}

function serveCreateDeployment(
  ctx: Context,
  match: RegExpExecArray,
  headers: Record<string, string>,
  text: string,
): Served {
  const [, owner = "", repo = ""] = match.map((part) => decodeURIComponent(part));
  const { body, problems, refusal } = checkRepoCall(ctx, "createDeployment", headers, text);
  const base = { operation: "createDeployment" as const, params: { owner, repo }, body, problems };
  if (refusal) return { ...base, answer: refusal };
  const scripted = ctx.next("createDeployment");
  if (scripted) return { ...base, answer: scripted };
  const input = body as Record<string, unknown>;
  const id = 1_000_000 + ctx.deployments.length + 1;
  const environment = typeof input.environment === "string" ? input.environment : "production";
  const ref = String(input.ref);
  ctx.deployments.push({ id, owner, repo, ref, environment, body: input, statuses: [] });
  const url = `https://api.github.com/repos/${owner}/${repo}/deployments/${id}`;
  const now = new Date().toISOString();
  return {
    ...base,
    answer: {
      status: 201,
      body: {
        url,
        id,
        node_id: `DE_${id}`,
        sha: ref,
        ref,
        task: input.task ?? "deploy",
        payload: input.payload ?? {},
        original_environment: environment,
        environment,
        description: input.description ?? null,
        creator: null,
        created_at: now,
        updated_at: now,
        statuses_url: `${url}/statuses`,
        repository_url: `https://api.github.com/repos/${owner}/${repo}`,
        transient_environment: input.transient_environment ?? false,
        production_environment: input.production_environment ?? environment === "production",
      },
    },
  };
}

function serveCreateDeploymentStatus(
  ctx: Context,
  match: RegExpExecArray,
  headers: Record<string, string>,
  text: string,
): Served {
  const [, owner = "", repo = "", deploymentId = ""] = match.map((part) =>
    decodeURIComponent(part),
  );
  const { body, problems, refusal } = checkRepoCall(ctx, "createDeploymentStatus", headers, text);
  const params = { owner, repo, deployment_id: deploymentId };
  const base = { operation: "createDeploymentStatus" as const, params, body, problems };
  if (refusal) return { ...base, answer: refusal };
  const input = body as Record<string, unknown>;
  if (typeof input.description === "string" && input.description.length > 140) {
    problems.push("description is longer than 140 characters");
    return {
      ...base,
      answer: githubError(
        422,
        "Validation Failed: description is too long (maximum is 140 characters)",
      ),
    };
  }
  const deployment = ctx.deployments.find(
    (d) => String(d.id) === deploymentId && d.owner === owner && d.repo === repo,
  );
  if (!deployment) return { ...base, answer: githubError(404, "Not Found") };
  const scripted = ctx.next("createDeploymentStatus");
  if (scripted) return { ...base, answer: scripted };
  deployment.statuses.push(input);
  const id = deployment.statuses.length;
  return {
    ...base,
    answer: {
      status: 201,
      body: {
        url: `https://api.github.com/repos/${owner}/${repo}/deployments/${deployment.id}/statuses/${id}`,
        id,
        node_id: `DES_${id}`,
        state: input.state,
        description: input.description ?? "",
        environment: input.environment ?? deployment.environment,
        environment_url: input.environment_url ?? "",
        log_url: input.log_url ?? "",
        target_url: input.log_url ?? "",
        creator: null,
        deployment_url: `https://api.github.com/repos/${owner}/${repo}/deployments/${deployment.id}`,
        repository_url: `https://api.github.com/repos/${owner}/${repo}`,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      },
    },
  };
}

function serve(
  ctx: Context,
  method: string,
  path: string,
  headers: Record<string, string>,
  text: string,
): Served {
  const dispatch = GITHUB_OPERATIONS.dispatch.pattern.exec(path);
  if (method === "POST" && dispatch) return serveDispatch(ctx, dispatch, headers, text);
  const token = GITHUB_OPERATIONS.accessToken.pattern.exec(path);
  if (method === "POST" && token) return serveAccessToken(ctx, token, headers, text);
  const status = GITHUB_OPERATIONS.createDeploymentStatus.pattern.exec(path);
  if (method === "POST" && status) return serveCreateDeploymentStatus(ctx, status, headers, text);
  const deployment = GITHUB_OPERATIONS.createDeployment.pattern.exec(path);
  if (method === "POST" && deployment) return serveCreateDeployment(ctx, deployment, headers, text);
  return {
    operation: "unknown",
    params: {},
    body: text,
    problems: [`${method} ${path} is not served`],
    answer: githubError(404, "Not Found"),
  };
}

/**
 * Starts a local stand-in for GitHub's REST API on 127.0.0.1: workflow_dispatch, App
 * installation tokens, and Deployments with their statuses. Every request body is checked against GitHub's OpenAPI description;
 * problems are recorded and answered as GitHub would (401, 404, 422).
 */
export async function startGithubApiDouble(
  options: GithubApiOptions = {},
): Promise<GithubApiDouble> {
  const validators = await compileRequestSchemas();
  const requests: RecordedGithubRequest[] = [];
  const queues: Record<GithubOperation, ScriptedAnswer[]> = {
    dispatch: [],
    accessToken: [],
    createDeployment: [],
    createDeploymentStatus: [],
  };
  const deployments: DoubleDeployment[] = [];
  const ctx: Context = {
    options,
    validators,
    next: (operation) => queues[operation].shift(),
    deployments,
  };
  const server = createServer((req, res) => {
    readBody(req)
      .then((text) => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const headers = flatHeaders(req);
        const method = req.method ?? "GET";
        const served = serve(ctx, method, path, headers, text);
        requests.push({ ...served, method, path, headers, status: served.answer.status });
        write(res, served.answer);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    requests,
    dispatches: () => requests.filter((r) => r.operation === "dispatch" && r.problems.length === 0),
    acceptedDispatches: () =>
      requests.filter(
        (r) =>
          r.operation === "dispatch" &&
          r.problems.length === 0 &&
          (r.status === 200 || r.status === 204),
      ),
    deployments: () => deployments,
    script: (operation, ...answers) => {
      queues[operation].push(...answers);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
