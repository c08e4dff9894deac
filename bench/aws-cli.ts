/**
 * Bench: a full deploy (endpoint InService at once) by the action (dist/index.js under Node 24,
 * whole process) against the seed's four steps by Debian's AWS CLI (package `awscli`, installed
 * with apt-get when missing): `aws sagemaker create-model`, `create-endpoint-config`,
 * `create-endpoint` and `wait endpoint-in-service`, one `sh` sequence timed as a whole. Runs
 * interleave (action, CLI, action, ...) against one emulator, each deploy starting from an
 * empty one. The CLI's waiter polls every 30 s, but with the endpoint InService at once its
 * first DescribeEndpoint succeeds and no sleep is measured: the CLI figure is four CLI process
 * starts and four requests; the action's is one Node start and the requests it prints (it
 * first looks for what it could reuse). Ratio = CLI median / action median, same run; the
 * budget is on its inverse, the action's median as a share of the CLI's.
 * Usage: npx tsx bench/aws-cli.ts [runs]   (default 7 pairs, after one untimed warm-up pair)
 */
import { demoInputs, runAction } from "../test/e2e/run-action.js";
import { type Emulator, startEmulator } from "../test/emulator/server.js";
import { cliDeployScript, runCliDeploy } from "./aws-cli-deploy.js";
import { ensureAwsCli } from "./aws-cli-install.js";
import { recordFigure } from "./figures.js";
import { node24 } from "./node24.js";
import { median, ms } from "./stats.js";

const RUNS = Number(process.argv[2] ?? 7);
const TIME_BUDGET_MS = 500;
/** docs/architecture.md, "Budgets": the action's full deploy takes at most this share of the CLI's. */
const RATIO_BUDGET = 0.12;
const BENCH = "aws-cli";

const inputs = demoInputs({ "poll-interval": "1s" });
const cli = ensureAwsCli();
const runtime = node24();
const emulator = await startEmulator();

function assertInService(emulator: Emulator, who: string, detail: string): void {
  const endpoint = emulator.state().endpoints.find((e) => e.name === inputs["endpoint-name"]);
  if (endpoint?.status !== "InService") throw new Error(`${who} deploy failed: ${detail}`);
}

/** One pair: the action, then the CLI, each from an empty emulator. Returns ms and request counts. */
async function runPair(script: string) {
  emulator.reset();
  const action = await runAction({ inputs, sagemakerUrl: emulator.url, node: runtime.path });
  if (action.exitCode !== 0) throw new Error(`action deploy failed: ${action.stdout}`);
  assertInService(emulator, "action", action.stdout);
  const actionCalls = emulator.requests.map((r) => r.operation);
  emulator.reset();
  const shell = await runCliDeploy(script);
  if (shell.code !== 0) throw new Error(`AWS CLI deploy failed: ${shell.stderr}`);
  assertInService(emulator, "AWS CLI", shell.stderr);
  const cliCalls = emulator.requests.map((r) => r.operation);
  return { actionMs: action.durationMs, cliMs: shell.durationMs, actionCalls, cliCalls };
}

try {
  const script = cliDeployScript(cli, emulator.url, {
    endpointName: inputs["endpoint-name"] ?? "",
    image: inputs.image ?? "",
    modelDataUrl: inputs["model-data-url"] ?? "",
    executionRoleArn: inputs["execution-role-arn"] ?? "",
    instanceType: inputs["instance-type"] ?? "",
  });
  console.log(`${cli.version} at ${cli.path}; action under ${runtime.label}`);
  const warmUp = await runPair(script);
  console.log(`requests per deploy: action ${warmUp.actionCalls.join(", ")}`);
  console.log(`requests per deploy: AWS CLI ${warmUp.cliCalls.join(", ")}`);
  const actionMs: number[] = [];
  const cliMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const pair = await runPair(script);
    actionMs.push(pair.actionMs);
    cliMs.push(pair.cliMs);
    console.log(`pair ${i + 1}/${RUNS}: action ${ms(pair.actionMs)}, AWS CLI ${ms(pair.cliMs)}`);
  }
  const action = median(actionMs);
  const shell = median(cliMs);
  const note = `median of ${RUNS} interleaved runs`;
  recordFigure({
    bench: BENCH,
    name: "full deploy, action (Node 24, whole process)",
    value: ms(action),
    budget: `≤ ${TIME_BUDGET_MS} ms`,
    within: action <= TIME_BUDGET_MS,
    note,
  });
  recordFigure({
    bench: BENCH,
    name: `full deploy, AWS CLI (${cli.version.split(" ")[0]}, 3 creates + wait)`,
    value: ms(shell),
    note,
  });
  recordFigure({
    bench: BENCH,
    name: "ratio AWS CLI / action",
    value: `${(shell / action).toFixed(1)}×`,
    note: "ratio of the two medians, same run",
  });
  recordFigure({
    bench: BENCH,
    name: "action time as a share of the AWS CLI's",
    value: `${(action / shell).toFixed(3)}×`,
    budget: `≤ ${RATIO_BUDGET}×`,
    within: action / shell <= RATIO_BUDGET,
    note: "the two medians, same run",
  });
} finally {
  await emulator.close();
}
