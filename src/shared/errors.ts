/** The message of anything thrown, Error or not. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** The AWS error name (`ValidationException`, `ThrottlingException`, …) of a thrown SDK error. */
export function errorName(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "name" in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === "string" ? name : undefined;
  }
  return undefined;
}

/** One or more action inputs are invalid; every problem names its input. */
export class InputError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    const list = problems.map((problem) => `  - ${problem}`).join("\n");
    super(
      `${problems.length} invalid input${problems.length === 1 ? "" : "s"}; nothing was created:\n${list}`,
    );
    this.name = "InputError";
    this.problems = problems;
  }
}

/** A SageMaker (or Lambda) call failed; the message says which call on which resource. */
export class AwsCallError extends Error {
  readonly operation: string;
  readonly resource: string;
  constructor(operation: string, resource: string, cause: unknown) {
    super(`${operation} '${resource}' failed: ${errorMessage(cause)}`, { cause });
    this.name = "AwsCallError";
    this.operation = operation;
    this.resource = resource;
  }
}

/** The deploy cannot go on for a reason the user must act on (not a failed AWS call). */
export class DeployError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DeployError";
  }
}

/** A mutating call was not started because the job was cancelled. */
export class CancelledError extends Error {
  readonly operation: string;
  readonly resource: string;
  constructor(operation: string, resource: string) {
    super(`${operation} '${resource}' was not started: the job was cancelled`);
    this.name = "CancelledError";
    this.operation = operation;
    this.resource = resource;
  }
}

/** Runs an AWS call and wraps any failure as ``Operation 'resource' failed: reason``. */
export async function callAws<T>(
  operation: string,
  resource: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AwsCallError(operation, resource, error);
  }
}

/** True for SageMaker's "Could not find …" answers, which it sends as ValidationException. */
export function isNotFound(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return /could not find|does not exist|not found/i.test(errorMessage(cause));
}

/** Runs a call; `undefined` when SageMaker answers that the resource does not exist. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** True for SageMaker's "Cannot create already existing …" answers. */
export function isAlreadyExisting(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return /already existing|already exists/i.test(errorMessage(cause));
}

/**
 * AWS error names that mean the credentials themselves are expired or not valid. Retrying them
 * only repeats the failure until the deadline, so they end a wait at once.
 */
export const CREDENTIAL_ERRORS = [
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "CredentialsProviderError",
] as const;

/** True when a (possibly wrapped) AWS error says the credentials are expired or invalid. */
export function isCredentialError(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  const name = errorName(cause);
  return name !== undefined && (CREDENTIAL_ERRORS as readonly string[]).includes(name);
}

/** True when a (possibly wrapped) AWS error says the caller may not make the call. */
export function isAccessDenied(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return (
    /^AccessDenied/.test(errorName(cause) ?? "") ||
    /not authorized to perform/i.test(errorMessage(cause))
  );
}
