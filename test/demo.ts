/**
 * `npm run demo`: runs the committed dist/index.js exactly as a runner would, against the local
 * SageMaker emulator, and prints what a user would see on GitHub: the step's log (workflow
 * commands rendered as the log viewer shows them, debug lines hidden), the outputs later steps
 * read, and the job summary rendered as text. Each entry of RUNS is one step run against its
 * own emulator.
 */

import { type ActionRun, demoInputs, runAction } from "./e2e/run-action.js";
import { type EmulatorOptions, startEmulator } from "./emulator/server.js";

/** One step run of the demo. */
interface DemoRun {
  readonly title: string;
  /** What the run shows, in a sentence or two. */
  readonly about: string;
  /** How the emulator plays the endpoint for this run. */
  readonly emulator: EmulatorOptions;
  /** Inputs by their action.yml name, as the step's `with:` gives them. */
  readonly inputs: Readonly<Record<string, string>>;
  /** The exit code that means the run showed what it should. */
  readonly expectedExitCode: number;
}

const CREATING_MS = 4_000;

/** The spec of the production-shaped run, inline as a workflow would give it. */
const PRODUCTION_SPEC = `endpoint-config:
  ProductionVariants:
    - VariantName: Current
      InstanceType: ml.m5.xlarge
      InitialInstanceCount: 2
      InitialVariantWeight: 0.9
      ContainerStartupHealthCheckTimeoutInSeconds: 600
    - VariantName: Candidate
      InstanceType: ml.m5.xlarge
      InitialInstanceCount: 1
      InitialVariantWeight: 0.1
  DataCaptureConfig:
    EnableCapture: true
    InitialSamplingPercentage: 20
    DestinationS3Uri: s3://demo-capture/churn/
    CaptureOptions: [{ CaptureMode: Input }, { CaptureMode: Output }]
autoscaling:
  Current:
    min: 2
    max: 6
    policies:
      - metric: SageMakerVariantInvocationsPerInstance
        target: 70
`;

const RUNS: readonly DemoRun[] = [
  {
    title: "A new endpoint",
    about: `The endpoint does not exist yet: the action creates the model, the endpoint config and the endpoint, which stays Creating for ${CREATING_MS / 1000} s, and waits until it is InService.`,
    emulator: { defaultLifecycle: { create: { status: "InService", afterMs: CREATING_MS } } },
    inputs: demoInputs({ "endpoint-name": "demo-fraud-scorer" }),
    expectedExitCode: 0,
  },
  {
    title: "A production-shaped endpoint from a spec",
    about:
      "A spec gives two weighted variants (90/10), data capture and autoscaling for the main variant, in SageMaker's own member names; the simple inputs fill in the image and the role. The plan is shown before any change, and autoscaling is registered once the endpoint is InService.",
    emulator: { defaultLifecycle: { create: { status: "InService", afterMs: CREATING_MS } } },
    inputs: demoInputs({
      "endpoint-name": "demo-churn-scorer",
      "instance-type": "",
      spec: PRODUCTION_SPEC,
    }),
    expectedExitCode: 0,
  },
];

const RULE = "─".repeat(78);

/** Undoes the escaping of workflow command data (`%25`, `%0D`, `%0A`). */
function unescapeData(text: string): string {
  return text.replaceAll("%0D", "\r").replaceAll("%0A", "\n").replaceAll("%25", "%");
}

const LABELS: Readonly<Record<string, string>> = {
  warning: "Warning",
  error: "Error",
  notice: "Notice",
};

/** Commands the log viewer acts on without showing a line. */
const SILENT_COMMANDS = new Set(["add-mask", "set-output", "save-state", "echo"]);

/**
 * The step's log as GitHub's log viewer shows it: `::group::` as a heading with its lines
 * indented under it, warnings and errors labelled, debug lines and masks hidden.
 */
function renderLog(raw: string): string {
  const shown: string[] = [];
  let indent = "";
  let debugLines = 0;
  let stopToken: string | undefined;
  for (const line of raw.replace(/\n$/, "").split("\n")) {
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      else shown.push(indent + line);
      continue;
    }
    const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    const [, name = "", data = ""] = command ?? [];
    if (!command) shown.push(indent + line);
    else if (name === "debug") debugLines += 1;
    else if (name === "group") {
      shown.push(`▾ ${unescapeData(data)}`);
      indent = "  ";
    } else if (name === "endgroup") indent = "";
    else if (name === "stop-commands") stopToken = data;
    else if (LABELS[name]) {
      const [first = "", ...rest] = unescapeData(data).split(/\r?\n/);
      shown.push(`${indent}${LABELS[name]}: ${first}`, ...rest.map((l) => `${indent}  ${l}`));
    } else if (!SILENT_COMMANDS.has(name)) shown.push(indent + line);
  }
  if (debugLines > 0)
    shown.push(
      `(${debugLines} debug line${debugLines === 1 ? "" : "s"} hidden: GitHub shows them only with step debug logging on)`,
    );
  return shown.join("\n");
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Markdown inline markup and HTML as the text a reader sees: link text, no tags, no entities. */
function inlineText(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) =>
      String.fromCodePoint(Number.parseInt(code, 16)),
    )
    .replace(/&([a-z]+);/gi, (entity, name: string) => ENTITIES[name.toLowerCase()] ?? entity);
}

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => inlineText(cell.trim().replaceAll("\\|", "|")));
}

/** A Markdown table as aligned columns, the header underlined. */
function renderTable(rows: readonly string[]): string[] {
  const body = rows.filter((row) => !/^\s*\|?\s*:?-{3,}/.test(row)).map(tableCells);
  const widths: number[] = [];
  for (const cells of body)
    cells.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - [...cell].length))
      .join("  ")
      .trimEnd();
  const [header, ...rest] = body;
  if (!header) return [];
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rest.map(line)];
}

/** The job summary (Markdown with some HTML) as the text GitHub's rendering shows. */
function renderSummary(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inlineText(heading[2] ?? "");
      out.push(
        text,
        (heading[1] === "#" || heading[1] === "##" ? "═" : "─").repeat([...text].length),
      );
    } else if (line.trim().startsWith("|")) {
      const rows: string[] = [];
      while ((lines[i] ?? "").trim().startsWith("|")) rows.push(lines[i++] ?? "");
      i -= 1;
      out.push(...renderTable(rows));
    } else if (/^\s*[-*]\s+/.test(line)) {
      out.push(`• ${inlineText(line.replace(/^\s*[-*]\s+/, ""))}`);
    } else {
      const text = inlineText(line);
      // Lines made only of tags (e.g. <details>) leave nothing to read.
      if (text.trim() !== "" || line.trim() === "") out.push(text);
    }
  }
  return out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function indentBlock(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? "" : `  ${line}`))
    .join("\n");
}

function printRun(run: DemoRun, result: ActionRun, index: number): void {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const verdict = result.exitCode === 0 ? "succeeded" : `failed (exit code ${result.exitCode})`;
  console.log(`\n${RULE}\nRun ${index + 1} of ${RUNS.length}: ${run.title}\n${RULE}`);
  console.log(`${run.about}\n`);
  console.log("Step log, as GitHub shows it:\n");
  console.log(indentBlock(renderLog(result.stdout + result.stderr)));
  console.log(`\nThe step ${verdict} after ${seconds} s.`);
  console.log("\nOutputs (what later steps read as steps.<id>.outputs):\n");
  const width = Math.max(0, ...Object.keys(result.outputs).map((name) => name.length));
  const continued = `\n${" ".repeat(width + 4)}`;
  for (const [name, value] of Object.entries(result.outputs))
    console.log(`  ${name.padEnd(width)}  ${value.split("\n").join(continued)}`);
  console.log("\nJob summary, as GitHub renders it:\n");
  console.log(indentBlock(renderSummary(result.summary)));
}

async function demo(run: DemoRun): Promise<ActionRun> {
  const emulator = await startEmulator(run.emulator);
  try {
    return await runAction({ inputs: run.inputs, sagemakerUrl: emulator.url });
  } finally {
    await emulator.close();
  }
}

console.log(
  "The committed dist/index.js, run as a GitHub runner runs it, against the local SageMaker emulator.",
);
let unexpected = 0;
for (const [index, run] of RUNS.entries()) {
  const result = await demo(run);
  printRun(run, result, index);
  if (result.exitCode !== run.expectedExitCode) {
    unexpected += 1;
    console.log(`\nUnexpected: this run should have ended with exit code ${run.expectedExitCode}.`);
  }
}
process.exitCode = unexpected === 0 ? 0 : 1;
