export const id = 237;
export const ids = [237];
export const modules = {

/***/ 6237:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   invokeHandoff: () => (/* binding */ invokeHandoff)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1696);
/* harmony import */ var _shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4479);


/** Invokes the companion asynchronously (InvocationType Event) with the hand-off payload. */
const invokeHandoff = async ({ region, functionName, payload }) => {
    const lambda = new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_1__/* .LambdaClient */ .Nox((0,_shared_aws_client_js__WEBPACK_IMPORTED_MODULE_0__/* .awsClientConfig */ .rw)({ region }));
    try {
        await lambda.send(new _aws_sdk_client_lambda__WEBPACK_IMPORTED_MODULE_1__/* .InvokeCommand */ .mdN({
            FunctionName: functionName,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(JSON.stringify(payload)),
        }));
    }
    finally {
        lambda.destroy();
    }
};


/***/ })

};
