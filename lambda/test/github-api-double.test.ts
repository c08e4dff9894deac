import { createSign, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GithubApiDouble, startGithubApiDouble } from "../../test/doubles/github-api.js";
import { exampleWorkflowInputs, TEST_TOKEN } from "./harness.js";

const APP = {
  appId: "123456",
  installationId: "987654",
  installationToken: "test-installation-token-not-real",
};
const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});
const HEADERS = {
  accept: "application/vnd.github+json",
  authorization: `Bearer ${TEST_TOKEN}`,
  "content-type": "application/json",
  "user-agent": "test",
  "x-github-api-version": "2022-11-28",
};
const INPUTS = {
  "endpoint-name": "e",
  "endpoint-status": "InService",
  "endpoint-arn": "arn",
  "endpoint-config-name": "c",
  "failure-reason": "",
  "source-run-id": "1",
};

let github: GithubApiDouble;

beforeAll(async () => {
  github = await startGithubApiDouble({
    tokens: [TEST_TOKEN],
    workflowInputs: await exampleWorkflowInputs(),
    app: { ...APP, publicKey: keys.publicKey },
  });
});

afterAll(async () => {
  await github.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = HEADERS) {
  const response = await fetch(`${github.url}${path}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    message: text ? (JSON.parse(text) as { message: string }).message : "",
  };
}

const DISPATCH = "/repos/octo-org/models/actions/workflows/sagemaker-deploy-status.yml/dispatches";

function jwt(claims: Record<string, unknown>, key = keys.privateKey): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(key, "base64url")}`;
}

describe("the GitHub API double", () => {
  it("accepts a well-formed dispatch with 204", async () => {
    expect(await post(DISPATCH, { ref: "main", inputs: INPUTS })).toEqual({
      status: 204,
      message: "",
    });
  });

  it.each([
    {
      name: "no ref (OpenAPI: required)",
      body: { inputs: INPUTS },
      message: /must have required property 'ref' \(OpenAPI\)/,
    },
    {
      name: "a numeric ref (OpenAPI: type)",
      body: { ref: 1, inputs: INPUTS },
      message: /body\/ref must be string \(OpenAPI\)/,
    },
    {
      name: "26 inputs (OpenAPI: maxProperties)",
      body: {
        ref: "main",
        inputs: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`i${i}`, "x"])),
      },
      message: /must NOT have more than 25 properties/,
    },
    {
      name: "a boolean input",
      body: { ref: "main", inputs: { ...INPUTS, "failure-reason": false } },
      message: /input 'failure-reason' is a boolean/,
    },
    {
      name: "an undeclared input",
      body: { ref: "main", inputs: { ...INPUTS, extra: "x" } },
      message: /^Unexpected inputs provided: \["extra"\]$/,
    },
    {
      name: "a missing required input",
      body: { ref: "main", inputs: { "endpoint-name": "e" } },
      message: /^Required input 'endpoint-status' not provided$/,
    },
  ])("answers 422 to $name", async ({ body, message }) => {
    const answer = await post(DISPATCH, body);
    expect(answer.status).toBe(422);
    expect(answer.message).toMatch(message);
  });

  it("answers 401 to a missing or unknown token", async () => {
    const { authorization: _, ...anonymous } = HEADERS;
    expect((await post(DISPATCH, { ref: "main" }, anonymous)).status).toBe(401);
    expect(
      (await post(DISPATCH, { ref: "main" }, { ...HEADERS, authorization: "Bearer other" })).status,
    ).toBe(401);
  });

  it("records an unsupported API version as a problem", async () => {
    const answer = await post(
      DISPATCH,
      { ref: "main", inputs: INPUTS },
      { ...HEADERS, "x-github-api-version": "2020-01-01" },
    );
    expect(answer.status).toBe(422);
    expect(github.requests.at(-1)?.problems).toContain(
      "x-github-api-version '2020-01-01' is not supported",
    );
  });

  it("issues an installation token only for a JWT signed by the app's key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = jwt({ iat: now - 30, exp: now + 540, iss: APP.appId });
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = jwt(
      { iat: now - 30, exp: now + 540, iss: APP.appId },
      otherKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    const path = `/app/installations/${APP.installationId}/access_tokens`;

    expect((await post(path, {}, { ...HEADERS, authorization: `Bearer ${good}` })).status).toBe(
      201,
    );
    expect((await post(path, {}, { ...HEADERS, authorization: `Bearer ${forged}` })).status).toBe(
      401,
    );
    expect(
      (
        await post(
          path,
          {},
          {
            ...HEADERS,
            authorization: `Bearer ${jwt({ iat: now, exp: now + 3600, iss: APP.appId })}`,
          },
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await post(
          path,
          { repositories: "models" },
          { ...HEADERS, authorization: `Bearer ${good}` },
        )
      ).message,
    ).toMatch(/repositories must be array \(OpenAPI\)/);
  });

  it("plays scripted answers in order, then the default", async () => {
    github.script("dispatch", { status: 500 }, { status: 429, headers: { "retry-after": "1" } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await post(DISPATCH, { ref: "main", inputs: INPUTS })).status);
    expect(statuses).toEqual([500, 429, 204]);
  });
});
