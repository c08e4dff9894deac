/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Formats milliseconds with one decimal. */
export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** Formats a byte count in KB/MB (1 MB = 1 000 000 bytes, as budgets are written). */
export function bytes(value: number): string {
  return value >= 1_000_000
    ? `${(value / 1_000_000).toFixed(2)} MB`
    : `${(value / 1000).toFixed(0)} KB`;
}
