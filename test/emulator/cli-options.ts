import { parseArgs } from "node:util";
import type { CreateOutcome, EmulatorOptions, Faults } from "./types.js";

/** Port `npm run emulator` listens on unless --port says otherwise. */
export const DEFAULT_CLI_PORT = 4599;

/** FailureReason of `--outcome Failed` unless --failure-reason says otherwise. */
export const DEFAULT_FAILURE_REASON =
  "The primary container for production variant AllTraffic did not pass the ping health check.";

/** Usage text of `npm run emulator`. */
export const USAGE = `Usage: npm run emulator -- [options]
  --port N             listen port (default ${DEFAULT_CLI_PORT}; 0 = random)
  --create-ms N        Creating lasts N ms (default 0)
  --update-ms N        Updating lasts N ms (default 0)
  --outcome S          creation ends InService | Failed | stuck (default InService)
  --failure-reason S   FailureReason for --outcome Failed
  --time-scale N       divide every duration by N (default 1)
  --throttle-rate R    0..1 of calls answer ThrottlingException
  --error-rate R       0..1 of calls answer 500 InternalFailure
  --drop-rate R        0..1 of calls lose their connection mid-answer
  --drop-after-rate R  0..1 of calls run, then lose their connection mid-answer
  --delay-ms N         delay every answer by N ms
  --seed N             seed of the fault PRNG
  --rate-limit N       max requests per second; excess answer ThrottlingException
  --account-id ID      account id in ARNs (default 123456789012)`;

const OUTCOMES = ["InService", "Failed", "stuck"] as const;

type Bounds = { min: number; max?: number; integer?: boolean; above?: boolean };

function numberFlag(
  flag: string,
  raw: string | boolean | undefined,
  bounds: Bounds,
): number | undefined {
  if (raw === undefined || typeof raw === "boolean") return undefined;
  const value = Number(raw);
  const tooLow = bounds.above ? value <= bounds.min : value < bounds.min;
  const invalid =
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    tooLow ||
    (bounds.max !== undefined && value > bounds.max) ||
    (bounds.integer === true && !Number.isInteger(value));
  if (!invalid) return value;
  const range = `${bounds.above ? ">" : ">="} ${bounds.min}${bounds.max === undefined ? "" : ` and <= ${bounds.max}`}`;
  throw new Error(
    `--${flag} must be ${bounds.integer ? "an integer" : "a number"} ${range}, got '${raw}'`,
  );
}

function createOutcome(outcome: string, afterMs: number, failureReason: string): CreateOutcome {
  if (outcome === "Failed") return { status: "Failed", afterMs, failureReason };
  if (outcome === "stuck") return { status: "stuck" };
  return { status: "InService", afterMs };
}

function faultsFrom(values: Record<string, string | boolean | undefined>): Faults | undefined {
  const rate = { min: 0, max: 1 };
  const faults: Faults = {
    throttleRate: numberFlag("throttle-rate", values["throttle-rate"], rate),
    serverErrorRate: numberFlag("error-rate", values["error-rate"], rate),
    dropRate: numberFlag("drop-rate", values["drop-rate"], rate),
    dropAfterHandlerRate: numberFlag("drop-after-rate", values["drop-after-rate"], rate),
    delayMs: numberFlag("delay-ms", values["delay-ms"], { min: 0 }),
    seed: numberFlag("seed", values.seed, { min: 0, integer: true }),
  };
  const given = Object.entries(faults).filter(([, v]) => v !== undefined);
  return given.length === 0 ? undefined : Object.fromEntries(given);
}

/** Options of the emulator CLI, from its argv; throws naming the bad flag. */
export function parseCliOptions(
  argv: readonly string[],
): EmulatorOptions & { port: number; help: boolean } {
  const string = { type: "string" } as const;
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: string,
      "create-ms": string,
      "update-ms": string,
      outcome: string,
      "failure-reason": string,
      "time-scale": string,
      "throttle-rate": string,
      "error-rate": string,
      "drop-rate": string,
      "drop-after-rate": string,
      "delay-ms": string,
      seed: string,
      "rate-limit": string,
      "account-id": string,
      help: { type: "boolean", short: "h" },
    },
  });
  const outcome = values.outcome ?? "InService";
  if (!(OUTCOMES as readonly string[]).includes(outcome)) {
    throw new Error(`--outcome must be one of ${OUTCOMES.join(", ")}, got '${outcome}'`);
  }
  const createMs = numberFlag("create-ms", values["create-ms"], { min: 0 }) ?? 0;
  const updateMs = numberFlag("update-ms", values["update-ms"], { min: 0 }) ?? 0;
  const failureReason = values["failure-reason"] ?? DEFAULT_FAILURE_REASON;
  return {
    help: values.help ?? false,
    port:
      numberFlag("port", values.port, { min: 0, max: 65535, integer: true }) ?? DEFAULT_CLI_PORT,
    accountId: values["account-id"],
    timeScale: numberFlag("time-scale", values["time-scale"], { min: 0, above: true }),
    rateLimit: numberFlag("rate-limit", values["rate-limit"], { min: 0, above: true }),
    faults: faultsFrom(values),
    defaultLifecycle: {
      create: createOutcome(outcome, createMs, failureReason),
      update: { status: "InService", afterMs: updateMs },
    },
  };
}
