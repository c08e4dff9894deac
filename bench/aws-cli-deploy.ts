import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AwsCli } from "./aws-cli-install.js";

/** What the CLI deploys: the same model, config and endpoint the action's inputs describe. */
export interface CliDeploy {
  readonly endpointName: string;
  readonly image: string;
  readonly modelDataUrl: string;
  readonly executionRoleArn: string;
  readonly instanceType: string;
}

function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The three create calls and the waiter as one `sh` script, stopping at the first failure. */
export function cliDeployScript(cli: AwsCli, endpointUrl: string, deploy: CliDeploy): string {
  const model = `${deploy.endpointName}-cli-model`;
  const config = `${deploy.endpointName}-cli-config`;
  const container = { Image: deploy.image, ModelDataUrl: deploy.modelDataUrl };
  const variant = {
    VariantName: "AllTraffic",
    ModelName: model,
    InitialInstanceCount: 1,
    InstanceType: deploy.instanceType,
  };
  const calls = [
    [
      "create-model",
      "--model-name",
      model,
      "--primary-container",
      JSON.stringify(container),
      "--execution-role-arn",
      deploy.executionRoleArn,
    ],
    [
      "create-endpoint-config",
      "--endpoint-config-name",
      config,
      "--production-variants",
      JSON.stringify([variant]),
    ],
    ["create-endpoint", "--endpoint-name", deploy.endpointName, "--endpoint-config-name", config],
    ["wait", "endpoint-in-service", "--endpoint-name", deploy.endpointName],
  ];
  const common = ["--endpoint-url", endpointUrl, "--region", "us-east-1", ...cli.flags];
  const lines = calls.map((call) =>
    [cli.path, "sagemaker", ...call, ...common].map(quote).join(" "),
  );
  return ["set -e", ...lines].join("\n");
}

/** Runs the script under `sh` with dummy credentials and no AWS config files; ms from spawn to exit. */
export async function runCliDeploy(
  script: string,
): Promise<{ code: number | null; stderr: string; durationMs: number }> {
  const home = mkdtempSync(join(tmpdir(), "aws-cli-bench-"));
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
  const started = performance.now();
  const child = spawn("sh", ["-c", script], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stdout.resume();
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  const durationMs = performance.now() - started;
  rmSync(home, { recursive: true, force: true });
  return { code, stderr, durationMs };
}
