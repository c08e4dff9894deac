export const id = 39;
export const ids = [39];
export const modules = {

/***/ 1039:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   modelFromPackage: () => (/* binding */ modelFromPackage),
/* harmony export */   packageOutputs: () => (/* binding */ packageOutputs),
/* harmony export */   packageTags: () => (/* binding */ packageTags),
/* harmony export */   resolveModelPackage: () => (/* binding */ resolveModelPackage)
/* harmony export */ });
/* unused harmony export MODEL_PACKAGE_TAG_KEY */
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8382);
/* harmony import */ var _shared_tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9160);


/** The tag that records the package version a model was created from. */
const MODEL_PACKAGE_TAG_KEY = "sagemaker-deploy:model-package";
const NOTHING = "Nothing was created.";
async function latestApproved(gateway, group) {
    const [latest] = await gateway.listModelPackages({
        ModelPackageGroupName: group,
        ModelApprovalStatus: "Approved",
        SortBy: "CreationTime",
        SortOrder: "Descending",
    }, 1);
    if (latest?.ModelPackageArn)
        return latest.ModelPackageArn;
    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`model-package: group '${group}' has no Approved version. Approve one (aws sagemaker update-model-package --model-package-arn ARN --model-approval-status Approved) and re-run. ${NOTHING}`);
}
function label(described, arn) {
    return described.ModelPackageVersion !== undefined && described.ModelPackageGroupName
        ? `version ${described.ModelPackageVersion} of '${described.ModelPackageGroupName}'`
        : `'${arn}'`;
}
/** Refuses a package SageMaker cannot deploy here, or one not Approved (unless allowed). */
function checkFit(described, arn, options) {
    const what = `model-package: ${label(described, arn)}`;
    const region = arn.split(":")[3];
    if (region !== options.region) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`${what} is in ${region}, but the endpoint is in ${options.region}: SageMaker creates a model only from a package in its own region. ${NOTHING}`);
    }
    if (described.ModelPackageStatus !== "Completed") {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`${what} is ${described.ModelPackageStatus ?? "in an unknown status"}, not Completed, so it cannot be deployed yet. ${NOTHING}`);
    }
    const approval = described.ModelApprovalStatus ?? "PendingManualApproval";
    if (approval !== "Approved" && !options.allowUnapproved) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`${what} is ${approval}, not Approved. Approve it, or set allow-unapproved: true to deploy it anyway. ${NOTHING}`);
    }
    if ((described.InferenceSpecification?.Containers ?? []).length === 0) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`${what} has no inference containers to deploy. ${NOTHING}`);
    }
}
/**
 * Finds the package version to deploy: the ARN given, or the group's latest Approved version
 * (ListModelPackages, newest first), then DescribeModelPackage, whose answer decides: it must
 * be Completed, in the endpoint's region, and Approved unless `allowUnapproved`.
 */
async function resolveModelPackage(options) {
    const { gateway, ref } = options;
    const arn = ref.kind === "version" ? ref.arn : await latestApproved(gateway, ref.group);
    const described = await gateway.describeModelPackage(arn);
    if (described === undefined) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .DeployError */ .sH(`model-package: '${arn}' does not exist. ${NOTHING}`);
    }
    checkFit(described, arn, options);
    const approval = described.ModelApprovalStatus ?? "PendingManualApproval";
    if (approval !== "Approved") {
        options.log.warning(`Deploying ${label(described, arn)}, which is ${approval} (allow-unapproved is true).`);
    }
    options.log.info(`model package ${arn}: ${label(described, arn)}, ${approval}`);
    return {
        arn,
        ...(described.ModelPackageGroupName ? { group: described.ModelPackageGroupName } : {}),
        ...(described.ModelPackageVersion !== undefined
            ? { version: described.ModelPackageVersion }
            : {}),
        approval,
        containers: (described.InferenceSpecification?.Containers ?? []).map((c) => ({
            ...(c.Image ? { image: c.Image } : {}),
            ...(c.ImageDigest ? { imageDigest: c.ImageDigest } : {}),
            ...(c.ModelDataUrl ? { modelDataUrl: c.ModelDataUrl } : {}),
        })),
    };
}
/**
 * CreateModel's request for a package version, as AWS documents it: one container naming the
 * package (SageMaker expands it into the package's containers), with the `environment` input
 * as that container's Environment, which SageMaker lays over each package container's own.
 */
function modelFromPackage(options) {
    const hasEnvironment = Object.keys(options.environment).length > 0;
    return {
        ModelName: options.modelName,
        Containers: [
            {
                ModelPackageName: options.packageArn,
                ...(hasEnvironment ? { Environment: { ...options.environment } } : {}),
            },
        ],
        ExecutionRoleArn: options.executionRoleArn,
        ...(options.tags.length > 0 ? { Tags: [...options.tags] } : {}),
    };
}
/** The tag recording the package version (an ARN always fits SageMaker's tag charset). */
function packageTags(resolved) {
    return [{ Key: MODEL_PACKAGE_TAG_KEY, Value: (0,_shared_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .sanitizeTagValue */ .Zz)(resolved.arn) }];
}
/** The outputs of a package deploy: `model-package-arn`, and `image-digest` when the package records it. */
function packageOutputs(resolved) {
    const digests = resolved.containers.flatMap((c) => (c.imageDigest ? [c.imageDigest] : []));
    return {
        "model-package-arn": resolved.arn,
        ...(digests.length > 0 ? { "image-digest": digests.join(",") } : {}),
    };
}


/***/ })

};
