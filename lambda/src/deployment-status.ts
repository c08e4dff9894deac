import { consoleLinks } from "../../src/shared/console-links.js";
import { errorMessage } from "../../src/shared/errors.js";
import type { Outcome } from "./dispatch-inputs.js";
import { githubHeaders } from "./github-dispatch.js";
import type { Log } from "./logger.js";

/** GitHub refuses a deployment status description longer than this. */
export const MAX_STATUS_DESCRIPTION = 140;
/** A status call that takes longer is given up: the dispatch is what the workflow waits for. */
const STATUS_TIMEOUT_MS = 10_000;

/** Options for {@link setDeploymentStatus}. */
export interface DeploymentStatusOptions {
  readonly apiUrl: string;
  readonly token: string;
  /** `owner/repo` of the run that handed off. */
  readonly repository: string;
  /** The Deployment the action left in_progress (`source.githubDeploymentId`). */
  readonly deploymentId: string;
  readonly outcome: Outcome;
  /** The config the deploy put on the endpoint: InService on another one is a rollback. */
  readonly expectedConfigName: string;
  readonly region: string;
  /** The run that handed off. */
  readonly runId: string;
  readonly fetch: typeof fetch;
  readonly logger: Log;
}

/** The deployment status for an outcome: success only when InService on the deploy's own config. */
export function deploymentState(outcome: Outcome, expectedConfigName: string) {
  return outcome.status === "InService" && outcome.configName === expectedConfigName
    ? "success"
    : "failure";
}

/** What the status says, within GitHub's 140 characters. */
export function statusDescription(outcome: Outcome, expectedConfigName: string): string {
  const text =
    deploymentState(outcome, expectedConfigName) === "success"
      ? `${outcome.endpointName} InService on ${outcome.configName}`
      : `${outcome.endpointName} ${outcome.status}${outcome.failureReason ? `: ${outcome.failureReason}` : ""}`;
  const characters = Array.from(text.replace(/\s+/g, " ").trim());
  return characters.length <= MAX_STATUS_DESCRIPTION
    ? characters.join("")
    : `${characters.slice(0, MAX_STATUS_DESCRIPTION - 1).join("")}…`;
}

/** The web host of a REST API URL: github.com for api.github.com, `https://HOST` for GHES's `/api/v3`. */
export function webUrlOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  return `${url.origin}${url.pathname.replace(/\/api\/v3\/?$/, "")}`.replace(/\/+$/, "");
}

/**
 * Sets the final status of the GitHub Deployment the action left in_progress when it handed
 * off: success when InService on the expected config, else failure, linking the endpoint and
 * the run. Never throws and never retries: the deploy's result already went out by dispatch.
 */
export async function setDeploymentStatus(options: DeploymentStatusOptions): Promise<boolean> {
  const { outcome, logger } = options;
  const state = deploymentState(outcome, options.expectedConfigName);
  const [owner = "", repo = ""] = options.repository.split("/");
  const path = [owner, repo, options.deploymentId].map(encodeURIComponent);
  const context = { endpoint: outcome.endpointName, deployment: options.deploymentId, state };
  try {
    const response = await options.fetch(
      `${options.apiUrl}/repos/${path[0]}/${path[1]}/deployments/${path[2]}/statuses`,
      {
        method: "POST",
        headers: githubHeaders(options.token),
        body: JSON.stringify({
          state,
          description: statusDescription(outcome, options.expectedConfigName),
          environment_url: consoleLinks.endpoint(options.region, outcome.endpointName),
          log_url: `${webUrlOf(options.apiUrl)}/${options.repository}/actions/runs/${options.runId}`,
        }),
        signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
      },
    );
    if (response.ok) {
      logger.info("Set the GitHub deployment's status", context);
      return true;
    }
    const body = (await response.text().catch(() => "")).slice(0, 300);
    logger.warn("GitHub refused the deployment status (the token needs deployments: write)", {
      ...context,
      status: response.status,
      reason: body,
    });
  } catch (error) {
    logger.warn("Could not set the GitHub deployment's status", {
      ...context,
      reason: errorMessage(error),
    });
  }
  return false;
}
