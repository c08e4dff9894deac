/** Endpoint statuses as SageMaker spells them in DescribeEndpoint. */
export const ENDPOINT_STATUS = {
  creating: "Creating",
  updating: "Updating",
  systemUpdating: "SystemUpdating",
  rollingBack: "RollingBack",
  inService: "InService",
  outOfService: "OutOfService",
  deleting: "Deleting",
  failed: "Failed",
  updateRollbackFailed: "UpdateRollbackFailed",
} as const;

/** One of the statuses in ENDPOINT_STATUS. */
export type EndpointStatus = (typeof ENDPOINT_STATUS)[keyof typeof ENDPOINT_STATUS];

/** How a CreateEndpoint ends: InService or Failed after `afterMs`, or Creating forever. */
export type CreateOutcome =
  | { status: "InService"; afterMs: number }
  | { status: "Failed"; afterMs: number; failureReason: string }
  | { status: "stuck" };

/** How an UpdateEndpoint ends (RolledBack spends afterMs/2 in RollingBack, then InService on the old config). */
export type UpdateOutcome =
  | { status: "InService"; afterMs: number }
  | { status: "RolledBack"; afterMs: number; failureReason: string }
  | { status: "UpdateRollbackFailed"; afterMs: number; failureReason: string }
  | { status: "stuck" };

/**
 * Eventually consistent reads: for the next N DescribeEndpoint calls after a change, the
 * endpoint is answered as it was before the change (SageMaker's Describe calls may lag a write).
 */
export interface StaleReads {
  /** After CreateEndpoint: `Could not find endpoint "<name>".` for the next N reads. */
  afterCreate?: number;
  /**
   * After UpdateEndpoint: the pre-update view (its old status and config, old LastModifiedTime,
   * no PendingDeploymentSummary) for the next N reads.
   */
  afterUpdate?: number;
}

/** The scripted future of an endpoint's next create, update and delete. */
export interface Lifecycle {
  create?: CreateOutcome;
  update?: UpdateOutcome;
  deleteAfterMs?: number;
  /** Reads that lag this endpoint's next create or update (overrides Faults.staleReads). */
  staleReads?: StaleReads;
}

/**
 * Credentials that run out: from the moment one of the bounds is reached, every call answers
 * 400 ExpiredTokenException "The security token included in the request is expired".
 */
export interface CredentialExpiry {
  /** Expire once this many calls have been answered (calls of `counting` only, when given). */
  afterRequests?: number;
  /** The operations `afterRequests` counts (default: all). */
  counting?: string[];
  /** Expire at this time (epoch ms on the emulator's clock). */
  at?: number;
}

/** Randomised wire faults; all but dropAfterHandlerRate act before the operation's handler runs. */
export interface Faults {
  /** 0..1: answer 400 ThrottlingException "Rate exceeded". */
  throttleRate?: number;
  /** 0..1: answer 500 InternalFailure. */
  serverErrorRate?: number;
  /** Delay every answer by this many milliseconds. */
  delayMs?: number;
  /** 0..1: write the status line and part of the body, then destroy the socket. */
  dropRate?: number;
  /**
   * 0..1: run the handler (its state changes stay), then destroy the socket partway through its
   * answer, so the client retries a call that in fact went through (a create then meets
   * "Cannot create already existing …").
   */
  dropAfterHandlerRate?: number;
  /** Limit throttling, 5xx, drops and delays to these operations (default: all). */
  operations?: string[];
  /** Reads that lag every endpoint's create or update (a lifecycle's own staleReads wins). */
  staleReads?: StaleReads;
  /** The credentials expire; see {@link CredentialExpiry}. */
  credentialsExpire?: CredentialExpiry;
  /** Seed of the deterministic PRNG, so runs repeat. */
  seed?: number;
}

/** Options of startEmulator. */
export interface EmulatorOptions {
  /** Default 0: a random free port. The host is always 127.0.0.1. */
  port?: number;
  /** Default "123456789012". */
  accountId?: string;
  /** Default: create, update and delete all complete at once. */
  defaultLifecycle?: Lifecycle;
  /** Divide every afterMs by this (60: a "60-minute" creation takes 60 s). Default 1. */
  timeScale?: number;
  faults?: Faults;
  /** Max requests per second over all operations (token bucket); excess gets ThrottlingException. */
  rateLimit?: number;
  /** Clock in epoch milliseconds; default Date.now. Lifecycles are computed from it lazily. */
  now?: () => number;
}

/** Why a request did not simply reach its handler (or was slowed on the way). */
export type FaultKind =
  | "throttle"
  | "server-error"
  | "drop"
  | "drop-after"
  | "delay"
  | "rate-limit"
  | "injected"
  /** A DescribeEndpoint answered with the view from before the endpoint's create or update. */
  | "stale-read"
  /** Answered ExpiredTokenException: the credentials had expired. */
  | "expired-token"
  /** Held by {@link Emulator.hold} until released. */
  | "held";

/** A resource an API call names, with its tags as the call arrived (none: it did not exist). */
export interface RequestTarget {
  arn: string;
  tags?: Record<string, string>;
}

/**
 * One API call as the emulator saw it. `status` is 0 until the answer is written; for a
 * "drop-after" fault it is the status of the answer the handler gave (and the client never read).
 */
export interface RecordedRequest {
  operation: string;
  input: Record<string, unknown>;
  time: number;
  status: number;
  errorType?: string;
  /** The error answer's message, e.g. SageMaker's "Cannot create already existing …". */
  errorMessage?: string;
  fault?: FaultKind;
  /** The SDK's attempt number for this call (its `amz-sdk-request: attempt=N` header); >1 is a retry. */
  attempt?: number;
  /**
   * The resources the call names (CreateEndpoint and UpdateEndpoint: the endpoint and its config),
   * with their tags before the call ran: what IAM's `aws:ResourceTag/...` keys would see.
   */
  targets: RequestTarget[];
}

/** A snapshot of every resource the emulator holds. */
export interface EmulatorState {
  models: {
    name: string;
    arn: string;
    input: Record<string, unknown>;
    tags: Record<string, string>;
  }[];
  endpointConfigs: {
    name: string;
    arn: string;
    input: Record<string, unknown>;
    tags: Record<string, string>;
  }[];
  endpoints: {
    name: string;
    arn: string;
    status: string;
    configName: string;
    failureReason?: string;
    tags: Record<string, string>;
  }[];
}

/** An error to answer instead of running the handler. */
export interface InjectedError {
  type: string;
  message: string;
  /** Default 400. */
  status?: number;
}

/** An endpoint that existed before the run. */
export interface SeedEndpoint {
  EndpointName: string;
  EndpointConfigName: string;
  /** Default "InService"; Creating, Updating, SystemUpdating and Deleting follow the endpoint's lifecycle. */
  status?: string;
  failureReason?: string;
  Tags?: { Key: string; Value: string }[];
}

/** Resources that existed "before the run". */
export interface SeedResources {
  /** CreateModel-shaped inputs (plain objects or the SDK's CreateModelCommandInput). */
  models?: readonly object[];
  /** CreateEndpointConfig-shaped inputs. */
  endpointConfigs?: readonly object[];
  endpoints?: SeedEndpoint[];
}

/** Which calls {@link Emulator.hold} holds back. */
export interface HoldOptions {
  /** The operations to hold, e.g. ["DescribeEndpoint", "DescribeModel"]. */
  operations: string[];
  /** Hold at most this many calls (default: every matching call until released). */
  count?: number;
}

/** Calls held before their handler runs, until the test lets them go. */
export interface Hold {
  /** How many calls are held right now. */
  readonly held: number;
  /** Resolves once `n` calls (default: `count`, else 1) have arrived and are held. */
  arrived(n?: number): Promise<void>;
  /** Lets every held call through to its handler, and stops holding new ones. */
  release(): void;
}

/** A running emulator and the knobs a test turns. */
export interface Emulator {
  /** "http://127.0.0.1:PORT" */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** Things real AWS allows but a careful deploy never does, e.g. deleting a config in use. */
  readonly violations: readonly string[];
  /** Script the next create/update/delete of one endpoint (call before seeding a busy endpoint). */
  setLifecycle(endpointName: string, lifecycle: Lifecycle): void;
  setFaults(faults: Faults | undefined): void;
  /** Answer the next `count` (default 1) calls of `operation` with this error. */
  failNext(operation: string, error: InjectedError, count?: number): void;
  seed(resources: SeedResources): void;
  /**
   * Autoscaling set a running variant's instance count (e.g. scaled it out to 4): DescribeEndpoint
   * shows it as CurrentInstanceCount and DesiredInstanceCount until an update moves the endpoint
   * to another config.
   */
  setInstanceCount(endpointName: string, variantName: string, count: number): void;
  state(): EmulatorState;
  /** Create*, Update*, Delete* and AddTags calls that reached the handler. */
  mutatingRequests(): RecordedRequest[];
  /** Holds matching calls (recorded as they arrive) before their handler runs, until released. */
  hold(options: HoldOptions): Hold;
  /** From now on (or from `at`, epoch ms on the emulator's clock) every call answers ExpiredTokenException. */
  expireCredentials(at?: number): void;
  /** Forget all state, requests, violations, lifecycles, faults, holds (released) and failNext errors. */
  reset(): void;
  close(): Promise<void>;
}
