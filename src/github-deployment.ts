import type { Log } from "./ports.js";
import type { RunReport } from "./report.js";
import { USER_AGENT } from "./shared/aws-client.js";
import { errorMessage } from "./shared/errors.js";

/** The REST API version the requests are written against. */
export const GITHUB_API_VERSION = "2022-11-28";
/** GitHub refuses a status description longer than this. */
const MAX_STATUS_DESCRIPTION = 140;
/** A Deployments call that takes longer is given up (the deploy itself never waits on GitHub). */
const REQUEST_TIMEOUT_MS = 10_000;

/** A deployment status the action sets. */
export type DeploymentState = "in_progress" | "success" | "failure" | "inactive";

/** Where the Deployment is recorded, and with what. */
export interface GithubDeploymentTarget {
  /** `GITHUB_API_URL` (https://api.github.com, or a GHES host's). */
  readonly apiUrl: string;
  /** `owner/repo`. */
  readonly repository: string;
  /** github-token; needs `deployments: write`. */
  readonly token: string;
  readonly log: Log;
  /** Loads `getOctokit` (ReleaseClients.github). */
  readonly loadOctokit: () => Promise<GetOctokit>;
  /** For tests: Octokit's `request.fetch`. */
  readonly fetch?: typeof fetch;
}

/** The one request shape used here: an Octokit's `request`. */
type Send = (route: string, parameters: Record<string, unknown>) => Promise<{ data: unknown }>;

/**
 * What the Deployments calls need of `@actions/github`'s `getOctokit`, which the runner loads
 * only for a deploy with github-environment (it also routes through the runner's HTTPS_PROXY).
 */
export type GetOctokit = (
  token: string,
  options: {
    readonly baseUrl: string;
    readonly userAgent: string;
    readonly request?: { readonly fetch: typeof fetch };
  },
) => { readonly request: Send };

async function sender(target: GithubDeploymentTarget): Promise<Send> {
  const getOctokit = await target.loadOctokit();
  const octokit = getOctokit(target.token, {
    baseUrl: target.apiUrl.replace(/\/+$/, ""),
    userAgent: USER_AGENT.join("/"),
    ...(target.fetch ? { request: { fetch: target.fetch } } : {}),
  });
  return (route, parameters) =>
    octokit.request(route, {
      ...parameters,
      headers: { "x-github-api-version": GITHUB_API_VERSION },
      request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
    });
}

function split(repository: string): { owner: string; repo: string } {
  const [owner = "", repo = ""] = repository.split("/");
  return { owner, repo };
}

/** Why GitHub refused, and what to do about it. */
function explain(error: unknown, target: GithubDeploymentTarget): string {
  const status = (error as { status?: unknown }).status;
  if (status === 403 || status === 401) {
    return `github-token may not write deployments on ${target.repository} (HTTP ${status}): give the job "permissions: deployments: write"`;
  }
  if (status === 404) {
    return `repository ${target.repository} was not found with github-token (HTTP 404)`;
  }
  return errorMessage(error);
}

/** What the Deployment is of. */
export interface DeploymentStart {
  readonly environment: string;
  /** The run's commit SHA. */
  readonly sha: string;
  readonly description: string;
  /** The endpoint's console link. */
  readonly environmentUrl: string;
  /** The workflow run's page. */
  readonly logUrl?: string;
  readonly payload: Readonly<Record<string, string>>;
}

/**
 * Creates a GitHub Deployment of the run's commit for the environment (auto_merge false, no
 * required contexts: the workflow run is the gate) and marks it in_progress. Answers its id, or
 * `undefined` with a warning: GitHub's bookkeeping never fails a deploy.
 */
export async function startDeployment(
  target: GithubDeploymentTarget,
  start: DeploymentStart,
): Promise<number | undefined> {
  try {
    const send = await sender(target);
    const { data } = await send("POST /repos/{owner}/{repo}/deployments", {
      ...split(target.repository),
      ref: start.sha,
      environment: start.environment,
      description: start.description,
      auto_merge: false,
      required_contexts: [],
      payload: { ...start.payload },
    });
    const id = (data as { id?: unknown }).id;
    if (typeof id !== "number") {
      target.log.warning(`GitHub did not create a deployment: ${JSON.stringify(data)}`);
      return undefined;
    }
    await setStatus(send, target, id, {
      state: "in_progress",
      description: start.description,
      environmentUrl: start.environmentUrl,
      ...(start.logUrl ? { logUrl: start.logUrl } : {}),
    });
    target.log.info(`GitHub deployment ${id} to ${start.environment}: in_progress`);
    return id;
  } catch (error) {
    target.log.warning(`Could not record a GitHub deployment: ${explain(error, target)}.`);
    return undefined;
  }
}

/** A status to set on a Deployment. */
export interface DeploymentStatus {
  readonly state: DeploymentState;
  readonly description: string;
  readonly environmentUrl: string;
  readonly logUrl?: string;
}

async function setStatus(
  send: Send,
  target: GithubDeploymentTarget,
  id: number,
  status: DeploymentStatus,
): Promise<void> {
  const description =
    status.description.length > MAX_STATUS_DESCRIPTION
      ? `${status.description.slice(0, MAX_STATUS_DESCRIPTION - 1)}…`
      : status.description;
  await send("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
    ...split(target.repository),
    deployment_id: id,
    state: status.state,
    description,
    environment_url: status.environmentUrl,
    ...(status.logUrl ? { log_url: status.logUrl } : {}),
  });
}

/** Sets the Deployment's status; a failure is a warning, never the deploy's. */
export async function finishDeployment(
  target: GithubDeploymentTarget,
  id: number,
  status: DeploymentStatus,
): Promise<boolean> {
  try {
    await setStatus(await sender(target), target, id, status);
    target.log.info(`GitHub deployment ${id}: ${status.state}`);
    return true;
  } catch (error) {
    target.log.warning(
      `Could not set GitHub deployment ${id} to ${status.state}: ${explain(error, target)}.`,
    );
    return false;
  }
}

/**
 * The final status for how the run ended; `undefined` leaves it in_progress: after a hand-off
 * (the companion Lambda sets it) or with wait false (nobody knows yet).
 */
export function deploymentStateFor(report: RunReport): DeploymentState | undefined {
  if (report.handedOff) return undefined;
  switch (report.result) {
    case "success":
      return "success";
    case "failure":
    case "timeout":
      return "failure";
    case "cancelled":
      return "inactive";
    default:
      return undefined;
  }
}

/** The status description for how the run ended (shortened to GitHub's 140 characters). */
export function deploymentDescription(report: RunReport): string {
  if (report.result === "success")
    return `${report.endpointName} InService on ${report.endpointConfigName ?? "its config"}`;
  return report.failureReason ?? `${report.endpointName}: ${report.result ?? "not finished"}`;
}
