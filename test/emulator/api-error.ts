/** Error types the emulator answers with, as AWS spells them. */
export const ERROR_TYPE = {
  validation: "ValidationException",
  throttling: "ThrottlingException",
  internal: "InternalFailure",
  unknownOperation: "UnknownOperationException",
  serialization: "SerializationException",
  expiredToken: "ExpiredTokenException",
} as const;

/** An AWS error answer: `__type`/`x-amzn-errortype`, message and HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A ValidationException (HTTP 400), SageMaker's answer to nearly every client mistake. */
export function validationError(message: string): ApiError {
  return new ApiError(ERROR_TYPE.validation, message);
}

/** The throttling answer AWS gives when a rate limit is hit. */
export function throttlingError(): ApiError {
  return new ApiError(ERROR_TYPE.throttling, "Rate exceeded");
}

/** A 500 InternalFailure. */
export function internalError(message = "An internal error occurred. Try again."): ApiError {
  return new ApiError(ERROR_TYPE.internal, message, 500);
}
