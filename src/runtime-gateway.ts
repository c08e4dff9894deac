import {
  InvokeEndpointCommand,
  SageMakerRuntimeClient,
  type SageMakerRuntimeClientConfig,
} from "@aws-sdk/client-sagemaker-runtime";
import { awsClientConfig } from "./shared/aws-client.js";
import { errorMessage, errorName } from "./shared/errors.js";

/** One InvokeEndpoint request. */
export interface InvokeRequest {
  readonly endpointName: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Sent only when set: the variant that must answer. */
  readonly targetVariant?: string;
}

/** What InvokeEndpoint answered: the model's answer, or the error it (or SageMaker) gave. */
export type InvokeAnswer =
  | {
      readonly ok: true;
      readonly body: Uint8Array;
      readonly contentType?: string;
      readonly variant?: string;
    }
  | {
      readonly ok: false;
      /** The AWS error name: ModelError, ValidationError, ModelNotReadyException, … */
      readonly error: string;
      /** HTTP status of SageMaker's answer, and for a ModelError the container's own status. */
      readonly status?: number;
      readonly modelStatus?: number;
      readonly message: string;
    };

/** The SageMaker Runtime calls the action makes: loaded only for a smoke test. */
export interface RuntimeGateway {
  /** Never throws for an error answer: a smoke test judges those. */
  invokeEndpoint(request: InvokeRequest): Promise<InvokeAnswer>;
  destroy(): void;
}

/**
 * A real-time endpoint has 60 s to answer InvokeEndpoint; the socket gets a little more, so the
 * endpoint's own timeout is what the smoke test reports.
 */
export const INVOKE_TIMEOUT_MS = 70_000;

/** The error fields the runtime client puts on a failed call. */
interface RuntimeError {
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly OriginalStatusCode?: number;
  readonly OriginalMessage?: string;
}

/** Turns a thrown runtime error into an answer the smoke test can judge. */
export function invokeError(error: unknown): InvokeAnswer {
  const fields = (typeof error === "object" && error !== null ? error : {}) as RuntimeError;
  const status = fields.$metadata?.httpStatusCode;
  return {
    ok: false,
    error: errorName(error) ?? "Error",
    ...(status === undefined ? {} : { status }),
    ...(fields.OriginalStatusCode === undefined ? {} : { modelStatus: fields.OriginalStatusCode }),
    message: fields.OriginalMessage ?? errorMessage(error),
  };
}

/**
 * Builds the runtime gateway. `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` / `AWS_ENDPOINT_URL` are
 * honoured by the SDK itself.
 */
export function createRuntimeGateway(options: {
  readonly region: string;
  readonly signal?: AbortSignal;
  /** Merged over the project's client config (tests pass `endpoint` and `credentials`). */
  readonly clientConfig?: Partial<SageMakerRuntimeClientConfig>;
}): RuntimeGateway {
  const base = awsClientConfig({ region: options.region });
  const client = new SageMakerRuntimeClient({
    ...base,
    // A retried invocation runs the model again; the SDK still retries throttling and 5xx.
    maxAttempts: 3,
    requestHandler: { ...base.requestHandler, requestTimeout: INVOKE_TIMEOUT_MS },
    ...options.clientConfig,
  });
  const sendOptions = options.signal ? { abortSignal: options.signal } : {};
  return {
    invokeEndpoint: async (request) => {
      try {
        const answer = await client.send(
          new InvokeEndpointCommand({
            EndpointName: request.endpointName,
            Body: request.body,
            ContentType: request.contentType,
            ...(request.targetVariant ? { TargetVariant: request.targetVariant } : {}),
          }),
          sendOptions,
        );
        return {
          ok: true,
          body: answer.Body ?? new Uint8Array(),
          ...(answer.ContentType ? { contentType: answer.ContentType } : {}),
          ...(answer.InvokedProductionVariant ? { variant: answer.InvokedProductionVariant } : {}),
        };
      } catch (error) {
        return invokeError(error);
      }
    },
    destroy: () => client.destroy(),
  };
}
