import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { internalError } from "./api-error.js";
import { CONTROL_PREFIX, serveControl } from "./control.js";
import { EmulatorCore } from "./emulator-core.js";
import type { Emulator, EmulatorOptions } from "./types.js";
import { parseCall, readBody, writeAnswer } from "./wire.js";

/** The emulator's public types (Emulator, EmulatorOptions, Lifecycle, Faults, ...). */
export type * from "./types.js";

/** The only address the emulator listens on: it is a test tool, never a service. */
const HOST = "127.0.0.1";

/**
 * Idle keep-alive sockets live longer than any poll interval (AWS front ends keep them ~60 s);
 * Node's 5 s default races a client reusing a socket the server is closing (ECONNRESET).
 */
const KEEP_ALIVE_MS = 65_000;

async function route(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path.startsWith(CONTROL_PREFIX)) {
    serveControl(core, req.method ?? "GET", path, body, res);
    return;
  }
  writeAnswer(res, await core.answer(parseCall(req, body)));
}

function handle(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): void {
  route(core, req, res).catch((error: unknown) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    writeAnswer(res, { kind: "error", error: internalError(`Emulator bug: ${String(error)}`) });
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server, core: EmulatorCore): Promise<void> {
  core.clearTimers();
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}

/** Start a local SageMaker emulator on 127.0.0.1 speaking awsJson1_1, with test controls. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const core = new EmulatorCore(options);
  const timeouts = { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1000 };
  const server = createServer(timeouts, (req, res) => handle(core, req, res));
  const port = await listen(server, options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    get requests() {
      return core.requests;
    },
    get violations() {
      return core.violations;
    },
    setLifecycle: (name, lifecycle) => core.setLifecycle(name, lifecycle),
    setFaults: (faults) => core.setFaults(faults),
    failNext: (operation, error, count) => core.failNext(operation, error, count),
    seed: (resources) => core.seed(resources),
    setInstanceCount: (endpointName, variantName, count) =>
      core.setInstanceCount(endpointName, variantName, count),
    state: () => core.state(),
    mutatingRequests: () => core.mutatingRequests(),
    hold: (holdOptions) => core.hold(holdOptions),
    expireCredentials: (at) => core.expireCredentials(at),
    reset: () => core.reset(),
    close: () => {
      closing ??= closeServer(server, core);
      return closing;
    },
  };
}
