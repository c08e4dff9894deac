export const id = 382;
export const ids = [382];
export const modules = {

/***/ 9382:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEcrGateway: () => (/* binding */ createEcrGateway)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8249);
/* harmony import */ var _shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4479);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);



/** ECR's answer for a tag the repository does not hold. */
const IMAGE_NOT_FOUND = "ImageNotFoundException";
/**
 * Builds the ECR gateway for the image's region. `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL`
 * are honoured by the SDK itself.
 */
function createEcrGateway(options) {
    const client = new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__/* .ECRClient */ .S70({
        ...(0,_shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .awsClientConfig */ .rw)({ region: options.region }),
        ...options.clientConfig,
    });
    const sendOptions = options.signal ? { abortSignal: options.signal } : {};
    return {
        imageDigest: async (image) => {
            const resource = `${image.repositoryName}:${image.tag}`;
            try {
                const answer = await (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .callAws */ .IY)("DescribeImages", resource, () => client.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__/* .DescribeImagesCommand */ .ji5({
                    registryId: image.registryId,
                    repositoryName: image.repositoryName,
                    imageIds: [{ imageTag: image.tag }],
                }), sendOptions));
                return answer.imageDetails?.[0]?.imageDigest;
            }
            catch (error) {
                if ((0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorName */ .Is)(error.cause) === IMAGE_NOT_FOUND)
                    return undefined;
                throw error;
            }
        },
        destroy: () => client.destroy(),
    };
}


/***/ })

};
