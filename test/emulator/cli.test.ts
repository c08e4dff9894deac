import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { DescribeEndpointCommand } from "@aws-sdk/client-sagemaker";
import { describe, expect, it } from "vitest";
import { DEFAULT_FAILURE_REASON, parseCliOptions } from "./cli-options.js";
import { sageMakerClient } from "./sdk-client.js";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));

describe("emulator CLI options", () => {
  it("defaults to port 4599, instant lifecycles and no faults", () => {
    // act
    const options = parseCliOptions([]);
    // assess
    expect(options).toMatchObject({
      port: 4599,
      faults: undefined,
      defaultLifecycle: {
        create: { status: "InService", afterMs: 0 },
        update: { status: "InService", afterMs: 0 },
      },
    });
  });

  it.each([
    { flags: ["--port", "0"], expected: { port: 0 } },
    {
      flags: ["--create-ms", "3600000", "--time-scale", "60"],
      expected: {
        timeScale: 60,
        defaultLifecycle: { create: { status: "InService", afterMs: 3_600_000 } },
      },
    },
    {
      flags: ["--outcome", "Failed"],
      expected: {
        defaultLifecycle: {
          create: { status: "Failed", afterMs: 0, failureReason: DEFAULT_FAILURE_REASON },
        },
      },
    },
    {
      flags: ["--outcome", "stuck"],
      expected: { defaultLifecycle: { create: { status: "stuck" } } },
    },
    {
      flags: ["--throttle-rate", "0.2", "--error-rate", "0.1", "--delay-ms", "5", "--seed", "7"],
      expected: { faults: { throttleRate: 0.2, serverErrorRate: 0.1, delayMs: 5, seed: 7 } },
    },
    {
      flags: ["--drop-rate", "0.1", "--drop-after-rate", "0.05"],
      expected: { faults: { dropRate: 0.1, dropAfterHandlerRate: 0.05 } },
    },
    { flags: ["--rate-limit", "10"], expected: { rateLimit: 10 } },
  ])("reads $flags", ({ flags, expected }) => {
    // act
    const options = parseCliOptions(flags);
    // assess
    expect(options).toMatchObject(expected);
  });

  it.each([
    {
      flags: ["--port", "http"],
      message: "--port must be an integer >= 0 and <= 65535, got 'http'",
    },
    {
      flags: ["--outcome", "Deleted"],
      message: "--outcome must be one of InService, Failed, stuck, got 'Deleted'",
    },
    {
      flags: ["--throttle-rate", "1.5"],
      message: "--throttle-rate must be a number >= 0 and <= 1, got '1.5'",
    },
    {
      flags: ["--drop-after-rate", "2"],
      message: "--drop-after-rate must be a number >= 0 and <= 1, got '2'",
    },
    { flags: ["--time-scale", "0"], message: "--time-scale must be a number > 0, got '0'" },
    { flags: ["--create-ms", ""], message: "--create-ms must be a number >= 0, got ''" },
    { flags: ["--verbose"], message: "Unknown option '--verbose'" },
  ])("refuses $flags", ({ flags, message }) => {
    // act
    const parse = () => parseCliOptions(flags);
    // assess
    expect(parse).toThrow(message);
  });
});

describe("npm run emulator", () => {
  it("prints AWS_ENDPOINT_URL_SAGEMAKER, serves the SDK and stops on SIGTERM", async () => {
    // prepare
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
    const url = line.replace("AWS_ENDPOINT_URL_SAGEMAKER=", "");
    const client = sageMakerClient(url, { maxAttempts: 1 });
    // act
    const error = await client
      .send(new DescribeEndpointCommand({ EndpointName: "e" }))
      .catch((e) => e);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    // assess
    expect(line).toMatch(/^AWS_ENDPOINT_URL_SAGEMAKER=http:\/\/127\.0\.0\.1:\d+$/);
    expect(error.message).toBe('Could not find endpoint "e".');
    expect(code).toBe(0);
    client.destroy();
  });

  it("says in one line that a taken port is taken, and exits non-zero", async () => {
    // prepare
    const blocker = createServer();
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "--port", String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // act ("close": the exit, and every byte of its output read)
    const [code] = await once(child, "close");
    blocker.close();
    // assess
    expect(stderr.trim().split("\n")).toEqual([
      `emulator: port ${port} on 127.0.0.1 is taken (another emulator may be running); stop it or pass --port N (0 picks a free port).`,
    ]);
    expect(stdout).toBe("");
    expect(code).not.toBe(0);
  });

  it("prints the usage after a flag it cannot read", async () => {
    // prepare
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "--port", "http"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // act
    const [code] = await once(child, "close");
    // assess
    expect(stderr).toContain("emulator: --port must be an integer >= 0 and <= 65535, got 'http'");
    expect(stderr).toContain("Usage: npm run emulator");
    expect(code).toBe(2);
  });
});
