import { describe, expect, it } from "vitest";
import { isRepositoryAllowed, parseAllowlist } from "../src/allowlist.js";
import { ConfigError, DEFAULT_GITHUB_API_URL, ENV, readConfig } from "../src/config.js";
import { lambdaEnv } from "./harness.js";

describe("parseAllowlist / isRepositoryAllowed", () => {
  const parsed = parseAllowlist(" octo-org/models , Another-Org/* ");
  const allowlist = parsed.ok
    ? parsed.allowlist
    : { repositories: new Set<string>(), owners: new Set<string>() };

  it.each([
    { repository: "octo-org/models", allowed: true },
    { repository: "Octo-Org/Models", allowed: true },
    { repository: "octo-org/other", allowed: false },
    { repository: "another-org/anything", allowed: true },
    { repository: "another-org-evil/anything", allowed: false },
    { repository: "evil/octo-org/models", allowed: false },
  ])("$repository → $allowed", ({ repository, allowed }) => {
    expect(isRepositoryAllowed(allowlist, repository)).toBe(allowed);
  });

  it.each([
    { text: "", problem: "it lists no repository" },
    { text: " , ", problem: "it lists no repository" },
    { text: "*", problem: "'*' is neither 'owner/repo' nor 'owner/*'" },
    { text: "*/*", problem: "'*/*' is neither 'owner/repo' nor 'owner/*'" },
    { text: "octo-org", problem: "'octo-org' is neither 'owner/repo' nor 'owner/*'" },
    {
      text: "octo-org/models/x",
      problem: "'octo-org/models/x' is neither 'owner/repo' nor 'owner/*'",
    },
  ])("refuses '$text'", ({ text, problem }) => {
    expect(parseAllowlist(text)).toEqual({ ok: false, problems: [problem] });
  });
});

describe("readConfig", () => {
  it("reads the environment the template sets", () => {
    const config = readConfig(lambdaEnv("https://ghe.example.com/api/v3/"));

    expect(config.githubApiUrl).toBe("https://ghe.example.com/api/v3");
    expect(config.tokenSecretArn).toMatch(/^arn:aws:secretsmanager:/);
  });

  it("defaults GITHUB_API_URL to api.github.com", () => {
    const env = { ...lambdaEnv(""), [ENV.githubApiUrl]: undefined };
    expect(readConfig(env).githubApiUrl).toBe(DEFAULT_GITHUB_API_URL);
  });

  it.each([
    { name: ENV.tokenSecretArn, value: undefined, problem: "GITHUB_TOKEN_SECRET_ARN is not set" },
    {
      name: ENV.tokenSecretArn,
      value: "my-secret",
      problem: "GITHUB_TOKEN_SECRET_ARN 'my-secret' is not a valid ARN",
    },
    { name: ENV.schedulerRoleArn, value: "", problem: "SCHEDULER_ROLE_ARN is not set" },
    {
      name: ENV.githubApiUrl,
      value: "http://ghe.example.com/api/v3",
      problem: "GITHUB_API_URL 'http://ghe.example.com/api/v3' must use https",
    },
    {
      name: ENV.githubApiUrl,
      value: "not a url",
      problem: "GITHUB_API_URL 'not a url' is not a URL",
    },
    {
      name: ENV.allowedRepositories,
      value: "",
      problem: "ALLOWED_REPOSITORIES: it lists no repository",
    },
    {
      name: ENV.reportsTableName,
      value: "arn:aws:dynamodb:us-east-1:123456789012:table/reports",
      problem:
        "REPORTS_TABLE_NAME 'arn:aws:dynamodb:us-east-1:123456789012:table/reports' is not a DynamoDB table name",
    },
  ])("names $name when it is '$value'", ({ name, value, problem }) => {
    const env = { ...lambdaEnv("https://api.github.com"), [name]: value };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(problem);
  });

  it("reports every problem at once", () => {
    try {
      readConfig({});
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it("reads REPORTS_TABLE_NAME when the stack made the reports table, and goes without it otherwise", () => {
    const env = lambdaEnv("https://api.github.com");

    expect(
      readConfig({ ...env, [ENV.reportsTableName]: "stack-ReportsTable-1AB2" }).reportsTableName,
    ).toBe("stack-ReportsTable-1AB2");
    expect(readConfig(env).reportsTableName).toBeUndefined();
  });

  it("allows plain http only to this machine (tests, local doubles)", () => {
    expect(readConfig(lambdaEnv("http://127.0.0.1:4010")).githubApiUrl).toBe(
      "http://127.0.0.1:4010",
    );
  });
});
