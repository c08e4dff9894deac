/**
 * `npm run demo`: starts the local SageMaker emulator and runs the committed dist/index.js on
 * it exactly as a runner would, on an endpoint that is Creating for a few seconds, then prints
 * the outputs and the job summary.
 */

import { demoInputs, runAction } from "./e2e/run-action.js";
import { startEmulator } from "./emulator/server.js";

const CREATING_MS = 4_000;

const emulator = await startEmulator({
  defaultLifecycle: { create: { status: "InService", afterMs: CREATING_MS } },
});
try {
  console.log(
    `Local SageMaker emulator at ${emulator.url}; the demo endpoint is Creating for ${CREATING_MS / 1000}s.\n`,
  );
  const run = await runAction({
    inputs: demoInputs({ "endpoint-name": "demo-fraud-scorer" }),
    sagemakerUrl: emulator.url,
  });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  console.log("\n── Outputs ──");
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}: ${value}`);
  console.log("\n── Job summary ──");
  console.log(run.summary);
  console.log(`Action exited with ${run.exitCode} after ${(run.durationMs / 1000).toFixed(1)}s.`);
  process.exitCode = run.exitCode ?? 1;
} finally {
  await emulator.close();
}
