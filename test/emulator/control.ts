import type { ServerResponse } from "node:http";
import type { EmulatorControls } from "./emulator-core.js";
import { parseFaults } from "./faults.js";
import { parseLifecycle } from "./lifecycle.js";
import { asRecord, isRecord } from "./shapes.js";
import type { Hold, SeedResources } from "./types.js";
import { writeJson } from "./wire.js";

/** Path prefix of the control API; never subject to faults, never recorded. */
export const CONTROL_PREFIX = "/__emulator/";

type ControlRoute = (emulator: EmulatorControls, body: unknown) => unknown;

/** Holds made over HTTP, per emulator, released together by `POST release`. */
const httpHolds = new WeakMap<EmulatorControls, Hold[]>();

function holdsOf(emulator: EmulatorControls): Hold[] {
  const holds = httpHolds.get(emulator) ?? [];
  httpHolds.set(emulator, holds);
  return holds;
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw new Error(`${field} must be a string`);
  return value;
}

function failNext(emulator: EmulatorControls, body: unknown): unknown {
  const input = asRecord(body);
  const error = asRecord(input.error);
  const status = typeof error.status === "number" ? error.status : undefined;
  const count = typeof input.count === "number" ? input.count : 1;
  const injected = {
    type: requireString(error, "type"),
    message: requireString(error, "message"),
    status,
  };
  emulator.failNext(requireString(input, "operation"), injected, count);
  return {};
}

/** `METHOD /__emulator/<name>` → what it does. */
const ROUTES: Readonly<Record<string, ControlRoute>> = {
  "GET state": (emulator) => emulator.state(),
  "GET requests": (emulator) => emulator.requests,
  "GET violations": (emulator) => emulator.violations,
  "POST lifecycle": (emulator, body) => {
    const input = asRecord(body);
    emulator.setLifecycle(requireString(input, "endpointName"), parseLifecycle(input.lifecycle));
    return {};
  },
  "POST faults": (emulator, body) => {
    emulator.setFaults(parseFaults(body));
    return {};
  },
  "POST fail-next": failNext,
  "POST hold": (emulator, body) => {
    const input = asRecord(body);
    const operations = input.operations;
    if (!Array.isArray(operations) || !operations.every((op) => typeof op === "string")) {
      throw new Error("operations must be a list of operation names");
    }
    const count = typeof input.count === "number" ? input.count : undefined;
    holdsOf(emulator).push(
      emulator.hold({ operations, ...(count === undefined ? {} : { count }) }),
    );
    return {};
  },
  "GET held": (emulator) => ({
    held: holdsOf(emulator).reduce((sum, hold) => sum + hold.held, 0),
  }),
  "POST release": (emulator) => {
    for (const hold of holdsOf(emulator).splice(0)) hold.release();
    return {};
  },
  "POST expire-credentials": (emulator, body) => {
    const at = asRecord(body).at;
    if (at !== undefined && typeof at !== "number") throw new Error("at must be epoch ms");
    emulator.expireCredentials(at);
    return {};
  },
  "POST instance-count": (emulator, body) => {
    const input = asRecord(body);
    if (typeof input.count !== "number") throw new Error("count must be a number");
    emulator.setInstanceCount(
      requireString(input, "endpointName"),
      requireString(input, "variantName"),
      input.count,
    );
    return {};
  },
  "POST seed": (emulator, body) => {
    if (!isRecord(body)) throw new Error("seed body must be an object");
    emulator.seed(body as SeedResources);
    return emulator.state();
  },
  "POST reset": (emulator) => {
    emulator.reset();
    return {};
  },
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  writeJson(res, status, body, { "content-type": "application/json" });
}

function parseBody(body: string): unknown {
  return body.trim() === "" ? undefined : JSON.parse(body);
}

/** Answer one control request with JSON: 200, 400 `{message}` for bad input, 404 for unknown routes. */
export function serveControl(
  emulator: EmulatorControls,
  method: string,
  path: string,
  body: string,
  res: ServerResponse,
): void {
  const route = ROUTES[`${method} ${path.slice(CONTROL_PREFIX.length)}`];
  if (route === undefined) {
    reply(res, 404, { message: `No control route ${method} ${path}` });
    return;
  }
  try {
    reply(res, 200, route(emulator, parseBody(body)) ?? {});
  } catch (error) {
    reply(res, 400, { message: error instanceof Error ? error.message : String(error) });
  }
}
