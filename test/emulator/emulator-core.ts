import { ApiError, ERROR_TYPE, internalError, throttlingError } from "./api-error.js";
import { setInstanceCount } from "./autoscaling-operations.js";
import type { RandomFault } from "./faults.js";
import { CredentialExpiryClock, FailNextQueue, FaultInjector, TokenBucket } from "./faults.js";
import { Holds } from "./holds.js";
import { resolveLifecycle } from "./lifecycle.js";
import type { ArnKind, Handler, OperationContext } from "./operation-context.js";
import { ARN_KIND, arnOf } from "./operation-context.js";
import { findHandler, isMutating } from "./operations.js";
import { seedResources } from "./seed.js";
import { ResourceStore } from "./store.js";
import type {
  Emulator,
  EmulatorOptions,
  EmulatorState,
  FaultKind,
  Faults,
  Hold,
  HoldOptions,
  InjectedError,
  Lifecycle,
  RecordedRequest,
  RequestTarget,
  SeedResources,
} from "./types.js";
import type { Answer, FullAnswer } from "./wire.js";

/** Region used when a request carries no SigV4 credential scope, and for seeded resources. */
export const DEFAULT_REGION = "us-east-1";

/** Account id in ARNs unless EmulatorOptions.accountId says otherwise. */
export const DEFAULT_ACCOUNT_ID = "123456789012";

/** An API call as the HTTP layer parsed it; `input` is undefined when the body was not a JSON object. */
export interface ApiCall {
  operation: string;
  input: Record<string, unknown> | undefined;
  region: string;
  /** The SDK's attempt number (`amz-sdk-request`), when the client sent one. */
  attempt?: number;
}

/** The emulator without its HTTP server: what every control acts on. */
export type EmulatorControls = Omit<Emulator, "url" | "close">;

interface Decision {
  answer: Answer;
  fault?: FaultKind;
  /** True when the operation's handler ran (whatever it answered). */
  handled?: boolean;
}

function fail(error: ApiError, fault?: FaultKind): Decision {
  return { answer: { kind: "error", error }, fault };
}

/** The request members that name a resource, and the kind of resource each names. */
const TARGET_MEMBERS: readonly (readonly [string, ArnKind])[] = [
  ["ModelName", ARN_KIND.model],
  ["EndpointConfigName", ARN_KIND.endpointConfig],
  ["EndpointName", ARN_KIND.endpoint],
];

/** AWS's answer to a call signed with an expired session token. */
function expiredTokenError(): ApiError {
  return new ApiError(
    ERROR_TYPE.expiredToken,
    "The security token included in the request is expired",
  );
}

function randomFaultAnswer(fault: Exclude<RandomFault, "drop-after">): Answer {
  if (fault === "throttle") return { kind: "error", error: throttlingError() };
  if (fault === "server-error") return { kind: "error", error: internalError() };
  return { kind: "drop" };
}

/** State, lifecycles, faults and the request log; answers API calls (see server.ts for HTTP). */
export class EmulatorCore implements EmulatorControls {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  private readonly store: ResourceStore;
  private readonly lifecycles = new Map<string, Lifecycle>();
  private readonly failures = new FailNextQueue();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly handled = new WeakSet<RecordedRequest>();
  private readonly now: () => number;
  private readonly holds = new Holds();
  private faultOptions: Faults | undefined;
  private faults: FaultInjector;
  private credentials: CredentialExpiryClock;
  private rateLimiter: TokenBucket | undefined;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.now = options.now ?? Date.now;
    this.store = new ResourceStore(this.now);
    this.faultOptions = options.faults;
    this.faults = new FaultInjector(options.faults);
    this.credentials = new CredentialExpiryClock(options.faults?.credentialsExpire, this.now);
    this.rateLimiter = this.newRateLimiter();
  }

  /** Record the call, apply faults, run the handler; the answer to write back. */
  async answer(call: ApiCall): Promise<Answer> {
    const record: RecordedRequest = {
      operation: call.operation,
      input: call.input ?? {},
      time: this.now(),
      status: 0,
      ...(call.attempt === undefined ? {} : { attempt: call.attempt }),
      targets: this.targetsOf(call),
    };
    this.requests.push(record);
    const { answer, fault, handled } = await this.decide(call);
    if (handled) this.handled.add(record);
    // A connection cut after the handler records what the handler answered; the client never read it.
    const written = answer.kind === "drop" ? answer.partOf : answer;
    record.status = written?.kind === "error" ? written.error.status : 200;
    if (written?.kind === "error") {
      record.errorType = written.error.type;
      record.errorMessage = written.error.message;
    }
    if (fault !== undefined) record.fault = fault;
    return answer;
  }

  /** The resources a call names, with a copy of their tags as it arrives (for the IAM check). */
  private targetsOf(call: ApiCall): RequestTarget[] {
    const input = call.input ?? {};
    const ctx = this.context(call.region);
    const arns = TARGET_MEMBERS.flatMap(([member, kind]) =>
      typeof input[member] === "string" ? [arnOf(ctx, kind, input[member])] : [],
    );
    if (typeof input.ResourceArn === "string") arns.push(input.ResourceArn);
    // A model package version is named by its ARN (a group name is no resource of its own).
    if (typeof input.ModelPackageName === "string" && input.ModelPackageName.startsWith("arn:"))
      arns.push(input.ModelPackageName);
    // Application Auto Scaling names a variant as `endpoint/<name>/variant/<variant>`.
    const scaled = /^endpoint\/([^/]+)\/variant\//.exec(String(input.ResourceId ?? ""))?.[1];
    if (scaled !== undefined) arns.push(arnOf(ctx, ARN_KIND.endpoint, scaled));
    return arns.map((arn) => {
      const tags = this.store.byArn(arn)?.tags;
      return tags === undefined ? { arn } : { arn, tags: { ...tags } };
    });
  }

  private async decide(call: ApiCall): Promise<Decision> {
    const handler = findHandler(call.operation);
    if (handler === undefined) {
      const message = `Operation '${call.operation}' is not supported by this emulator.`;
      return fail(new ApiError(ERROR_TYPE.unknownOperation, message));
    }
    if (call.input === undefined) {
      return fail(new ApiError(ERROR_TYPE.serialization, "Request body is not a JSON object."));
    }
    const held = await this.holds.pass(call.operation);
    if (this.credentials.expired()) return fail(expiredTokenError(), "expired-token");
    this.credentials.count(call.operation);
    if (this.rateLimiter !== undefined && !this.rateLimiter.take()) {
      return fail(throttlingError(), "rate-limit");
    }
    const delay = this.faults.delayFor(call.operation);
    if (delay > 0) await this.sleep(delay);
    const injected = this.failures.take(call.operation);
    if (injected !== undefined) {
      return fail(
        new ApiError(injected.type, injected.message, injected.status ?? 400),
        "injected",
      );
    }
    const fault = this.faults.draw(call.operation);
    if (fault === "drop-after") {
      const partOf = this.run(handler, call.region, call.input);
      return { answer: { kind: "drop", partOf: partOf.answer }, fault, handled: true };
    }
    if (fault !== undefined) return { answer: randomFaultAnswer(fault), fault };
    const { answer, noted } = this.run(handler, call.region, call.input);
    const slowed = delay > 0 ? "delay" : held ? "held" : undefined;
    return { answer, fault: noted ?? slowed, handled: true };
  }

  /** Runs the handler; `noted` is a fault it played itself (a stale read). */
  private run(
    handler: Handler,
    region: string,
    input: Record<string, unknown>,
  ): { answer: FullAnswer; noted?: FaultKind } {
    let noted: FaultKind | undefined;
    const ctx = { ...this.context(region), noteFault: (kind: FaultKind) => (noted = kind) };
    try {
      return { answer: { kind: "ok", body: handler(ctx, input) }, noted };
    } catch (error) {
      if (error instanceof ApiError) return { answer: { kind: "error", error }, noted };
      // A bug in the emulator: answer like AWS would, but say what broke.
      const bug = internalError(`Emulator bug: ${String(error)}`);
      return { answer: { kind: "error", error: bug }, noted };
    }
  }

  private context(region: string): OperationContext {
    return {
      store: this.store,
      region,
      accountId: this.options.accountId ?? DEFAULT_ACCOUNT_ID,
      now: this.now(),
      timeScale: this.options.timeScale ?? 1,
      lifecycleFor: (name) =>
        resolveLifecycle(
          this.options.defaultLifecycle,
          { staleReads: this.faultOptions?.staleReads },
          this.lifecycles.get(name.toLowerCase()),
        ),
      recordViolation: (message) => this.violations.push(message),
      noteFault: () => {},
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.timers.add(timer);
    });
  }

  private newRateLimiter(): TokenBucket | undefined {
    const rate = this.options.rateLimit;
    return rate === undefined || rate <= 0 ? undefined : new TokenBucket(rate, this.options.now);
  }

  setLifecycle(endpointName: string, lifecycle: Lifecycle): void {
    this.lifecycles.set(endpointName.toLowerCase(), lifecycle);
  }

  setFaults(faults: Faults | undefined): void {
    this.faultOptions = faults;
    this.faults = new FaultInjector(faults);
    this.credentials = new CredentialExpiryClock(faults?.credentialsExpire, this.now);
  }

  hold(options: HoldOptions): Hold {
    return this.holds.add(options);
  }

  expireCredentials(at?: number): void {
    this.credentials.expireAt(at);
  }

  failNext(operation: string, error: InjectedError, count = 1): void {
    this.failures.push(operation, error, count);
  }

  seed(resources: SeedResources): void {
    seedResources(this.context(DEFAULT_REGION), resources);
  }

  setInstanceCount(endpointName: string, variantName: string, count: number): void {
    setInstanceCount(this.context(DEFAULT_REGION), endpointName, variantName, count);
  }

  state(): EmulatorState {
    return this.store.snapshot();
  }

  mutatingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => isMutating(r.operation) && this.handled.has(r));
  }

  reset(): void {
    this.store.clear();
    this.requests.length = 0;
    this.violations.length = 0;
    this.lifecycles.clear();
    this.failures.clear();
    this.holds.releaseAll();
    this.setFaults(undefined);
    this.rateLimiter = this.newRateLimiter();
  }

  /** Cancel pending delayed answers (their connections are closed with the server). */
  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.holds.releaseAll();
  }
}
