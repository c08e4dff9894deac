import { IMAGE, KMS_KEY, VPC, WEIGHTED_VARIANTS } from "./production-spec.js";

/** The execution role of the README's examples, which the shipped IAM policy may pass. */
export const ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";

/** Two weighted variants with data capture, VPC, network isolation, KMS, volumes and start-up timeouts. */
export const WEIGHTED_SPEC = {
  model: {
    PrimaryContainer: { Image: IMAGE, ModelDataUrl: "s3://models-bucket/churn/model.tar.gz" },
    VpcConfig: VPC,
    EnableNetworkIsolation: true,
  },
  "endpoint-config": {
    ProductionVariants: WEIGHTED_VARIANTS,
    DataCaptureConfig: {
      EnableCapture: true,
      InitialSamplingPercentage: 20,
      DestinationS3Uri: "s3://capture-bucket/churn/",
      KmsKeyId: KMS_KEY,
      CaptureOptions: [{ CaptureMode: "Input" }, { CaptureMode: "Output" }],
    },
    KmsKeyId: KMS_KEY,
  },
} as const;

/** One production variant and one shadow variant, as SageMaker allows. */
export const SHADOW_SPEC = {
  model: { PrimaryContainer: { Image: IMAGE } },
  "endpoint-config": {
    ProductionVariants: [
      { VariantName: "Live", InstanceType: "ml.m5.large", InitialInstanceCount: 1 },
    ],
    ShadowProductionVariants: [
      { VariantName: "Shadow", InstanceType: "ml.m5.large", InitialInstanceCount: 1 },
    ],
  },
} as const;

/** One serverless variant with provisioned concurrency, which the two serverless inputs cannot set. */
export const SERVERLESS_SPEC = {
  model: { PrimaryContainer: { Image: IMAGE } },
  "endpoint-config": {
    ProductionVariants: [
      {
        VariantName: "AllTraffic",
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 10, ProvisionedConcurrency: 2 },
      },
    ],
  },
} as const;

/** An asynchronous endpoint. */
export const ASYNC_SPEC = {
  model: { PrimaryContainer: { Image: IMAGE } },
  "endpoint-config": {
    ProductionVariants: [
      { VariantName: "AllTraffic", InstanceType: "ml.m5.large", InitialInstanceCount: 1 },
    ],
    AsyncInferenceConfig: {
      ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
      OutputConfig: { S3OutputPath: "s3://async-bucket/churn/out/" },
    },
  },
} as const;

export { IMAGE, KMS_KEY };
