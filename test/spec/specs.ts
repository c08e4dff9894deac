import { IMAGE, KMS_KEY } from "./production-spec.js";

/** The execution role of the README's examples, which the shipped IAM policy may pass. */
export const ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";

/** Two weighted variants with data capture, VPC, network isolation, KMS, volumes and start-up timeouts. */
export const WEIGHTED_SPEC = {
  model: {
    PrimaryContainer: { Image: IMAGE, ModelDataUrl: "s3://models-bucket/churn/model.tar.gz" },
    VpcConfig: {
      SecurityGroupIds: ["sg-0123456789abcdef0"],
      Subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
    },
    EnableNetworkIsolation: true,
  },
  "endpoint-config": {
    ProductionVariants: [
      {
        VariantName: "Current",
        InstanceType: "ml.m5.xlarge",
        InitialInstanceCount: 2,
        InitialVariantWeight: 0.9,
        VolumeSizeInGB: 64,
        ModelDataDownloadTimeoutInSeconds: 1200,
        ContainerStartupHealthCheckTimeoutInSeconds: 600,
      },
      {
        VariantName: "Candidate",
        InstanceType: "ml.m5.xlarge",
        InitialInstanceCount: 1,
        InitialVariantWeight: 0.1,
        VolumeSizeInGB: 64,
      },
    ],
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
