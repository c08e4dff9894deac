import type { DescribeEndpointCommandOutput } from "@aws-sdk/client-sagemaker";

/** A DescribeEndpoint answer for unit tests that mock the SDK client. */
export function endpointAnswer(
  endpointName: string,
  configName: string,
  EndpointStatus: string,
  extra: Partial<DescribeEndpointCommandOutput> = {},
): Partial<DescribeEndpointCommandOutput> {
  return {
    EndpointName: endpointName,
    EndpointArn: `arn:aws:sagemaker:us-east-1:123456789012:endpoint/${endpointName}`,
    EndpointConfigName: configName,
    EndpointStatus,
    ...extra,
  } as Partial<DescribeEndpointCommandOutput>;
}
