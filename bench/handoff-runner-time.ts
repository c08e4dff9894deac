/**
 * Bench: runner time of a 30-minute deploy handed off after 1 minute. The emulator's endpoint
 * takes 30 min to create (real clock, no scaling); the action (Node 24, whole process) waits
 * `wait-timeout: 1m`, polling every 15 s, then invokes the companion (the Lambda Invoke double)
 * with InvocationType Event and exits. One run (~60 s) is enough: the figure is dominated by
 * the wait-timeout, not by noise.
 * Usage: npx tsx bench/handoff-runner-time.ts
 */
import { startLambdaDouble } from "../test/doubles/lambda-api.js";
import { demoInputs, runAction } from "../test/e2e/run-action.js";
import { startEmulator } from "../test/emulator/server.js";
import { recordFigure } from "./figures.js";
import { node24 } from "./node24.js";
import { ms } from "./stats.js";

const CREATION_MS = 30 * 60_000;
const BUDGET_MS = 75_000;
const FUNCTION = "sagemaker-deploy-companion";
const BENCH = "handoff-runner-time";

const emulator = await startEmulator();
const lambda = await startLambdaDouble();
try {
  const inputs = demoInputs({
    "endpoint-name": "fraud-scorer-long",
    "wait-timeout": "1m",
    "poll-interval": "15s",
    "handoff-function": FUNCTION,
    "handoff-workflow": "sagemaker-deploy-status.yml",
  });
  emulator.setLifecycle(inputs["endpoint-name"] ?? "", {
    create: { status: "InService", afterMs: CREATION_MS },
  });
  const run = await runAction({
    inputs,
    sagemakerUrl: emulator.url,
    lambdaUrl: lambda.url,
    node: node24().path,
    killAfterMs: 180_000,
  });
  if (run.exitCode !== 0) throw new Error(`hand-off deploy failed: ${run.stdout}`);
  const events = lambda.invocations.filter((i) => i.invocationType === "Event");
  const describes = emulator.requests.filter((r) => r.operation === "DescribeEndpoint").length;
  console.log(
    `handed-off=${run.outputs["handed-off"]}, endpoint-status=${run.outputs["endpoint-status"]}, ` +
      `Lambda invocations ${lambda.invocations.length} (Event: ${events.length}, function ${events[0]?.functionName}), ` +
      `DescribeEndpoint calls ${describes}`,
  );
  const handedOff =
    run.outputs["handed-off"] === "true" &&
    lambda.invocations.length === 1 &&
    events[0]?.functionName === FUNCTION;
  if (!handedOff) throw new Error("expected handed-off=true and exactly one Event invocation");
  recordFigure({
    bench: BENCH,
    name: "runner time, 30 min deploy handed off after 1 min",
    value: ms(run.durationMs),
    budget: `≤ ${BUDGET_MS / 1000} s`,
    within: run.durationMs <= BUDGET_MS,
    note: "1 run; handed-off=true, 1 Event invocation",
  });
} finally {
  await Promise.all([emulator.close(), lambda.close()]);
}
