export const id = 386;
export const ids = [386];
export const modules = {

/***/ 1386:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   deploymentDescription: () => (/* binding */ deploymentDescription),
/* harmony export */   deploymentStateFor: () => (/* binding */ deploymentStateFor),
/* harmony export */   finishDeployment: () => (/* binding */ finishDeployment),
/* harmony export */   startDeployment: () => (/* binding */ startDeployment)
/* harmony export */ });
/* unused harmony export GITHUB_API_VERSION */
/* harmony import */ var _shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4479);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);


/** The REST API version the requests are written against. */
const GITHUB_API_VERSION = "2022-11-28";
/** GitHub refuses a status description longer than this. */
const MAX_STATUS_DESCRIPTION = 140;
/** A Deployments call that takes longer is given up (the deploy itself never waits on GitHub). */
const REQUEST_TIMEOUT_MS = 10_000;
async function sender(target) {
    const getOctokit = await target.loadOctokit();
    const octokit = getOctokit(target.token, {
        baseUrl: target.apiUrl.replace(/\/+$/, ""),
        userAgent: _shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .USER_AGENT */ ._O.join("/"),
        ...(target.fetch ? { request: { fetch: target.fetch } } : {}),
    });
    return (route, parameters) => octokit.request(route, {
        ...parameters,
        headers: { "x-github-api-version": GITHUB_API_VERSION },
        request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
    });
}
function split(repository) {
    const [owner = "", repo = ""] = repository.split("/");
    return { owner, repo };
}
/** Why GitHub refused, and what to do about it. */
function explain(error, target) {
    const status = error.status;
    if (status === 403 || status === 401) {
        return `github-token may not write deployments on ${target.repository} (HTTP ${status}): give the job "permissions: deployments: write"`;
    }
    if (status === 404) {
        return `repository ${target.repository} was not found with github-token (HTTP 404)`;
    }
    return (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error);
}
/**
 * Creates a GitHub Deployment of the run's commit for the environment (auto_merge false, no
 * required contexts: the workflow run is the gate) and marks it in_progress. Answers its id, or
 * `undefined` with a warning: GitHub's bookkeeping never fails a deploy.
 */
async function startDeployment(target, start) {
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
        const id = data.id;
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
    }
    catch (error) {
        target.log.warning(`Could not record a GitHub deployment: ${explain(error, target)}.`);
        return undefined;
    }
}
async function setStatus(send, target, id, status) {
    const description = status.description.length > MAX_STATUS_DESCRIPTION
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
async function finishDeployment(target, id, status) {
    try {
        await setStatus(await sender(target), target, id, status);
        target.log.info(`GitHub deployment ${id}: ${status.state}`);
        return true;
    }
    catch (error) {
        target.log.warning(`Could not set GitHub deployment ${id} to ${status.state}: ${explain(error, target)}.`);
        return false;
    }
}
/**
 * The final status for how the run ended; `undefined` leaves it in_progress: after a hand-off
 * (the companion Lambda sets it) or with wait false (nobody knows yet).
 */
function deploymentStateFor(report) {
    if (report.handedOff)
        return undefined;
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
function deploymentDescription(report) {
    if (report.result === "success")
        return `${report.endpointName} InService on ${report.endpointConfigName ?? "its config"}`;
    return report.failureReason ?? `${report.endpointName}: ${report.result ?? "not finished"}`;
}


/***/ })

};
