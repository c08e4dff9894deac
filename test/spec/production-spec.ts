/** An execution role SageMaker can assume. */
export const ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution";
/** A container image in ECR. */
export const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.2";
/** A KMS key for volumes and outputs. */
export const KMS_KEY =
  "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:inference-results";

/** A VPC of two subnets and one security group. */
export const VPC = {
  SecurityGroupIds: ["sg-0123456789abcdef0"],
  Subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
} as const;

/** Two weighted production variants (A/B), with volumes and start-up timeouts. */
export const WEIGHTED_VARIANTS = [
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
] as const;

/** What a production deployment's spec file holds: every commonly used member at once. */
export const PRODUCTION_SPEC = {
  model: {
    ExecutionRoleArn: ROLE,
    Containers: [
      {
        ContainerHostname: "preprocess",
        Image: IMAGE.replace("churn", "churn-preprocess"),
        ModelDataUrl: "s3://models-bucket/churn/preprocess.tar.gz",
        Environment: { LOG_LEVEL: "info", SAGEMAKER_PROGRAM: "serve.py" },
      },
      {
        ContainerHostname: "predict",
        Image: IMAGE,
        ModelDataSource: {
          S3DataSource: {
            S3Uri: "s3://models-bucket/churn/predict/",
            S3DataType: "S3Prefix",
            CompressionType: "None",
          },
        },
      },
    ],
    InferenceExecutionConfig: { Mode: "Serial" },
    VpcConfig: VPC,
    EnableNetworkIsolation: true,
  },
  "endpoint-config": {
    ProductionVariants: WEIGHTED_VARIANTS,
    ShadowProductionVariants: [
      { VariantName: "Shadow", InstanceType: "ml.c5.xlarge", InitialInstanceCount: 1 },
    ],
    DataCaptureConfig: {
      EnableCapture: true,
      InitialSamplingPercentage: 20,
      DestinationS3Uri: "s3://capture-bucket/churn/",
      KmsKeyId: KMS_KEY,
      CaptureOptions: [{ CaptureMode: "Input" }, { CaptureMode: "Output" }],
      CaptureContentTypeHeader: { JsonContentTypes: ["application/json"] },
    },
    AsyncInferenceConfig: {
      ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
      OutputConfig: {
        S3OutputPath: "s3://async-bucket/churn/out/",
        S3FailurePath: "s3://async-bucket/churn/failed/",
        KmsKeyId: KMS_KEY,
        NotificationConfig: {
          SuccessTopic: TOPIC,
          ErrorTopic: TOPIC,
          IncludeInferenceResponseIn: ["SUCCESS_NOTIFICATION_TOPIC"],
        },
      },
    },
    KmsKeyId: KMS_KEY,
    EnableNetworkIsolation: true,
  },
  autoscaling: {
    Current: {
      min: 2,
      max: 8,
      policies: [
        {
          name: "invocations",
          metric: "SageMakerVariantInvocationsPerInstance",
          target: 70,
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      ],
    },
  },
};
