import { readFileSync } from "node:fs";

/** A bench file's leading doc comment: what it measures, and its `Usage:` command. */
export interface BenchHeader {
  readonly description: string;
  readonly usage?: string;
}

/** Reads the leading `/** ... *\/` comment of a bench, so the doc never drifts from the code. */
export function readBenchHeader(path: string): BenchHeader {
  const comment = /^\s*\/\*\*([\s\S]*?)\*\//.exec(readFileSync(path, "utf8"))?.[1] ?? "";
  const lines = comment.split("\n").map((line) => line.replace(/^\s*\*\s?/, "").trimEnd());
  const usageLine = lines.find((line) => line.startsWith("Usage:"));
  const description = lines
    .filter((line) => line !== usageLine)
    .join("\n")
    .trim();
  return { description, usage: usageLine?.replace(/^Usage:\s*/, "") };
}
