import type { Clock } from "../../src/shared/clock.js";
import { errorMessage } from "../../src/shared/errors.js";
import type { CallbackTarget } from "../../src/shared/handoff-payload.js";
import type { DispatchInputs } from "./dispatch-inputs.js";
import type { Log } from "./logger.js";

/** The REST API version the requests are written against. */
export const GITHUB_API_VERSION = "2022-11-28";

/** Retry tunables for the dispatch call. */
export const DISPATCH_RETRY = {
  maxAttempts: 5,
  /** Doubles per attempt. No jitter: one request per deployment outcome makes no herd. */
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  requestTimeoutMs: 10_000,
  /** GitHub: on a secondary rate limit without retry-after, wait at least a minute. */
  rateLimitWaitMs: 60_000,
} as const;

const MAX_REASON_LENGTH = 300;

/** Options for {@link dispatchWorkflow}. */
export interface DispatchOptions {
  readonly apiUrl: string;
  readonly token: string;
  readonly target: CallbackTarget;
  readonly inputs: DispatchInputs;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  /** No retry is started that could not finish before this time (epoch ms). */
  readonly deadline: number;
  readonly logger: Log;
}

/** How a dispatch ended. */
export type DispatchResult =
  | { readonly ok: true; readonly status: number; readonly attempts: number }
  | {
      readonly ok: false;
      readonly status?: number;
      readonly attempts: number;
      readonly reason: string;
    };

/** What one answer means: done, retry (after `waitMs`, or the backoff), or give up. */
export type AttemptVerdict =
  | { readonly kind: "done"; readonly status: number }
  | {
      readonly kind: "retry";
      readonly status?: number;
      readonly reason: string;
      readonly waitMs?: number;
    }
  | { readonly kind: "fail"; readonly status: number; readonly reason: string };

function readMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "message" in parsed) {
      return String((parsed as { message: unknown }).message).slice(0, MAX_REASON_LENGTH);
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): fall through to the raw text.
  }
  return body.replace(/\s+/g, " ").trim().slice(0, MAX_REASON_LENGTH);
}

function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long GitHub asks us to wait, when the answer is a rate limit: 429, or 403 with
 * `retry-after`, `x-ratelimit-remaining: 0` or a "rate limit" message (GitHub's documented rules).
 */
export function rateLimitWaitMs(
  status: number,
  headers: Headers,
  message: string,
  now: number,
): number | undefined {
  const after = retryAfterMs(headers, now);
  const exhausted = headers.get("x-ratelimit-remaining") === "0";
  const limited =
    status === 429 ||
    (status === 403 && (after !== undefined || exhausted || /rate limit/i.test(message)));
  if (!limited) return undefined;
  if (after !== undefined) return after;
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (exhausted && reset > 0) return Math.max(1_000, reset * 1000 - now);
  return DISPATCH_RETRY.rateLimitWaitMs;
}

/** Applies the retry rules of docs/architecture.md, "Callback dispatch" to one answer. */
export function judgeAnswer(
  status: number,
  headers: Headers,
  body: string,
  now: number,
): AttemptVerdict {
  if (status === 204 || status === 200) return { kind: "done", status };
  const message = readMessage(body);
  const reason = `GitHub answered ${status}${message ? `: ${message}` : ""}`;
  const waitMs = rateLimitWaitMs(status, headers, message, now);
  if (waitMs !== undefined) return { kind: "retry", status, reason, waitMs };
  if (status >= 500) return { kind: "retry", status, reason };
  return { kind: "fail", status, reason };
}

function dispatchUrl(apiUrl: string, target: CallbackTarget): string {
  const [owner = "", repo = ""] = target.repository.split("/");
  const path = [owner, repo].map(encodeURIComponent).join("/");
  return `${apiUrl}/repos/${path}/actions/workflows/${encodeURIComponent(target.workflow)}/dispatches`;
}

/** The headers of every GitHub REST call the companion makes. */
export function githubHeaders(token: string): Record<string, string> {
  return {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
    "user-agent": "sagemaker-deploy-companion",
    "x-github-api-version": GITHUB_API_VERSION,
  };
}

async function attempt(options: DispatchOptions): Promise<AttemptVerdict> {
  let response: Response;
  try {
    response = await options.fetch(dispatchUrl(options.apiUrl, options.target), {
      method: "POST",
      headers: githubHeaders(options.token),
      body: JSON.stringify({ ref: options.target.ref, inputs: options.inputs }),
      signal: AbortSignal.timeout(DISPATCH_RETRY.requestTimeoutMs),
    });
  } catch (error) {
    return { kind: "retry", reason: `GitHub could not be reached: ${errorMessage(error)}` };
  }
  const body = await response.text().catch(() => "");
  return judgeAnswer(response.status, response.headers, body, options.clock.now());
}

function backoffMs(attempts: number): number {
  return Math.min(DISPATCH_RETRY.maxDelayMs, DISPATCH_RETRY.baseDelayMs * 2 ** (attempts - 1));
}

/**
 * POSTs the workflow_dispatch of docs/architecture.md, "Callback dispatch". Retries 5xx, network errors and rate limits with
 * backoff (honouring GitHub's wait), never other 4xx; never throws.
 */
export async function dispatchWorkflow(options: DispatchOptions): Promise<DispatchResult> {
  const { clock, logger } = options;
  for (let attempts = 1; ; attempts += 1) {
    const verdict = await attempt(options);
    if (verdict.kind === "done") return { ok: true, status: verdict.status, attempts };
    if (verdict.kind === "fail")
      return { ok: false, status: verdict.status, attempts, reason: verdict.reason };
    const waitMs = verdict.waitMs ?? backoffMs(attempts);
    const outOfTime = clock.now() + waitMs + DISPATCH_RETRY.requestTimeoutMs > options.deadline;
    if (attempts >= DISPATCH_RETRY.maxAttempts || outOfTime) {
      const why = outOfTime
        ? `waiting ${Math.ceil(waitMs / 1000)}s more would outlast this invocation`
        : `${attempts} attempts`;
      return {
        ok: false,
        status: verdict.status,
        attempts,
        reason: `${verdict.reason} (gave up: ${why})`,
      };
    }
    logger.warn("workflow_dispatch failed; retrying", {
      reason: verdict.reason,
      attempt: attempts,
      retryInMs: waitMs,
    });
    await clock.sleep(waitMs);
  }
}
