/** AWS console links for a region (commercial partition). */
export const consoleLinks = {
  endpoint: (region: string, name: string) =>
    `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/endpoints/${encodeURIComponent(name)}`,
  endpointConfig: (region: string, name: string) =>
    `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/endpointConfig/${encodeURIComponent(name)}`,
  model: (region: string, name: string) =>
    `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/models/${encodeURIComponent(name)}`,
  logs: (region: string, name: string) =>
    `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FEndpoints$252F${encodeURIComponent(name)}`,
} as const;
