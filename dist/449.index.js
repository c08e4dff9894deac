export const id = 449;
export const ids = [449];
export const modules = {

/***/ 7449:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   applyRetention: () => (/* binding */ applyRetention),
/* harmony export */   retentionNotes: () => (/* binding */ retentionNotes)
/* harmony export */ });
/* harmony import */ var _cleanup_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2691);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6455);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8382);
/* harmony import */ var _shared_tags_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9160);




/** Calls made at once while surveying (SageMaker throttles Describe* and ListTags per account). */
const SURVEY_CONCURRENCY = 4;
/** Endpoint names up to this length keep their whole name in derived names (63 - 12 - 1). */
const UNTRIMMED_NAME_LENGTH = 50;
/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the answers. */
async function pooled(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
const byNewest = (a, b) => b.created - a.created || (a.name < b.name ? 1 : -1);
/** The resources named and tagged as this action's, for this endpoint and repository, newest first. */
async function owned(options, listed) {
    const repository = (0,_shared_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .sanitizeTagValue */ .Zz)(options.repository);
    const named = listed.filter((r) => r.name !== undefined && r.arn !== undefined && (0,_names_js__WEBPACK_IMPORTED_MODULE_1__/* .isDerivedName */ .Zk)(options.endpointName, r.name));
    const tags = await pooled(named, SURVEY_CONCURRENCY, (r) => options.gateway.listTags(r.arn ?? ""));
    return named
        .filter((_, i) => tags[i]?.[_shared_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG_KEYS */ .SE.repository] === repository && tags[i]?.[_shared_tags_js__WEBPACK_IMPORTED_MODULE_3__/* .TAG_KEYS */ .SE.deployId])
        .map((r) => ({ name: r.name ?? "", created: r.created?.getTime() ?? 0 }))
        .sort(byNewest);
}
/** Every config an endpoint of the region runs or is moving to. */
async function configsInUse(gateway) {
    const endpoints = await gateway.listEndpoints();
    const described = await pooled(endpoints, SURVEY_CONCURRENCY, (e) => gateway.describeEndpoint(e.EndpointName ?? ""));
    return new Set(described.flatMap((e) => [
        ...(e?.EndpointConfigName ? [e.EndpointConfigName] : []),
        ...(e?.PendingDeploymentSummary?.EndpointConfigName
            ? [e.PendingDeploymentSummary.EndpointConfigName]
            : []),
    ]));
}
/** The models the given configs serve (production and shadow variants). */
async function modelsOf(gateway, configs) {
    const described = await pooled([...configs], SURVEY_CONCURRENCY, (name) => gateway.describeEndpointConfig(name));
    return new Set(described.flatMap((config) => [...(config?.ProductionVariants ?? []), ...(config?.ShadowProductionVariants ?? [])].flatMap((variant) => (variant.ModelName ? [variant.ModelName] : []))));
}
/** Reads everything once and decides, from that read alone, what retention would delete. */
async function survey(options) {
    const { gateway, keep } = options;
    const prefix = (0,_names_js__WEBPACK_IMPORTED_MODULE_1__/* .derivedNamePrefix */ .hg)(options.endpointName);
    const [models, configs, inUse] = await Promise.all([
        gateway.listModels(prefix).then((list) => owned(options, list.map((m) => ({ name: m.ModelName, arn: m.ModelArn, created: m.CreationTime })))),
        gateway.listEndpointConfigs(prefix).then((list) => owned(options, list.map((c) => ({
            name: c.EndpointConfigName,
            arn: c.EndpointConfigArn,
            created: c.CreationTime,
        })))),
        configsInUse(gateway),
    ]);
    const current = options.currentConfigName;
    const previous = options.previousConfigName ?? configs.find((c) => c.name !== current)?.name ?? current;
    const keptConfigs = new Set([
        ...configs.slice(0, keep).map((c) => c.name),
        current,
        previous,
        ...inUse,
    ]);
    const servedModels = await modelsOf(gateway, keptConfigs);
    const keptModels = new Set([...models.slice(0, keep).map((m) => m.name), ...servedModels]);
    return {
        configs: new Set(configs.map((c) => c.name).filter((name) => !keptConfigs.has(name))),
        models: new Set(models.map((m) => m.name).filter((name) => !keptModels.has(name))),
    };
}
function agreed(first, second) {
    return [...first].filter((name) => second.has(name));
}
/**
 * keep-versions: after a successful deploy, deletes the models and endpoint configs this action
 * created for this endpoint (a derived name and this repository's provenance tags prove it)
 * beyond the newest `keep`, by CreationTime. Never the current config, the previous one (a
 * rollback's target), any config an endpoint runs or is moving to, nor a model a kept config
 * serves. Everything is read twice, {@link CONFIRM_READ_GAP_MS} apart, and only what both reads
 * agree on is deleted. Configs go first, then models. Never throws: a failed read deletes nothing.
 */
async function applyRetention(options) {
    const { gateway, log } = options;
    if (options.endpointName.length > UNTRIMMED_NAME_LENGTH) {
        log.warning(`keep-versions: endpoint names longer than ${UNTRIMMED_NAME_LENGTH} characters are cut in derived names, so another endpoint's resources could share them; nothing is deleted.`);
        return { deleted: [], failed: [] };
    }
    let configs;
    let models;
    try {
        const first = await survey(options);
        await options.clock.sleep(_cleanup_js__WEBPACK_IMPORTED_MODULE_0__/* .CONFIRM_READ_GAP_MS */ .kj);
        const second = await survey(options);
        configs = agreed(first.configs, second.configs);
        models = agreed(first.models, second.models);
    }
    catch (error) {
        log.warning(`keep-versions: could not read the endpoint's resources, so nothing is deleted: ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)}`);
        return { deleted: [], failed: [] };
    }
    const deleted = [];
    const failed = [];
    const remove = async (label, call) => {
        try {
            await call();
            deleted.push(label);
        }
        catch (error) {
            failed.push(`${label} (${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(error)})`);
        }
    };
    const kept = [];
    for (const name of configs) {
        const before = failed.length;
        await remove(`endpoint config ${name}`, () => gateway.deleteEndpointConfig(name));
        if (failed.length > before)
            kept.push(name);
    }
    // A config that could not be deleted still names its models: they stay with it.
    const stillServed = kept.length > 0 ? await modelsOf(gateway, kept).catch(() => undefined) : new Set();
    for (const name of stillServed ? models.filter((m) => !stillServed.has(m)) : []) {
        await remove(`model ${name}`, () => gateway.deleteModel(name));
    }
    if (deleted.length > 0)
        log.info(`keep-versions ${options.keep}: deleted ${deleted.join(", ")}.`);
    if (failed.length > 0)
        log.warning(`keep-versions: could not delete ${failed.join(", ")}.`);
    return { deleted, failed };
}
/** Lines for the job summary: what keep-versions deleted, and what it could not. */
function retentionNotes(keep, result) {
    return [
        ...(result.deleted.length > 0
            ? [`keep-versions ${keep} deleted older versions: ${result.deleted.join(", ")}.`]
            : []),
        ...(result.failed.length > 0
            ? [`keep-versions ${keep} could not delete: ${result.failed.join(", ")}.`]
            : []),
    ];
}


/***/ })

};
