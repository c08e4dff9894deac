import { parseStaleReads } from "./lifecycle.js";
import { isRecord } from "./shapes.js";
import type { CredentialExpiry, Faults, InjectedError } from "./types.js";

/** The seed used when Faults.seed is not given, so runs repeat by default. */
export const DEFAULT_FAULT_SEED = 0x5eed;

/** mulberry32: a tiny seeded PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The first seed whose PRNG draws fall below `rate` exactly where `hits` is true, to script which
 * calls a rate-based fault hits (e.g. rate 0.5, [true, false]: the first call faulted, its retry not).
 */
export function seedForDraws(rate: number, hits: readonly boolean[]): number {
  for (let seed = 0; ; seed++) {
    const random = mulberry32(seed);
    if (hits.every((hit) => random() < rate === hit)) return seed;
  }
}

/** A random fault: instead of running the handler, or ("drop-after") after running it. */
export type RandomFault = "throttle" | "server-error" | "drop" | "drop-after";

/** Decides, request by request, which random fault (if any) to inject. */
export class FaultInjector {
  private readonly random: () => number;

  constructor(private readonly faults: Faults | undefined) {
    this.random = mulberry32(faults?.seed ?? DEFAULT_FAULT_SEED);
  }

  private appliesTo(operation: string): boolean {
    const only = this.faults?.operations;
    return this.faults !== undefined && (only === undefined || only.includes(operation));
  }

  /** Milliseconds to hold this answer back. */
  delayFor(operation: string): number {
    return this.appliesTo(operation) ? (this.faults?.delayMs ?? 0) : 0;
  }

  /**
   * One draw of the PRNG decides among throttle, server error, drop and drop-after, so a seed
   * replays exactly (and adding a rate that is 0 leaves the others' draws as they were).
   */
  draw(operation: string): RandomFault | undefined {
    if (!this.appliesTo(operation)) return undefined;
    const r = this.random();
    const throttle = this.faults?.throttleRate ?? 0;
    const serverError = throttle + (this.faults?.serverErrorRate ?? 0);
    const drop = serverError + (this.faults?.dropRate ?? 0);
    const dropAfter = drop + (this.faults?.dropAfterHandlerRate ?? 0);
    if (r < throttle) return "throttle";
    if (r < serverError) return "server-error";
    if (r < drop) return "drop";
    if (r < dropAfter) return "drop-after";
    return undefined;
  }
}

/** A token bucket holding up to one second of requests; refills continuously. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = Math.max(1, perSecond);
    this.last = this.now();
  }

  /** Take one token; false when the rate is exceeded. */
  take(): boolean {
    const now = this.now();
    const capacity = Math.max(1, this.perSecond);
    this.tokens = Math.min(capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Errors queued by failNext, per operation, answered first in, first out. */
export class FailNextQueue {
  private readonly queues = new Map<string, InjectedError[]>();

  /** Queue `count` copies of the error for the operation. */
  push(operation: string, error: InjectedError, count = 1): void {
    const queue = this.queues.get(operation) ?? [];
    for (let i = 0; i < count; i++) queue.push(error);
    this.queues.set(operation, queue);
  }

  /** The next queued error for the operation, removed from the queue. */
  take(operation: string): InjectedError | undefined {
    return this.queues.get(operation)?.shift();
  }

  clear(): void {
    this.queues.clear();
  }
}

/**
 * Decides when the credentials have run out (Faults.credentialsExpire, or expireCredentials):
 * from then on every call is refused, as AWS refuses an expired session token.
 */
export class CredentialExpiryClock {
  private answered = 0;
  private expiresAt: number | undefined;

  constructor(
    private readonly expiry: CredentialExpiry | undefined,
    private readonly now: () => number,
  ) {
    this.expiresAt = expiry?.at;
  }

  /** Expire from `at` (default: now) on, whatever the configured bounds say. */
  expireAt(at = this.now()): void {
    this.expiresAt = Math.min(this.expiresAt ?? at, at);
  }

  /** True when a call arriving now must be refused. */
  expired(): boolean {
    const after = this.expiry?.afterRequests;
    if (after !== undefined && this.answered >= after) return true;
    return this.expiresAt !== undefined && this.now() >= this.expiresAt;
  }

  /** Counts a call that was answered while the credentials were good. */
  count(operation: string): void {
    const counting = this.expiry?.counting;
    if (counting === undefined || counting.includes(operation)) this.answered += 1;
  }
}

const RATES = ["throttleRate", "serverErrorRate", "dropRate", "dropAfterHandlerRate"] as const;

function parseCredentialExpiry(value: unknown): CredentialExpiry {
  if (!isRecord(value)) throw new Error("faults.credentialsExpire must be an object");
  for (const field of ["afterRequests", "at"] as const) {
    const v = value[field];
    if (v !== undefined && (typeof v !== "number" || !(v >= 0))) {
      throw new Error(
        `faults.credentialsExpire.${field} must be a number >= 0, got ${JSON.stringify(v)}`,
      );
    }
  }
  const counting = value.counting;
  if (
    counting !== undefined &&
    !(Array.isArray(counting) && counting.every((op) => typeof op === "string"))
  ) {
    throw new Error("faults.credentialsExpire.counting must be a list of operation names");
  }
  return value as CredentialExpiry;
}

/** Check faults that arrived as JSON (control API, CLI); null or absent means none. */
export function parseFaults(value: unknown): Faults | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error("faults must be an object or null");
  for (const rate of RATES) {
    const v = value[rate];
    if (v !== undefined && (typeof v !== "number" || !(v >= 0 && v <= 1))) {
      throw new Error(`faults.${rate} must be a number from 0 to 1, got ${JSON.stringify(v)}`);
    }
  }
  for (const field of ["delayMs", "seed"] as const) {
    const v = value[field];
    if (v !== undefined && (typeof v !== "number" || !(v >= 0))) {
      throw new Error(`faults.${field} must be a number >= 0, got ${JSON.stringify(v)}`);
    }
  }
  const ops = value.operations;
  if (ops !== undefined && !(Array.isArray(ops) && ops.every((op) => typeof op === "string"))) {
    throw new Error("faults.operations must be a list of operation names");
  }
  if (value.staleReads !== undefined) parseStaleReads(value.staleReads, "faults.staleReads");
  if (value.credentialsExpire !== undefined) parseCredentialExpiry(value.credentialsExpire);
  return value as Faults;
}
