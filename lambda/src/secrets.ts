import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { callAws } from "../../src/shared/errors.js";

/** Options for {@link createSecretReader}. */
export interface SecretReaderOptions {
  readonly secretArn: string;
  /** The client to use; by default one is made on first use. */
  readonly client?: SecretsManagerClient;
  readonly customUserAgent?: [string, string][];
}

/** A reader of one Secrets Manager secret's current value. */
export function createSecretReader(options: SecretReaderOptions): () => Promise<string> {
  let client = options.client;
  return async () => {
    // Loaded on first use: the secret is read once per container, after the SageMaker work.
    const sdk = await import(/* webpackIgnore: true */ "@aws-sdk/client-secrets-manager");
    client ??= new sdk.SecretsManagerClient({ customUserAgent: options.customUserAgent });
    const secrets = client;
    const answer = await callAws("GetSecretValue", options.secretArn, () =>
      secrets.send(new sdk.GetSecretValueCommand({ SecretId: options.secretArn })),
    );
    if (answer.SecretString !== undefined) return answer.SecretString;
    if (answer.SecretBinary !== undefined) return new TextDecoder().decode(answer.SecretBinary);
    return "";
  };
}
