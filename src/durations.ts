const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;

/**
 * Parses a duration such as `90s`, `45m`, `1h30m` or `2h`; a bare number means minutes.
 * Returns milliseconds, or `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * UNIT_MS.m);
  const match = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(value);
  if (!match || value === "") return undefined;
  const [, hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(hours) * UNIT_MS.h + Number(minutes) * UNIT_MS.m + Number(seconds) * UNIT_MS.s;
}

/** Formats milliseconds as `1h02m03s`, `4m05s` or `7s` for logs and summaries. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(seconds)}s`;
  if (minutes > 0) return `${minutes}m${pad(seconds)}s`;
  return `${seconds}s`;
}
