import type { EcrGateway } from "./ecr-gateway.js";
import type { GetOctokit } from "./github-deployment.js";
import type { RuntimeGateway } from "./runtime-gateway.js";
import type { S3Gateway } from "./s3-gateway.js";

/**
 * The clients only some deploys need, each built on first use from its own chunk of the bundle
 * (dynamic `import()`), so a plain deploy never loads the ECR, S3 or SageMaker Runtime SDK.
 */
export interface ReleaseClients {
  /** ECR in the image's region: resolves a tag to its digest. */
  readonly ecr: (region: string, signal?: AbortSignal) => Promise<EcrGateway>;
  /** S3 in the endpoint's region: identifies the model data. */
  readonly s3: (region: string, signal?: AbortSignal) => Promise<S3Gateway>;
  /** SageMaker Runtime in the endpoint's region: the smoke test. */
  readonly runtime: (region: string, signal?: AbortSignal) => Promise<RuntimeGateway>;
  /** `@actions/github`'s getOctokit: GitHub Deployments (github-environment). */
  readonly github: () => Promise<GetOctokit>;
}

/**
 * The real clients; `github` comes from the runner, the only module that loads `@actions/*`. Each
 * AWS client honours its SDK endpoint variable (`AWS_ENDPOINT_URL_ECR`,
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`, or `AWS_ENDPOINT_URL`).
 */
export function loadReleaseClients(
  env: NodeJS.ProcessEnv,
  github: () => Promise<GetOctokit>,
): ReleaseClients {
  const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  return {
    ecr: async (region, signal) => {
      const { createEcrGateway } = await import("./ecr-gateway.js");
      return createEcrGateway({ region, ...withSignal(signal) });
    },
    s3: async (region, signal) => {
      const { createS3Gateway } = await import("./s3-gateway.js");
      return createS3Gateway({ region, env, ...withSignal(signal) });
    },
    runtime: async (region, signal) => {
      const { createRuntimeGateway } = await import("./runtime-gateway.js");
      return createRuntimeGateway({ region, ...withSignal(signal) });
    },
    github,
  };
}
