import { getOctokit } from "@actions/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deploymentStateFor,
  finishDeployment,
  type GithubDeploymentTarget,
  startDeployment,
} from "../src/github-deployment.js";
import { createReport, type RunReport } from "../src/report.js";
import { buildPayload } from "../src/send-handoff.js";
import { parseHandoffPayload } from "../src/shared/handoff-payload.js";
import { type GithubApiDouble, startGithubApiDouble } from "./doubles/github-api.js";
import { recordingLog } from "./support/logs.js";

const TOKEN = "ghs_test-token-not-real";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const CONSOLE =
  "https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/endpoints/scorer";
const RUN = "https://github.com/acme/fraud/actions/runs/42";

let github: GithubApiDouble;

beforeAll(async () => {
  github = await startGithubApiDouble({ tokens: [TOKEN] });
});
afterAll(() => github.close());

function target(token = TOKEN) {
  const log = recordingLog();
  const t: GithubDeploymentTarget = {
    apiUrl: github.url,
    repository: "acme/fraud",
    token,
    log,
    loadOctokit: async () => getOctokit,
  };
  return { target: t, log };
}

const start = {
  environment: "staging",
  sha: SHA,
  description: "scorer: model scorer-0a1b2c3d4e5f",
  environmentUrl: CONSOLE,
  logUrl: RUN,
  payload: { endpointName: "scorer", region: "us-east-1" },
};

describe("GitHub Deployments through the API double", () => {
  it("records a deployment of the run's commit, in_progress, then success", async () => {
    const { target: t } = target();

    const id = await startDeployment(t, start);
    const finished = await finishDeployment(t, id ?? 0, {
      state: "success",
      description: "scorer InService on scorer-0a1b2c3d4e5f",
      environmentUrl: CONSOLE,
      logUrl: RUN,
    });
    const recorded = github.deployments().find((d) => d.id === id);

    expect(finished).toBe(true);
    expect(recorded).toMatchObject({
      owner: "acme",
      repo: "fraud",
      ref: SHA,
      environment: "staging",
    });
    expect(recorded?.body).toMatchObject({ auto_merge: false, required_contexts: [] });
    expect(recorded?.statuses.map((s) => [s.state, s.environment_url, s.log_url])).toEqual([
      ["in_progress", CONSOLE, RUN],
      ["success", CONSOLE, RUN],
    ]);
    expect(github.requests.flatMap((r) => r.problems)).toEqual([]);
  });

  it("shortens a long failure description to GitHub's 140 characters", async () => {
    const { target: t } = target();
    const id = (await startDeployment(t, start)) ?? 0;

    const finished = await finishDeployment(t, id, {
      state: "failure",
      description: `update rolled back: ${"x".repeat(300)}`,
      environmentUrl: CONSOLE,
    });

    expect(finished).toBe(true);
    const status = github
      .deployments()
      .find((d) => d.id === id)
      ?.statuses.at(-1);
    expect(String(status?.description)).toHaveLength(140);
  });

  it("warns, and gives no id, when the token may not write deployments", async () => {
    github.script("createDeployment", {
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const { target: t, log } = target();

    const id = await startDeployment(t, start);

    expect(id).toBeUndefined();
    expect(log.lines.find((l) => l.level === "warning")?.text).toMatch(
      /permissions: deployments: write/,
    );
  });

  it("warns on bad credentials without ever showing the token", async () => {
    const { target: t, log } = target("ghs_wrong-token-not-real");

    const id = await startDeployment(t, start);

    expect(id).toBeUndefined();
    const warning = log.lines.find((l) => l.level === "warning")?.text ?? "";
    expect(warning).toMatch(/HTTP 401/);
    expect(warning).not.toContain("ghs_wrong");
  });

  it("is refused by the double for a status GitHub does not know", async () => {
    const { target: t } = target();
    const id = (await startDeployment(t, start)) ?? 0;

    const answer = await fetch(`${github.url}/repos/acme/fraud/deployments/${id}/statuses`, {
      method: "POST",
      headers: {
        accept: "application/vnd.github+json",
        authorization: `token ${TOKEN}`,
        "content-type": "application/json",
        "user-agent": "test",
      },
      body: JSON.stringify({ state: "done" }),
    });

    expect(answer.status).toBe(422);
    expect(github.requests.at(-1)?.problems.join()).toMatch(/state .*allowed values \(OpenAPI\)/);
  });
});

describe("deploymentStateFor", () => {
  const report = (patch: Partial<RunReport>): RunReport => ({
    ...createReport("us-east-1", "scorer", 0),
    ...patch,
  });

  it.each([
    [{ result: "success" }, "success"],
    [{ result: "failure" }, "failure"],
    [{ result: "timeout" }, "failure"],
    [{ result: "cancelled" }, "inactive"],
    [{ result: "handed-off", handedOff: true }, undefined],
    [{ result: "not-waited" }, undefined],
  ] as const)("maps %j to %s", (patch, state) => {
    expect(deploymentStateFor(report(patch))).toBe(state);
  });
});

describe("hand-off of an in_progress Deployment", () => {
  it("puts the deployment id in the payload, where the companion reads it back", () => {
    const report = {
      ...createReport("us-east-1", "scorer", 0),
      endpointArn: "arn:aws:sagemaker:us-east-1:123456789012:endpoint/scorer",
      endpointConfigName: "scorer-0a1b2c3d4e5f",
    };

    const payload = buildPayload({
      invoke: async () => {},
      log: recordingLog(),
      handoff: { functionName: "companion", workflow: "status.yml", timeoutMs: 3_600_000 },
      report,
      provenance: {
        repository: "acme/fraud",
        sha: SHA,
        ref: "main",
        runId: "42",
        runAttempt: "1",
        workflow: "deploy",
        deployId: "5f0c8f2e-9a41-4c1b-8d3e-2b7a6c9d0e1f",
      },
      deadline: "2026-11-24T18:00:00Z",
      githubDeploymentId: 1000001,
    });
    const parsed = parseHandoffPayload(JSON.parse(JSON.stringify(payload)));

    expect(parsed.ok && parsed.payload.source.githubDeploymentId).toBe("1000001");
  });
});
