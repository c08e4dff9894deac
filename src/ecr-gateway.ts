import { DescribeImagesCommand, ECRClient, type ECRClientConfig } from "@aws-sdk/client-ecr";
import { awsClientConfig } from "./shared/aws-client.js";
import { callAws, errorName } from "./shared/errors.js";

/** An image in an ECR repository, named by tag. */
export interface EcrImageRef {
  /** The registry's account id (the `<acct>` of `<acct>.dkr.ecr.<region>.amazonaws.com`). */
  readonly registryId: string;
  readonly repositoryName: string;
  readonly tag: string;
}

/** Every ECR call the action makes: loaded only when an ECR image is resolved. */
export interface EcrGateway {
  /** The digest (`sha256:…`) the tag points at now; `undefined` when the repository has no such tag. */
  imageDigest(image: EcrImageRef): Promise<string | undefined>;
  destroy(): void;
}

/** ECR's answer for a tag the repository does not hold. */
const IMAGE_NOT_FOUND = "ImageNotFoundException";

/**
 * Builds the ECR gateway for the image's region. `AWS_ENDPOINT_URL_ECR` / `AWS_ENDPOINT_URL`
 * are honoured by the SDK itself.
 */
export function createEcrGateway(options: {
  readonly region: string;
  readonly signal?: AbortSignal;
  /** Merged over the project's client config (tests pass `endpoint` and `credentials`). */
  readonly clientConfig?: Partial<ECRClientConfig>;
}): EcrGateway {
  const client = new ECRClient({
    ...awsClientConfig({ region: options.region }),
    ...options.clientConfig,
  });
  const sendOptions = options.signal ? { abortSignal: options.signal } : {};
  return {
    imageDigest: async (image) => {
      const resource = `${image.repositoryName}:${image.tag}`;
      try {
        const answer = await callAws("DescribeImages", resource, () =>
          client.send(
            new DescribeImagesCommand({
              registryId: image.registryId,
              repositoryName: image.repositoryName,
              imageIds: [{ imageTag: image.tag }],
            }),
            sendOptions,
          ),
        );
        return answer.imageDetails?.[0]?.imageDigest;
      } catch (error) {
        if (errorName((error as { cause?: unknown }).cause) === IMAGE_NOT_FOUND) return undefined;
        throw error;
      }
    },
    destroy: () => client.destroy(),
  };
}
