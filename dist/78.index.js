export const id = 78;
export const ids = [78];
export const modules = {

/***/ 9078:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createS3Gateway: () => (/* binding */ createS3Gateway)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3711);
/* harmony import */ var _shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4479);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);



/** S3's names for "no such object" (HEAD answers carry no body, so the SDK names it by status). */
const NOT_FOUND = ["NotFound", "NoSuchKey"];
/** Objects per ListObjectsV2 page (S3's maximum). */
const PAGE_SIZE = 1000;
/**
 * Builds the S3 gateway. With an endpoint override (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`,
 * honoured by the SDK itself) requests use path-style addressing, which local stand-ins and
 * VPC interface endpoints need; otherwise the SDK's virtual-hosted default.
 */
function createS3Gateway(options) {
    const forcePathStyle = Boolean(options.env.AWS_ENDPOINT_URL_S3 ||
        options.env.AWS_ENDPOINT_URL ||
        options.clientConfig?.endpoint);
    const client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__/* .S3Client */ .YxF({
        ...(0,_shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .awsClientConfig */ .rw)({ region: options.region }),
        forcePathStyle,
        ...options.clientConfig,
    });
    const sendOptions = options.signal ? { abortSignal: options.signal } : {};
    return {
        headObject: async (bucket, key) => {
            try {
                const answer = await (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .callAws */ .IY)("HeadObject", `s3://${bucket}/${key}`, () => client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__/* .HeadObjectCommand */ .l81({ Bucket: bucket, Key: key }), sendOptions));
                return {
                    ...(answer.VersionId ? { versionId: answer.VersionId } : {}),
                    ...(answer.ETag ? { etag: answer.ETag } : {}),
                };
            }
            catch (error) {
                if (NOT_FOUND.includes((0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorName */ .Is)(error.cause) ?? "")) {
                    return undefined;
                }
                throw error;
            }
        },
        listObjects: (bucket, prefix, limit) => (0,_shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .callAws */ .IY)("ListObjectsV2", `s3://${bucket}/${prefix}`, async () => {
            const objects = [];
            const pager = (0,_aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_2__/* .paginateListObjectsV2 */ .OqA)({ client, pageSize: PAGE_SIZE }, { Bucket: bucket, Prefix: prefix });
            for await (const page of pager) {
                for (const item of page.Contents ?? []) {
                    if (item.Key !== undefined)
                        objects.push({ key: item.Key, etag: item.ETag ?? "" });
                }
                if (objects.length > limit)
                    return { objects: objects.slice(0, limit), truncated: true };
            }
            return { objects, truncated: false };
        }),
        destroy: () => client.destroy(),
    };
}


/***/ })

};
