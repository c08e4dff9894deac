import type { Log } from "../../src/ports.js";

/** A log that keeps nothing. */
export const silentLog: Log = { info: () => {}, warning: () => {}, debug: () => {} };

/** A log that keeps every line, by level, for tests that wait for or look for a line. */
export function recordingLog(): Log & { readonly lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  return {
    lines,
    info: (text) => lines.push({ level: "info", text }),
    warning: (text) => lines.push({ level: "warning", text }),
    debug: (text) => lines.push({ level: "debug", text }),
  };
}
