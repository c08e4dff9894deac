import { formatDuration } from "./durations.js";
import { PLAN_RESOURCE, type Plan, type RunReport } from "./report.js";
import { consoleLinks } from "./shared/console-links.js";

const RESULT_TEXT = {
  success: "✅ InService",
  failure: "❌ Failed",
  timeout: "⏱️ Still provisioning at the wait-timeout",
  cancelled: "🛑 Cancelled",
  "handed-off": "➡️ Handed off to the companion Lambda",
  "not-waited": "▶️ Started (wait: false)",
  "dry-run": "📝 Dry run: planned, nothing changed",
} as const;

/**
 * Makes text from AWS or a user inert in Markdown: no table breaks, HTML, links, images,
 * emphasis or @-mentions (a FailureReason like `[Re-run with admin creds](…)` stays text).
 */
function escapeCell(value: string): string {
  return value
    .replace(/[&|<>[\]()`*_~@\\!#]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\r\n]+/g, " ");
}

function link(url: string, text: string): string {
  return `<a href="${url}">${escapeCell(text)}</a>`;
}

/** The plan as Markdown: what will be created or updated, and each change. */
function renderPlan(plan: Plan): string[] {
  const verb = { create: "Create", update: "Update", unchanged: "Leave unchanged" }[plan.operation];
  return [
    `### Plan${plan.dryRun ? " (dry run)" : ""}`,
    "",
    `- ${verb} endpoint ${escapeCell(plan.endpointName)} with endpoint config ${escapeCell(plan.endpointConfigName)} (${PLAN_RESOURCE[plan.endpointConfig]}) and model ${escapeCell(plan.modelName)} (${PLAN_RESOURCE[plan.model]})`,
    ...plan.changes.map((change) => `- ${escapeCell(change)}`),
    ...plan.removals.map((removal) => `- ⚠️ removes ${escapeCell(removal)}`),
    ...plan.notes.map((note) => `- ${escapeCell(note)}`),
  ];
}

/** The job summary: resources with ARNs and console links, the status timeline, the result. */
export function renderSummary(report: RunReport): string {
  const r = report.region;
  const rows: string[][] = [];
  if (report.modelName)
    rows.push([
      "Model",
      link(consoleLinks.model(r, report.modelName), report.modelName),
      report.model ?? "not created",
      report.modelArn ?? "",
    ]);
  if (report.endpointConfigName) {
    rows.push([
      "Endpoint config",
      link(consoleLinks.endpointConfig(r, report.endpointConfigName), report.endpointConfigName),
      report.endpointConfig ?? "not created",
      report.endpointConfigArn ?? "",
    ]);
  }
  rows.push([
    "Endpoint",
    link(consoleLinks.endpoint(r, report.endpointName), report.endpointName),
    report.operation ?? "not changed",
    report.endpointArn ?? "",
  ]);
  const lines = [
    `## SageMaker deploy: ${escapeCell(report.endpointName)}`,
    "",
    `**Result:** ${report.result ? RESULT_TEXT[report.result] : "not finished"}${report.status ? ` (endpoint status: ${report.status})` : ""}`,
    ...(report.failureReason
      ? ["", `**Failure reason:** ${escapeCell(report.failureReason)}`]
      : []),
    "",
    "| Resource | Name | This run | ARN |",
    "| --- | --- | --- | --- |",
    ...rows.map(
      (row) => `| ${row.map((cell, i) => (i === 1 ? cell : escapeCell(cell))).join(" | ")} |`,
    ),
  ];
  if (report.plan) lines.push("", ...renderPlan(report.plan));
  if (report.timeline.length > 0) {
    lines.push("", "### Timeline", "", "| Elapsed | Status |", "| --- | --- |");
    for (const entry of report.timeline)
      lines.push(`| ${formatDuration(entry.elapsedMs)} | ${escapeCell(entry.status)} |`);
  }
  const extra = [
    ...report.notes,
    ...(report.deleted.length > 0 ? [`Cleanup deleted: ${report.deleted.join(", ")}.`] : []),
    ...(report.left.length > 0 ? [`Left in place: ${report.left.join(", ")}.`] : []),
  ];
  if (extra.length > 0) lines.push("", ...extra.map((note) => `- ${escapeCell(note)}`));
  lines.push(
    "",
    `Endpoint logs: ${link(consoleLinks.logs(r, report.endpointName), "CloudWatch")}`,
    "",
  );
  return lines.join("\n");
}
