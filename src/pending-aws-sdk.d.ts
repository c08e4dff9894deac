/**
 * The few members of the ECR, S3 and SageMaker Runtime clients that src/ecr-gateway.ts,
 * src/s3-gateway.ts and src/runtime-gateway.ts use, spelled as the SDK spells them, until
 * `@aws-sdk/client-ecr`, `@aws-sdk/client-s3` and `@aws-sdk/client-sagemaker-runtime` are
 * dependencies. An ambient declaration wins over an installed package, so this file is deleted
 * when they are installed; the gateways then type-check against the real clients unchanged.
 */

interface PendingClientConfig {
  readonly region?: string;
  readonly maxAttempts?: number;
  readonly retryMode?: string;
  readonly customUserAgent?: [string, string][];
  readonly requestHandler?: {
    readonly connectionTimeout?: number;
    readonly requestTimeout?: number;
  };
  readonly forcePathStyle?: boolean;
}

interface PendingSendOptions {
  readonly abortSignal?: AbortSignal;
}

declare module "@aws-sdk/client-ecr" {
  export interface ImageIdentifier {
    imageDigest?: string | undefined;
    imageTag?: string | undefined;
  }
  export interface DescribeImagesCommandInput {
    registryId?: string | undefined;
    repositoryName: string | undefined;
    imageIds?: ImageIdentifier[] | undefined;
  }
  export interface ImageDetail {
    imageDigest?: string | undefined;
    imageTags?: string[] | undefined;
  }
  export interface DescribeImagesCommandOutput {
    imageDetails?: ImageDetail[] | undefined;
  }
  export class DescribeImagesCommand {
    constructor(input: DescribeImagesCommandInput);
  }
  export class ECRClient {
    constructor(config: PendingClientConfig);
    send(
      command: DescribeImagesCommand,
      options?: PendingSendOptions,
    ): Promise<DescribeImagesCommandOutput>;
    destroy(): void;
  }
}

declare module "@aws-sdk/client-s3" {
  export interface HeadObjectCommandInput {
    Bucket: string | undefined;
    Key: string | undefined;
  }
  export interface HeadObjectCommandOutput {
    ETag?: string | undefined;
    VersionId?: string | undefined;
    ContentLength?: number | undefined;
  }
  export class HeadObjectCommand {
    constructor(input: HeadObjectCommandInput);
  }
  export interface ListObjectsV2CommandInput {
    Bucket: string | undefined;
    Prefix?: string | undefined;
    ContinuationToken?: string | undefined;
    MaxKeys?: number | undefined;
  }
  export interface S3Object {
    Key?: string | undefined;
    ETag?: string | undefined;
    Size?: number | undefined;
  }
  export interface ListObjectsV2CommandOutput {
    Contents?: S3Object[] | undefined;
    IsTruncated?: boolean | undefined;
    NextContinuationToken?: string | undefined;
  }
  export class S3Client {
    constructor(config: PendingClientConfig);
    send(
      command: HeadObjectCommand,
      options?: PendingSendOptions,
    ): Promise<HeadObjectCommandOutput>;
    destroy(): void;
  }
  export function paginateListObjectsV2(
    config: { client: S3Client; pageSize?: number },
    input: ListObjectsV2CommandInput,
  ): AsyncIterable<ListObjectsV2CommandOutput>;
}

declare module "@aws-sdk/client-sagemaker-runtime" {
  export interface InvokeEndpointCommandInput {
    EndpointName: string | undefined;
    Body: Uint8Array | undefined;
    ContentType?: string | undefined;
    Accept?: string | undefined;
    TargetVariant?: string | undefined;
  }
  export interface InvokeEndpointCommandOutput {
    Body: Uint8Array | undefined;
    ContentType?: string | undefined;
    InvokedProductionVariant?: string | undefined;
  }
  export class InvokeEndpointCommand {
    constructor(input: InvokeEndpointCommandInput);
  }
  export class SageMakerRuntimeClient {
    constructor(config: PendingClientConfig);
    send(
      command: InvokeEndpointCommand,
      options?: PendingSendOptions,
    ): Promise<InvokeEndpointCommandOutput>;
    destroy(): void;
  }
}
