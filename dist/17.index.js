export const id = 17;
export const ids = [17];
export const modules = {

/***/ 1017:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   identityNotes: () => (/* binding */ identityNotes),
/* harmony export */   identityOutputs: () => (/* binding */ identityOutputs),
/* harmony export */   identityTags: () => (/* binding */ identityTags),
/* harmony export */   resolveContentIdentity: () => (/* binding */ resolveContentIdentity)
/* harmony export */ });
/* unused harmony exports IDENTITY_TAG_KEYS, MAX_LISTED_OBJECTS, parseS3Url, resolveImage, fingerprintListing, resolveModelData, describeModelData */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);
/* harmony import */ var _shared_tags_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9160);



/**
 * Tags that record what the model was created from (beside the provenance tags), so the
 * resource says which bytes it serves even when the inputs named a moving tag or object.
 */
const IDENTITY_TAG_KEYS = {
    imageDigest: "sagemaker-deploy:image-digest",
    modelDataVersion: "sagemaker-deploy:model-data-version",
};
/** Objects a model-data prefix may hold before it is refused as too large to fingerprint. */
const MAX_LISTED_OBJECTS = 100_000;
/** An ECR image URI: `<acct>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag][@digest]`. */
const ECR_IMAGE = /^(?<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(?<repo>[a-z0-9][a-z0-9._/-]*?)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;
const DIGEST_SUFFIX = /@(sha256:[a-f0-9]{64})$/;
/** `s3://bucket/key`, `https://bucket.s3[.region].amazonaws.com/key`, `https://s3[.region].amazonaws.com/bucket/key`. */
const S3_URL = /^s3:\/\/(?<bucket>[^/]+)\/?(?<key>.*)$/;
const S3_VIRTUAL_HOST = /^https:\/\/(?<bucket>[a-z0-9][a-z0-9.-]*[a-z0-9])\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?\/(?<key>.*)$/;
const S3_PATH_STYLE = /^https:\/\/s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?\/(?<bucket>[^/]+)\/?(?<key>.*)$/;
/** Where an S3 URL points, or `undefined` for a URL that is not S3's. */
function parseS3Url(url) {
    const s3 = S3_URL.exec(url)?.groups;
    if (s3?.bucket !== undefined)
        return { bucket: s3.bucket, key: s3.key ?? "" };
    const https = (S3_VIRTUAL_HOST.exec(url) ?? S3_PATH_STYLE.exec(url))?.groups;
    if (https?.bucket === undefined)
        return undefined;
    try {
        return { bucket: https.bucket, key: decodeURIComponent(https.key ?? "") };
    }
    catch {
        return undefined;
    }
}
/**
 * Resolves the image to its digest. An ECR tag is looked up (DescribeImages) and the model gets
 * `repo@sha256:…`, so a new push of the same tag is a new model; an image given by digest is
 * taken as is; any other registry's tag is used with a warning, since only a digest pins it.
 */
async function resolveImage(image, options) {
    const given = DIGEST_SUFFIX.exec(image)?.[1];
    if (given !== undefined)
        return { image, digest: given };
    const ecr = ECR_IMAGE.exec(image)?.groups;
    if (ecr?.account === undefined || ecr.region === undefined || ecr.repo === undefined) {
        options.log.warning(`image '${image}' is not in ECR, so its tag is not resolved: only a digest (image@sha256:…) pins what SageMaker pulls, and a new push to the same tag keeps the same model name.`);
        return { image };
    }
    const tag = ecr.tag ?? "latest";
    const gateway = await options.gateways.ecr(ecr.region);
    let digest;
    try {
        digest = await gateway.imageDigest({
            registryId: ecr.account,
            repositoryName: ecr.repo,
            tag,
        });
    }
    catch (error) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`Could not resolve image '${image}' to its digest: ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}. The job's role needs ecr:DescribeImages on the repository. Nothing was created.`, { cause: error });
    }
    finally {
        gateway.destroy();
    }
    if (digest === undefined) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`image '${image}' was not found in ECR: there is no repository '${ecr.repo}' with tag '${tag}' in account ${ecr.account} (${ecr.region}). Push the image first or fix the tag. Nothing was created.`);
    }
    const registry = image.slice(0, image.indexOf("/"));
    options.log.info(`image ${image} is ${digest}`);
    return { image: `${registry}/${ecr.repo}@${digest}`, digest, tag };
}
function unquote(etag) {
    return etag.replace(/^"(.*)"$/, "$1");
}
/** `sha256:<hex>` of the listing's keys and ETags, one `key<TAB>etag` line per object. */
function fingerprintListing(objects) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256");
    for (const object of [...objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
        hash.update(`${object.key}\t${unquote(object.etag)}\n`);
    return `sha256:${hash.digest("hex")}`;
}
async function fingerprintPrefix(s3, url, where) {
    const listing = await s3.listObjects(where.bucket, where.key, MAX_LISTED_OBJECTS);
    if (listing.truncated) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`model data '${url}' holds more than ${MAX_LISTED_OBJECTS} objects; point it at a narrower prefix. Nothing was created.`);
    }
    if (listing.objects.length === 0) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`model data '${url}' holds no objects. Upload the model data first or fix the prefix. Nothing was created.`);
    }
    return {
        url,
        kind: "listing",
        value: fingerprintListing(listing.objects),
        objects: listing.objects.length,
    };
}
async function identifyObject(s3, url, where) {
    const head = await s3.headObject(where.bucket, where.key);
    if (head === undefined) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`model data '${url}' does not exist. Upload it first or fix the URL. Nothing was created.`);
    }
    // "null" is the VersionId of an object written while versioning was off: it names nothing.
    if (head.versionId !== undefined && head.versionId !== "null")
        return { url, kind: "version-id", value: head.versionId };
    return { url, kind: "etag", value: unquote(head.etag ?? "") };
}
/**
 * Identifies the model data: HeadObject's VersionId (versioned bucket) or ETag for an object;
 * for a prefix (a URL ending in `/`, or `kind: "prefix"` for ModelDataSource S3Prefix) a hash of
 * every key and ETag under it. A missing object, or an empty prefix, is an error before any
 * SageMaker call. A URL outside S3 is not resolved (a warning says so).
 */
async function resolveModelData(source, options) {
    const where = parseS3Url(source.url);
    if (where === undefined) {
        options.log.warning(`model data '${source.url}' is not an S3 URL, so its version is not resolved: a new upload to the same URL keeps the same model name.`);
        return undefined;
    }
    const prefix = source.kind === "prefix" || where.key === "" || where.key.endsWith("/");
    const s3 = await options.gateways.s3(options.region);
    try {
        const identity = prefix
            ? await fingerprintPrefix(s3, source.url, where)
            : await identifyObject(s3, source.url, where);
        options.log.info(`model data ${source.url} is ${describeModelData(identity)}`);
        return identity;
    }
    catch (error) {
        if (error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH)
            throw error;
        // Without s3:ListBucket, S3 answers HeadObject of a missing object 403, not 404.
        const needs = prefix
            ? "s3:ListBucket on the bucket"
            : "s3:GetObject on the object (and s3:ListBucket on the bucket, or a missing object reads as 403 Forbidden)";
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .DeployError */ .sH(`Could not resolve model data '${source.url}': ${(0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}. The job's role needs ${needs}. Nothing was created.`, { cause: error });
    }
    finally {
        s3.destroy();
    }
}
/** Resolves the image and the model data (in parallel), each only when given. */
async function resolveContentIdentity(options) {
    const [image, modelData] = await Promise.all([
        options.image === undefined ? undefined : resolveImage(options.image, options),
        options.modelData === undefined ? undefined : resolveModelData(options.modelData, options),
    ]);
    return { ...(image ? { image } : {}), ...(modelData ? { modelData } : {}) };
}
/** One line on what the model data is, for the log and the summary. */
function describeModelData(identity) {
    switch (identity.kind) {
        case "version-id":
            return `version ${identity.value}`;
        case "etag":
            return `ETag ${identity.value} (the bucket is not versioned)`;
        case "listing":
            return `${identity.objects ?? 0} objects, ${identity.value}`;
    }
}
/** The identity tags for the model, config and endpoint; a value that cannot be stored is cut. */
function identityTags(identity) {
    const tags = [];
    const store = (Key, value) => tags.push({ Key, Value: (0,_shared_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .encodeTagValue */ .m3)(value) ?? (0,_shared_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .sanitizeTagValue */ .Zz)(value) });
    if (identity.image?.digest)
        store(IDENTITY_TAG_KEYS.imageDigest, identity.image.digest);
    if (identity.modelData)
        store(IDENTITY_TAG_KEYS.modelDataVersion, identity.modelData.value);
    return tags;
}
/** The outputs `image-digest` and `model-data-version` (only those known). */
function identityOutputs(identity) {
    return {
        ...(identity.image?.digest ? { "image-digest": identity.image.digest } : {}),
        ...(identity.modelData ? { "model-data-version": identity.modelData.value } : {}),
    };
}
/** Lines for the job summary: what the image and the model data resolved to. */
function identityNotes(identity) {
    const notes = [];
    if (identity.image?.digest)
        notes.push(`Image: ${identity.image.image}${identity.image.tag ? ` (tag ${identity.image.tag})` : ""}.`);
    if (identity.modelData)
        notes.push(`Model data: ${identity.modelData.url} is ${describeModelData(identity.modelData)}.`);
    return notes;
}


/***/ })

};
