import { parseDuration } from "./durations.js";
import { parseBoolean, quote } from "./validators.js";

/** A bare number is minutes only up to this; a larger one is refused as ambiguous. */
export const MAX_BARE_MINUTES = 60;

/** Reads one raw input by its action.yml name ("" when unset). */
export type InputReader = (name: string) => string;

/** Collects problems while reading; each names its input. Every input module reads through one. */
export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly read: InputReader) {}

  text(name: string, options: { required?: boolean; fallback?: string } = {}): string | undefined {
    const value = this.read(name).trim() || options.fallback;
    if (!value && options.required) this.problems.push(`${name}: required`);
    return value || undefined;
  }

  raw(name: string): string {
    return this.read(name);
  }

  matching(name: string, pattern: RegExp, hint: string, required = false): string | undefined {
    const value = this.text(name, { required });
    if (value !== undefined && !pattern.test(value)) this.fail(name, value, hint);
    return value;
  }

  fail(name: string, value: string, hint: string): void {
    this.problems.push(`${name}: ${quote(value)} ${hint}`);
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.text(name);
    if (value === undefined) return fallback;
    const parsed = parseBoolean(value);
    if (parsed === undefined) this.fail(name, value, "is not a boolean (use true or false)");
    return parsed ?? fallback;
  }

  duration(name: string, fallback: string, min: number, max: number, range: string): number {
    const value = this.text(name, { fallback }) ?? fallback;
    const ms = parseDuration(value);
    if (ms === undefined) this.fail(name, value, "is not a duration (e.g. 90s, 45m, 1h30m)");
    else if (/^\d+(\.\d+)?$/.test(value.trim()) && Number(value) > MAX_BARE_MINUTES) {
      // `wait-timeout: 300` would be five hours; nobody writing 300 means that.
      this.fail(name, value, `needs a unit: write ${value.trim()}s or ${value.trim()}m`);
    } else if (ms < min || ms > max) this.fail(name, value, `must be between ${range}`);
    return ms ?? 0;
  }
}
