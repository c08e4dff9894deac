export const id = 739;
export const ids = [739];
export const modules = {

/***/ 9739:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SmokeTestFailed: () => (/* binding */ SmokeTestFailed),
/* harmony export */   smokeTestDeployment: () => (/* binding */ smokeTestDeployment)
/* harmony export */ });
/* unused harmony exports subsetMismatch, judgeAnswer, variantsOf, runSmokeTest, revertUpdate, createdEndpointFailed */
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8382);
/* harmony import */ var _shared_wait_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2640);
/* harmony import */ var _validators_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3464);



/** How much of an answer a reason quotes. */
const QUOTED_ANSWER_CHARS = 200;
function short(text) {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > QUOTED_ANSWER_CHARS ? `${flat.slice(0, QUOTED_ANSWER_CHARS)}…` : flat;
}
function show(value) {
    return short(JSON.stringify(value) ?? String(value));
}
/**
 * Where `actual` fails to contain `expected`, as a JSON path with both values, or `undefined`.
 * Objects match when every expected member matches; arrays element by element, same length.
 */
function subsetMismatch(expected, actual, path = "$") {
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual) || actual.length !== expected.length)
            return `${path}: expected ${show(expected)}, got ${show(actual)}`;
        for (const [index, item] of expected.entries()) {
            const mismatch = subsetMismatch(item, actual[index], `${path}[${index}]`);
            if (mismatch)
                return mismatch;
        }
        return undefined;
    }
    if (expected !== null && typeof expected === "object") {
        if (actual === null || typeof actual !== "object" || Array.isArray(actual))
            return `${path}: expected an object, got ${show(actual)}`;
        for (const [key, value] of Object.entries(expected)) {
            const mismatch = subsetMismatch(value, actual[key], `${path}.${key}`);
            if (mismatch)
                return mismatch;
        }
        return undefined;
    }
    return Object.is(expected, actual)
        ? undefined
        : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}
/** Why an answer does not meet the expectation, or `undefined` when it does. */
function judgeAnswer(text, expectation) {
    if (expectation === undefined)
        return undefined;
    if (expectation.kind === "substring") {
        return text.includes(expectation.text)
            ? undefined
            : `the answer does not contain ${(0,_validators_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(expectation.text)} (answer: ${(0,_validators_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(short(text), QUOTED_ANSWER_CHARS)})`;
    }
    let answer;
    try {
        answer = JSON.parse(text);
    }
    catch {
        return `the answer is not JSON (answer: ${(0,_validators_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(short(text), QUOTED_ANSWER_CHARS)})`;
    }
    const mismatch = subsetMismatch(expectation.value, answer);
    return mismatch ? `the answer does not match smoke-test-expect at ${mismatch}` : undefined;
}
function failedCall(answer) {
    if (answer.error === "ModelError") {
        const status = answer.modelStatus ?? answer.status ?? "an error";
        return `the model answered ${status}: ${short(answer.message)}`;
    }
    const status = answer.status === undefined ? "" : ` (HTTP ${answer.status})`;
    return `InvokeEndpoint failed: ${answer.error}${status}: ${short(answer.message)}`;
}
/** The production variants an endpoint runs, as DescribeEndpoint lists them. */
function variantsOf(endpoint) {
    return (endpoint.ProductionVariants ?? []).flatMap((v) => (v.VariantName ? [v.VariantName] : []));
}
/**
 * Sends the smoke-test body with InvokeEndpoint (to each production variant when there are
 * several) and judges the answers: an error answer (ModelError and the like) fails, and so does
 * an answer that does not meet smoke-test-expect. Never throws.
 */
async function runSmokeTest(options) {
    const { spec, log } = options;
    const targets = options.variants.length > 1 ? options.variants : [undefined];
    for (const variant of targets) {
        const started = options.clock?.now();
        const answer = await options.runtime.invokeEndpoint({
            endpointName: options.endpointName,
            body: spec.body,
            contentType: spec.contentType,
            ...(variant ? { targetVariant: variant } : {}),
        });
        const shown = variant ?? (answer.ok ? answer.variant : undefined);
        const who = shown ? `variant ${shown}` : `endpoint ${options.endpointName}`;
        const took = started === undefined ? "" : ` in ${(options.clock?.now() ?? started) - started} ms`;
        if (!answer.ok)
            return { ok: false, reason: `${who}: ${failedCall(answer)}` };
        const text = new TextDecoder().decode(answer.body);
        log.debug(`Smoke test answer of ${who}: ${short(text)}`);
        const problem = judgeAnswer(text, spec.expect);
        if (problem)
            return { ok: false, reason: `${who}: ${problem}` };
        log.info(`Smoke test: ${who} answered${took} (${answer.body.length} bytes), as expected.`);
    }
    const which = targets.length > 1 ? `all ${targets.length} variants` : "the endpoint";
    return { ok: true, reason: `${which} answered the smoke test as expected` };
}
/** The step's failure after a smoke test failed. */
class SmokeTestFailed extends _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH {
    constructor(message, options) {
        super(message, options);
        this.name = "SmokeTestFailed";
    }
}
/**
 * Puts the endpoint back on the config it ran before (UpdateEndpoint), waits until it is
 * InService on it, and throws {@link SmokeTestFailed}: "smoke test failed …; rolled back to
 * <config>", or why the rollback did not finish and how to finish it by hand.
 */
async function revertUpdate(options) {
    const { gateway, endpointName, previousConfigName: previous } = options;
    const failed = `smoke test failed (${options.verdict.reason})`;
    const byHand = `Roll back by hand: aws sagemaker update-endpoint --endpoint-name ${endpointName} --endpoint-config-name ${previous}`;
    options.log.warning(`${failed}; rolling endpoint ${endpointName} back to ${previous}.`);
    const at = options.clock.now();
    try {
        await gateway.updateEndpoint({ EndpointName: endpointName, EndpointConfigName: previous });
    }
    catch (error) {
        throw new SmokeTestFailed(`${failed}; rolling back to ${previous} failed: ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(error)}. The endpoint still serves ${options.failedConfigName}. ${byHand}`, { cause: error });
    }
    const outcome = await (0,_shared_wait_js__WEBPACK_IMPORTED_MODULE_1__/* .waitForEndpoint */ .S)({
        gateway,
        endpointName,
        expectedConfigName: previous,
        change: { kind: "update", at },
        deadline: options.deadline,
        nextDelay: options.nextDelay,
        clock: options.clock,
        ...(options.signal ? { signal: options.signal } : {}),
        onStatusChange: (endpoint) => options.log.info(`endpoint ${endpointName}: ${endpoint.EndpointStatus ?? "Unknown"} (rollback)`),
    });
    if (outcome.kind === "success")
        throw new SmokeTestFailed(`${failed}; rolled back to ${previous}`);
    const why = outcome.kind === "failure"
        ? outcome.reason
        : `the endpoint is still ${outcome.endpoint?.EndpointStatus ?? "updating"} (${outcome.kind})`;
    throw new SmokeTestFailed(`${failed}; the rollback to ${previous} did not finish: ${why}. ${byHand}`);
}
/** The failure after a smoke test of a newly created endpoint: there is nothing to go back to. */
function createdEndpointFailed(verdict) {
    return new SmokeTestFailed(`smoke test failed (${verdict.reason}); the endpoint was just created, so there is no earlier config to roll back to`);
}
/**
 * The smoke test of a finished deploy: passes (answers the verdict), or throws
 * {@link SmokeTestFailed}, after putting an updated endpoint back on its previous config.
 */
async function smokeTestDeployment(options) {
    const endpointName = options.endpoint.EndpointName ?? "";
    const runtime = await options.runtime();
    let verdict;
    try {
        verdict = await runSmokeTest({
            runtime,
            endpointName,
            variants: variantsOf(options.endpoint),
            spec: options.spec,
            log: options.log,
            clock: options.clock,
        });
    }
    finally {
        runtime.destroy();
    }
    if (verdict.ok)
        return verdict;
    if (options.operation === "updated" && options.previousConfigName) {
        return revertUpdate({
            ...options,
            endpointName,
            previousConfigName: options.previousConfigName,
            failedConfigName: options.currentConfigName,
            verdict,
        });
    }
    if (options.operation === "unchanged") {
        throw new SmokeTestFailed(`smoke test failed (${verdict.reason}); the endpoint already ran ${options.currentConfigName}, so nothing was changed`);
    }
    throw createdEndpointFailed(verdict);
}


/***/ })

};
