import { isRecord } from "./shapes.js";
import type {
  CreateOutcome,
  EndpointStatus,
  Lifecycle,
  StaleReads,
  UpdateOutcome,
} from "./types.js";
import { ENDPOINT_STATUS } from "./types.js";

/** A lifecycle with every part filled in. */
export type ResolvedLifecycle = Required<Lifecycle>;

/** Create, update and delete all complete at once. */
export const DEFAULT_LIFECYCLE: ResolvedLifecycle = {
  create: { status: "InService", afterMs: 0 },
  update: { status: "InService", afterMs: 0 },
  deleteAfterMs: 0,
  staleReads: {},
};

/** A change an endpoint goes through at `at` (epoch ms). */
export interface Step {
  at: number;
  status?: EndpointStatus;
  configName?: string;
  failureReason?: string;
  clearPending?: boolean;
  /** The config an UpdateRollbackFailed endpoint may still partly serve. */
  partlyOn?: string;
  remove?: boolean;
}

/** What DescribeEndpoint showed before a create ("not-found") or an update. */
export type PastView =
  | "not-found"
  | {
      status: EndpointStatus;
      configName: string;
      failureReason?: string;
      lastModifiedTime: number;
    };

/** The part of an endpoint that a lifecycle drives. */
export interface EndpointProgress {
  status: EndpointStatus;
  configName: string;
  failureReason?: string;
  /** SageMaker's PendingDeploymentSummary: the config an update is moving to. */
  pending?: { configName: string; startTime: number };
  lastModifiedTime: number;
  /**
   * After UpdateRollbackFailed, the config the endpoint was moving to: some instances may serve
   * it, so deleting it is a violation.
   */
  partlyOn?: string;
  /** Reads still to answer from before the last create or update (Lifecycle.staleReads). */
  lag?: { reads: number; view: PastView };
  /** Future changes, oldest first. Status is computed lazily from them, so no timers run. */
  steps: Step[];
}

/** When a transition starts and how fast the emulator's time runs. */
export interface Clock {
  start: number;
  timeScale: number;
}

/** Later layers override earlier ones, part by part. */
export function resolveLifecycle(...layers: (Lifecycle | undefined)[]): ResolvedLifecycle {
  const resolved = { ...DEFAULT_LIFECYCLE };
  for (const layer of layers) {
    if (layer?.create !== undefined) resolved.create = layer.create;
    if (layer?.update !== undefined) resolved.update = layer.update;
    if (layer?.deleteAfterMs !== undefined) resolved.deleteAfterMs = layer.deleteAfterMs;
    if (layer?.staleReads !== undefined) resolved.staleReads = layer.staleReads;
  }
  return resolved;
}

function after(clock: Clock, afterMs: number): number {
  return clock.start + afterMs / clock.timeScale;
}

function createSteps(outcome: CreateOutcome, clock: Clock): Step[] {
  switch (outcome.status) {
    case "InService":
      return [{ at: after(clock, outcome.afterMs), status: ENDPOINT_STATUS.inService }];
    case "Failed":
      return [
        {
          at: after(clock, outcome.afterMs),
          status: ENDPOINT_STATUS.failed,
          failureReason: outcome.failureReason,
        },
      ];
    case "stuck":
      return [];
  }
}

function updateSteps(outcome: UpdateOutcome, newConfig: string, clock: Clock): Step[] {
  switch (outcome.status) {
    case "InService":
      return [
        {
          at: after(clock, outcome.afterMs),
          status: ENDPOINT_STATUS.inService,
          configName: newConfig,
          clearPending: true,
        },
      ];
    case "RolledBack": {
      // SageMaker spends a while rolling back; half the update's time is a fair stand-in.
      const failed = {
        at: after(clock, outcome.afterMs),
        status: ENDPOINT_STATUS.rollingBack,
        failureReason: outcome.failureReason,
        clearPending: true,
      };
      return [
        failed,
        { at: after(clock, outcome.afterMs * 1.5), status: ENDPOINT_STATUS.inService },
      ];
    }
    case "UpdateRollbackFailed":
      return [
        {
          at: after(clock, outcome.afterMs),
          status: ENDPOINT_STATUS.updateRollbackFailed,
          failureReason: outcome.failureReason,
          clearPending: true,
          partlyOn: newConfig,
        },
      ];
    case "stuck":
      return [];
  }
}

function begin(endpoint: EndpointProgress, status: EndpointStatus, start: number): void {
  endpoint.status = status;
  endpoint.failureReason = undefined;
  endpoint.pending = undefined;
  endpoint.partlyOn = undefined;
  endpoint.lag = undefined;
  endpoint.lastModifiedTime = start;
}

/** The endpoint as DescribeEndpoint shows it now, to answer lagging reads with later. */
export function currentView(endpoint: EndpointProgress): PastView {
  return {
    status: endpoint.status,
    configName: endpoint.configName,
    ...(endpoint.failureReason === undefined ? {} : { failureReason: endpoint.failureReason }),
    lastModifiedTime: endpoint.lastModifiedTime,
  };
}

/** Makes the next `reads` DescribeEndpoint calls answer `view` (nothing when `reads` is 0). */
export function lagReads(endpoint: EndpointProgress, reads: number | undefined, view: PastView) {
  endpoint.lag = reads !== undefined && reads > 0 ? { reads, view } : undefined;
}

/** Takes one lagging read: the past view to answer, or undefined when reads are current. */
export function takeLaggingRead(endpoint: EndpointProgress): PastView | undefined {
  const lag = endpoint.lag;
  if (lag === undefined || lag.reads <= 0) return undefined;
  lag.reads -= 1;
  if (lag.reads === 0) endpoint.lag = undefined;
  return lag.view;
}

/** Creating now, then what the outcome says. */
export function startCreate(
  endpoint: EndpointProgress,
  outcome: CreateOutcome,
  clock: Clock,
): void {
  begin(endpoint, ENDPOINT_STATUS.creating, clock.start);
  endpoint.steps = createSteps(outcome, clock);
}

/** Updating now (still on the old config, the new one pending), then what the outcome says. */
export function startUpdate(
  endpoint: EndpointProgress,
  outcome: UpdateOutcome,
  newConfig: string,
  clock: Clock,
): void {
  begin(endpoint, ENDPOINT_STATUS.updating, clock.start);
  endpoint.pending = { configName: newConfig, startTime: clock.start };
  endpoint.steps = updateSteps(outcome, newConfig, clock);
}

/** Deleting now, gone after `afterMs`. */
export function startDelete(endpoint: EndpointProgress, afterMs: number, clock: Clock): void {
  begin(endpoint, ENDPOINT_STATUS.deleting, clock.start);
  endpoint.steps = [{ at: after(clock, afterMs), remove: true }];
}

/** Apply every step due by `now`; false when the endpoint is gone. */
export function settle(endpoint: EndpointProgress, now: number): boolean {
  while (endpoint.steps.length > 0 && (endpoint.steps[0]?.at ?? Number.POSITIVE_INFINITY) <= now) {
    const step = endpoint.steps.shift() as Step;
    if (step.remove) return false;
    if (step.status !== undefined) endpoint.status = step.status;
    if (step.configName !== undefined) endpoint.configName = step.configName;
    if (step.failureReason !== undefined) endpoint.failureReason = step.failureReason;
    if (step.clearPending) endpoint.pending = undefined;
    if (step.partlyOn !== undefined) endpoint.partlyOn = step.partlyOn;
    endpoint.lastModifiedTime = step.at;
  }
  return true;
}

/** Terminal statuses of each outcome kind, and whether they need a failureReason. */
const OUTCOME_STATUSES = {
  create: { InService: false, Failed: true },
  update: { InService: false, RolledBack: true, UpdateRollbackFailed: true },
} as const;

function isOutcome(value: unknown, statuses: Readonly<Record<string, boolean>>): boolean {
  if (!isRecord(value) || typeof value.status !== "string") return false;
  if (value.status === "stuck") return true;
  const needsReason = statuses[value.status];
  if (needsReason === undefined || typeof value.afterMs !== "number") return false;
  return !needsReason || typeof value.failureReason === "string";
}

/** Check a lifecycle that arrived as JSON (control API); throws naming the bad part. */
export function parseLifecycle(value: unknown): Lifecycle {
  if (!isRecord(value)) throw new Error("lifecycle must be an object");
  if (value.create !== undefined && !isOutcome(value.create, OUTCOME_STATUSES.create)) {
    throw new Error(`lifecycle.create is not a CreateOutcome: ${JSON.stringify(value.create)}`);
  }
  if (value.update !== undefined && !isOutcome(value.update, OUTCOME_STATUSES.update)) {
    throw new Error(`lifecycle.update is not an UpdateOutcome: ${JSON.stringify(value.update)}`);
  }
  if (value.deleteAfterMs !== undefined && typeof value.deleteAfterMs !== "number") {
    throw new Error("lifecycle.deleteAfterMs must be a number");
  }
  if (value.staleReads !== undefined) parseStaleReads(value.staleReads, "lifecycle.staleReads");
  return value as Lifecycle;
}

/** Check StaleReads that arrived as JSON; throws naming the bad part. */
export function parseStaleReads(value: unknown, where: string): StaleReads {
  if (!isRecord(value)) throw new Error(`${where} must be an object`);
  for (const field of ["afterCreate", "afterUpdate"] as const) {
    const reads = value[field];
    if (reads !== undefined && !(Number.isInteger(reads) && (reads as number) >= 0)) {
      throw new Error(
        `${where}.${field} must be a whole number of reads, got ${JSON.stringify(reads)}`,
      );
    }
  }
  return value as StaleReads;
}
