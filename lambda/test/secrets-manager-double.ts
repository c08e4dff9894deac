import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A local stand-in for Secrets Manager's GetSecretValue (awsJson1_1), for AWS_ENDPOINT_URL_SECRETS_MANAGER. */
export interface SecretsManagerDouble {
  readonly url: string;
  /** SecretIds asked for, in order. */
  readonly reads: readonly string[];
  close(): Promise<void>;
}

/** Serves `secrets` (ARN → SecretString); unknown ids get ResourceNotFoundException as AWS answers it. */
export async function startSecretsManagerDouble(
  secrets: Readonly<Record<string, string>>,
): Promise<SecretsManagerDouble> {
  const reads: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = req.headers["x-amz-target"];
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
        SecretId?: string;
      };
      const id = input.SecretId ?? "";
      const value = secrets[id];
      reads.push(id);
      const ok = target === "secretsmanager.GetSecretValue" && value !== undefined;
      res.writeHead(ok ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
      res.end(
        JSON.stringify(
          ok
            ? {
                ARN: id,
                Name: id.split(":").at(-1),
                SecretString: value,
                VersionId: "v1",
                VersionStages: ["AWSCURRENT"],
              }
            : {
                __type: "ResourceNotFoundException",
                message: "Secrets Manager can't find the specified secret.",
              },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reads,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
