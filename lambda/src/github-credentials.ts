import { createAppAuth } from "@octokit/auth-app";
import { request } from "@octokit/request";
import type { Clock } from "../../src/shared/clock.js";
import { errorMessage } from "../../src/shared/errors.js";

/** What the `GITHUB_TOKEN_SECRET_ARN` secret holds (docs/architecture.md "Callback dispatch"). */
export type GithubCredentials =
  | { readonly kind: "token"; readonly token: string }
  | {
      readonly kind: "app";
      readonly appId: string;
      readonly installationId: string;
      readonly privateKey: string;
    };

/** Returns a token that may call the dispatch API now. */
export type GetToken = () => Promise<string>;

/** The secret cannot be used; the message never quotes the secret itself. */
export class CredentialsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CredentialsError";
  }
}

/** How long a read secret is trusted, so a rotated secret is picked up without a redeploy. */
export const SECRET_CACHE_TTL_MS = 15 * 60_000;

const TOKEN = /^[\x21-\x7e]{1,4096}$/;
const NUMERIC_ID = /^\d{1,20}$/;

function readId(value: unknown): string | undefined {
  const text = typeof value === "number" ? String(value) : value;
  return typeof text === "string" && NUMERIC_ID.test(text.trim()) ? text.trim() : undefined;
}

function parseJsonSecret(text: string): GithubCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // V8's JSON errors quote the text they choke on: never pass them on.
    throw new CredentialsError("the GitHub secret starts with '{' but is not valid JSON");
  }
  const record =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if (typeof record.token === "string" && TOKEN.test(record.token.trim())) {
    return { kind: "token", token: record.token.trim() };
  }
  const appId = readId(record.appId);
  const installationId = readId(record.installationId);
  const key = typeof record.privateKey === "string" ? record.privateKey : "";
  if (appId && installationId && key.includes("PRIVATE KEY")) {
    // Keys pasted into a JSON string often keep their newlines as the two characters "\n".
    return { kind: "app", appId, installationId, privateKey: key.replace(/\\n/g, "\n") };
  }
  throw new CredentialsError(
    "the GitHub secret's JSON needs a 'token', or 'appId', 'installationId' and a PEM 'privateKey'",
  );
}

/** Reads the secret's value: a token, `{"token"}` or a GitHub App's `{"appId","installationId","privateKey"}`. */
export function parseGithubSecret(text: string): GithubCredentials {
  const value = text.trim();
  if (value.startsWith("{")) return parseJsonSecret(value);
  if (TOKEN.test(value)) return { kind: "token", token: value };
  throw new CredentialsError("the GitHub secret is empty or not a single-line token");
}

/** Options for {@link createTokenProvider}. */
export interface TokenProviderOptions {
  readonly readSecret: () => Promise<string>;
  /** GitHub's REST API root, also used for App installation tokens (GHES). */
  readonly apiUrl: string;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly cacheTtlMs?: number;
}

function tokenSource(credentials: GithubCredentials, options: TokenProviderOptions): GetToken {
  if (credentials.kind === "token") return async () => credentials.token;
  const auth = createAppAuth({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    installationId: credentials.installationId,
    request: request.defaults({ baseUrl: options.apiUrl, request: { fetch: options.fetch } }),
  });
  return async () => {
    try {
      // auth-app caches installation tokens (valid 1 h) and renews them shortly before expiry.
      const { token } = await auth({ type: "installation" });
      return token;
    } catch (error) {
      throw new CredentialsError(
        `GitHub App ${credentials.appId} could not get an installation token: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  };
}

/** A token getter that reads the secret once per container (renewed after a TTL). */
export function createTokenProvider(options: TokenProviderOptions): GetToken {
  const ttl = options.cacheTtlMs ?? SECRET_CACHE_TTL_MS;
  let cached: { readonly expires: number; readonly source: Promise<GetToken> } | undefined;
  return async () => {
    if (!cached || options.clock.now() >= cached.expires) {
      const source = options
        .readSecret()
        .then((text) => tokenSource(parseGithubSecret(text), options));
      cached = { expires: options.clock.now() + ttl, source };
      // A failed read is not cached: the next invocation tries again.
      source.catch(() => {
        if (cached?.source === source) cached = undefined;
      });
    }
    const getToken = await cached.source;
    return getToken();
  };
}
