import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  type ModelApprovalStatus,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";

/** The image digest every seeded package version records. */
export const PACKAGE_IMAGE_DIGEST = `sha256:${"ab".repeat(32)}`;

/** Creates a model package group through the SDK, as a model build pipeline would. */
export async function createPackageGroup(client: SageMakerClient, name: string): Promise<void> {
  await client.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: name }));
}

/** Registers the next version of `group` with one container; answers its ARN. */
export async function registerPackageVersion(
  client: SageMakerClient,
  group: string,
  approval: ModelApprovalStatus,
  modelData = "s3://ml-artifacts/model.tar.gz",
): Promise<string> {
  const answer = await client.send(
    new CreateModelPackageCommand({
      ModelPackageGroupName: group,
      ModelApprovalStatus: approval,
      InferenceSpecification: {
        Containers: [
          {
            Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:7",
            ImageDigest: PACKAGE_IMAGE_DIGEST,
            ModelDataUrl: modelData,
            Environment: { SAGEMAKER_PROGRAM: "inference.py" },
          },
        ],
        SupportedContentTypes: ["application/json"],
        SupportedResponseMIMETypes: ["application/json"],
      },
    }),
  );
  return answer.ModelPackageArn ?? "";
}
