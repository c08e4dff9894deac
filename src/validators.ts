/** Quotes a user value for an error message: JSON-escaped (no newlines or control bytes), shortened. */
export function quote(value: string, max = 80): string {
  const short = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(short);
}

/** Replaces control characters so a value from AWS or a user cannot start a workflow command. */
export function printable(value: string): string {
  return value.replace(/\p{Cc}+/gu, " ");
}

/** Parses a whole, positive number in [min, max]; `undefined` when it is not one. */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** Parses YAML 1.2 core booleans as GitHub's `getBooleanInput` does. */
export function parseBoolean(text: string): boolean | undefined {
  if (["true", "True", "TRUE"].includes(text)) return true;
  if (["false", "False", "FALSE"].includes(text)) return false;
  return undefined;
}

/** One `KEY=VALUE` a line (blank lines and `#` comments skipped); problems name the line. */
export function parseKeyValueLines(text: string): {
  pairs: [string, string][];
  problems: string[];
} {
  const pairs: [string, string][] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const at = line.indexOf("=");
    if (at <= 0) {
      problems.push(`line ${index + 1} is not KEY=VALUE`);
      return;
    }
    pairs.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  });
  return { pairs, problems };
}
