import { generateKeyPairSync } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGithubApiDouble } from "../../test/doubles/github-api.js";
import {
  CredentialsError,
  createTokenProvider,
  parseGithubSecret,
} from "../src/github-credentials.js";
import { handleEvent } from "../src/handle-event.js";
import { RESULT } from "../src/handler-result.js";
import { createSecretReader } from "../src/secrets.js";
import {
  ENDPOINT,
  fakeClock,
  MINUTE,
  SECRET_ARN,
  seedCreating,
  startHarness,
  TEST_TOKEN,
} from "./harness.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const APP = {
  appId: "123456",
  installationId: "987654",
  installationToken: "test-installation-token-not-real",
};

describe("parseGithubSecret", () => {
  it.each([
    { name: "a bare token", text: TEST_TOKEN, kind: "token" },
    { name: "a token with a trailing newline", text: `${TEST_TOKEN}\n`, kind: "token" },
    { name: 'JSON {"token"}', text: JSON.stringify({ token: TEST_TOKEN }), kind: "token" },
    {
      name: "a GitHub App",
      text: JSON.stringify({ appId: 1, installationId: "2", privateKey }),
      kind: "app",
    },
    {
      name: "an App key with escaped newlines",
      text: JSON.stringify({
        appId: "1",
        installationId: 2,
        privateKey: privateKey.replace(/\n/g, "\\n"),
      }),
      kind: "app",
    },
  ])("reads $name", ({ text, kind }) => {
    expect(parseGithubSecret(text).kind).toBe(kind);
  });

  it("turns escaped newlines of an App key back into newlines", () => {
    const credentials = parseGithubSecret(
      JSON.stringify({ appId: 1, installationId: 2, privateKey: privateKey.replace(/\n/g, "\\n") }),
    );
    expect(credentials.kind === "app" && credentials.privateKey).toBe(privateKey);
  });

  it.each([
    { name: "an empty secret", text: "  " },
    { name: "two words", text: "test token" },
    { name: "broken JSON", text: '{"token": test-token-not-real' },
    { name: "JSON without a token", text: '{"password": "test-token-not-real"}' },
    {
      name: "an App without a key",
      text: '{"appId": 1, "installationId": 2, "privateKey": "test-token-not-real"}',
    },
    {
      name: "an App with a non-numeric id",
      text: JSON.stringify({ appId: "my-app", installationId: 2, privateKey }),
    },
  ])("refuses $name without quoting it", ({ text }) => {
    expect(() => parseGithubSecret(text)).toThrow(CredentialsError);
    try {
      parseGithubSecret(text);
    } catch (error) {
      expect(String(error)).not.toContain("test-token-not-real");
      expect(String(error)).not.toContain("PRIVATE KEY");
    }
  });
});

describe("createTokenProvider", () => {
  it("reads the secret once per container, and again after the cache TTL", async () => {
    const clock = fakeClock();
    let reads = 0;
    const getToken = createTokenProvider({
      readSecret: async () => {
        reads += 1;
        return TEST_TOKEN;
      },
      apiUrl: "https://api.github.com",
      fetch,
      clock,
      cacheTtlMs: 15 * MINUTE,
    });

    await Promise.all([getToken(), getToken()]);
    await getToken();
    clock.advance(16 * MINUTE);
    await getToken();

    expect(reads).toBe(2);
  });

  it("does not cache a failed read", async () => {
    let calls = 0;
    const getToken = createTokenProvider({
      readSecret: async () => {
        calls += 1;
        if (calls === 1) throw new Error("GetSecretValue failed: throttled");
        return TEST_TOKEN;
      },
      apiUrl: "https://api.github.com",
      fetch,
      clock: fakeClock(),
    });

    await expect(getToken()).rejects.toThrow(/throttled/);
    await expect(getToken()).resolves.toBe(TEST_TOKEN);
  });
});

describe("createSecretReader", () => {
  const secrets = mockClient(SecretsManagerClient);

  afterEach(() => {
    secrets.reset();
  });

  it("reads SecretString, and SecretBinary as UTF-8", async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolvesOnce({ SecretString: TEST_TOKEN })
      .resolvesOnce({ SecretBinary: new TextEncoder().encode(TEST_TOKEN) });
    const read = createSecretReader({
      secretArn: SECRET_ARN,
      client: new SecretsManagerClient({ region: "us-east-1" }),
    });

    expect([await read(), await read()]).toEqual([TEST_TOKEN, TEST_TOKEN]);
  });

  it("names the call and the secret when Secrets Manager refuses", async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(
        Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }),
      );
    const read = createSecretReader({
      secretArn: SECRET_ARN,
      client: new SecretsManagerClient({ region: "us-east-1" }),
    });

    await expect(read()).rejects.toThrow(
      `GetSecretValue '${SECRET_ARN}' failed: User is not authorized`,
    );
  });
});

describe("GitHub App authentication", () => {
  let github: Awaited<ReturnType<typeof startGithubApiDouble>>;

  beforeEach(async () => {
    github = await startGithubApiDouble({ app: { ...APP, publicKey } });
  });

  afterEach(async () => {
    await github.close();
  });

  function provider() {
    return createTokenProvider({
      readSecret: async () =>
        JSON.stringify({ appId: APP.appId, installationId: APP.installationId, privateKey }),
      apiUrl: github.url,
      fetch: (input, init) => fetch(input, init),
      clock: fakeClock(),
    });
  }

  it("gets an installation token with a JWT signed by the app's key, and caches it", async () => {
    const getToken = provider();

    expect(await getToken()).toBe(APP.installationToken);
    expect(await getToken()).toBe(APP.installationToken);

    const calls = github.requests.filter((r) => r.operation === "accessToken");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      status: 201,
      problems: [],
      params: { installation_id: APP.installationId },
    });
  });

  it("says which app failed when GitHub refuses the installation", async () => {
    github.script("accessToken", { status: 404, body: { message: "Not Found" } });

    await expect(provider()()).rejects.toThrow(
      /GitHub App 123456 could not get an installation token/,
    );
  });

  it("dispatches with the installation token through the handler", async () => {
    const harness = await startHarness({ github: { app: { ...APP, publicKey }, tokens: [] } });
    try {
      const getToken = createTokenProvider({
        readSecret: async () => JSON.stringify({ ...APP, privateKey }),
        apiUrl: harness.github.url,
        fetch: (input, init) => fetch(input, init),
        clock: harness.clock,
      });
      const deps = { ...harness.deps, getToken };
      const payload = harness.payload();
      harness.emulator.setLifecycle(ENDPOINT, { create: { status: "InService", afterMs: MINUTE } });
      seedCreating(harness, payload.deadline);

      const result = await handleEvent(payload, harness.invocation(), deps);

      expect(result.result).toBe(RESULT.dispatched);
      const [dispatch] = harness.github.acceptedDispatches();
      expect(dispatch?.headers.authorization).toBe(`Bearer ${APP.installationToken}`);
      expect(harness.log.text()).not.toContain(APP.installationToken);
      expect(harness.log.text()).not.toContain("PRIVATE KEY");
    } finally {
      await harness.close();
    }
  });
});
