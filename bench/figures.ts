import { appendFileSync } from "node:fs";

/**
 * Where benches append their figures, one JSON object a line, for bench/index.ts to tabulate.
 * Unset when a bench runs on its own: it then only prints.
 */
export const RESULTS_FILE_ENV = "BENCH_RESULTS_FILE";

/** One measured figure, with its docs/architecture.md, "Budgets" budget when it has one. */
export interface Figure {
  /** The bench that measured it, e.g. "aws-cli". */
  readonly bench: string;
  readonly name: string;
  /** Formatted, e.g. "312.4 ms" or "1.71 MB". */
  readonly value: string;
  readonly budget?: string;
  /** Undefined for figures without a budget (a ratio, a count for context). */
  readonly within?: boolean;
  /** What the figure is made of (runs, median of what). */
  readonly note?: string;
}

/** "within" or "OVER", as every bench prints it. */
export function verdict(within: boolean): string {
  return within ? "within" : "OVER";
}

/** Prints a figure as one line and, under bench/index.ts, hands it over for the table. */
export function recordFigure(figure: Figure): void {
  const budget =
    figure.budget === undefined
      ? ""
      : ` (budget ${figure.budget}) ${verdict(figure.within ?? false)} budget`;
  const note = figure.note === undefined ? "" : ` [${figure.note}]`;
  console.log(`${figure.name}: ${figure.value}${budget}${note}`);
  const file = process.env[RESULTS_FILE_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}
