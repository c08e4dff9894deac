import { describe, expect, it } from "vitest";
import { createReport, type RunReport } from "../src/report.js";
import { renderSummary } from "../src/summary.js";

const REGION = "eu-west-1";
const ENDPOINT = "churn-model";
const MODEL = "churn-model-0a1b2c3d4e5f";
const CONFIG = "churn-model-f5e4d3c2b1a0";
const ARN = {
  model: `arn:aws:sagemaker:${REGION}:123456789012:model/${MODEL}`,
  config: `arn:aws:sagemaker:${REGION}:123456789012:endpoint-config/${CONFIG}`,
  endpoint: `arn:aws:sagemaker:${REGION}:123456789012:endpoint/${ENDPOINT}`,
};

/** A run that created everything and ended as `changes` say. */
function reportOf(changes: Partial<RunReport> = {}): RunReport {
  const report = createReport(REGION, ENDPOINT, 1_000);
  Object.assign(report, {
    modelName: MODEL,
    endpointConfigName: CONFIG,
    modelArn: ARN.model,
    endpointConfigArn: ARN.config,
    endpointArn: ARN.endpoint,
    model: "created",
    endpointConfig: "created",
    operation: "created",
    status: "InService",
    result: "success",
    ...changes,
  });
  return report;
}

function linesOf(summary: string): string[] {
  return summary.split("\n");
}

describe("renderSummary", () => {
  it("lists the model, config and endpoint with their ARNs", () => {
    // prepare
    const report = reportOf();

    // act
    const summary = renderSummary(report);

    // assess
    expect(summary).toContain(ARN.model);
    expect(summary).toContain(ARN.config);
    expect(summary).toContain(ARN.endpoint);
    const endpointRow = linesOf(summary).find((line) => line.startsWith("| Endpoint |"));
    expect(endpointRow).toContain("created");
    expect(endpointRow).toContain(ARN.endpoint);
  });

  it("links each resource and the endpoint's logs to the console of the run's region", () => {
    // prepare
    const report = reportOf();
    const home = `https://${REGION}.console.aws.amazon.com/sagemaker/home?region=${REGION}`;

    // act
    const summary = renderSummary(report);

    // assess
    expect(summary).toContain(`href="${home}#/endpoints/${ENDPOINT}"`);
    expect(summary).toContain(`href="${home}#/endpointConfig/${CONFIG}"`);
    expect(summary).toContain(`href="${home}#/models/${MODEL}"`);
    expect(summary).toContain(
      `href="https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FEndpoints$252F${ENDPOINT}"`,
    );
    expect(summary).not.toContain("us-east-1");
  });

  it("shows one timeline row per status change with its elapsed time", () => {
    // prepare
    const report = reportOf();
    report.timeline.push(
      { elapsedMs: 0, status: "Creating" },
      { elapsedMs: 245_000, status: "InService" },
    );

    // act
    const lines = linesOf(renderSummary(report));

    // assess
    expect(lines).toContain("| 0s | Creating |");
    expect(lines).toContain("| 4m05s | InService |");
    expect(lines.indexOf("| 0s | Creating |")).toBeLessThan(lines.indexOf("| 4m05s | InService |"));
  });

  it("says whether each resource was created or reused", () => {
    // prepare
    const report = reportOf({ model: "reused", endpointConfig: "created", operation: "updated" });

    // act
    const lines = linesOf(renderSummary(report));

    // assess
    expect(lines.find((line) => line.startsWith("| Model |"))).toContain("| reused |");
    expect(lines.find((line) => line.startsWith("| Endpoint config |"))).toContain("| created |");
    expect(lines.find((line) => line.startsWith("| Endpoint |"))).toContain("| updated |");
  });

  it.each([
    { result: "success", text: "InService" },
    { result: "failure", text: "Failed" },
    { result: "timeout", text: "Still provisioning at the wait-timeout" },
    { result: "cancelled", text: "Cancelled" },
    { result: "handed-off", text: "Handed off to the companion Lambda" },
    { result: "not-waited", text: "wait: false" },
  ] as const)("states the result '$result'", ({ result, text }) => {
    // prepare
    const report = reportOf({ result, status: "Creating" });

    // act
    const resultLine = linesOf(renderSummary(report)).find((line) =>
      line.startsWith("**Result:**"),
    );

    // assess
    expect(resultLine).toContain(text);
    expect(resultLine).toContain("(endpoint status: Creating)");
  });

  it("gives SageMaker's failure reason", () => {
    // prepare
    const reason =
      "The primary container for production variant AllTraffic did not pass the ping health check.";
    const report = reportOf({ result: "failure", status: "Failed", failureReason: reason });

    // act
    const summary = renderSummary(report);

    // assess
    expect(summary).toContain(`**Failure reason:** ${reason}`);
  });

  it("keeps a hostile failure reason on its line, as text", () => {
    // prepare
    const reason =
      "bad | pipe <script>alert(1)</script>\n## Injected heading\r\n| fake | row | here | x |\n<img src=x onerror=alert(1)>";
    const report = reportOf({ result: "failure", status: "Failed", failureReason: reason });

    // act
    const summary = renderSummary(report);

    // assess
    const lines = linesOf(summary);
    const reasonLine = lines.find((line) => line.startsWith("**Failure reason:**")) ?? "";
    expect(reasonLine).toContain("Injected heading");
    expect(reasonLine).toContain("&#124;");
    expect(reasonLine).toContain("&#60;script&#62;");
    expect(summary).not.toContain("<script>");
    expect(summary).not.toContain("<img");
    expect(lines.some((line) => line.startsWith("## Injected"))).toBe(false);
    expect(lines.some((line) => line.startsWith("| fake"))).toBe(false);
    expect(lines.filter((line) => line.startsWith("| ")).length).toBe(5);
  });

  it("lists what cleanup deleted and what it left, escaped", () => {
    // prepare
    const report = reportOf({ result: "failure", status: "Failed" });
    report.deleted.push(`endpoint ${ENDPOINT}`, `endpoint config ${CONFIG}`);
    report.left.push(`model ${MODEL} (delete failed: Access denied | <b>no</b>)`);

    // act
    const lines = linesOf(renderSummary(report));

    // assess
    expect(lines).toContain(`- Cleanup deleted: endpoint ${ENDPOINT}, endpoint config ${CONFIG}.`);
    const left = lines.find((line) => line.startsWith("- Left in place:")) ?? "";
    expect(left).toContain(`model ${MODEL}`);
    expect(left).not.toContain("<b>");
    expect(left).not.toContain("|");
  });

  it("shows a run that failed before creating anything", () => {
    // prepare
    const report = createReport(REGION, ENDPOINT, 0);
    report.result = "failure";
    report.failureReason = "CreateModel 'churn-model-0a1b2c3d4e5f' failed: Access denied";

    // act
    const lines = linesOf(renderSummary(report));

    // assess
    expect(lines.find((line) => line.startsWith("| Endpoint |"))).toContain("not changed");
    expect(lines.some((line) => line.startsWith("| Model |"))).toBe(false);
    expect(lines.some((line) => line.startsWith("**Failure reason:**"))).toBe(true);
  });
});
