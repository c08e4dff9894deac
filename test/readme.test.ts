import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TAG_KEYS } from "../src/shared/tags.js";

const ROOT = join(import.meta.dirname, "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

interface ActionYaml {
  inputs: Record<string, { required?: boolean; default?: string | number | boolean }>;
  outputs: Record<string, unknown>;
}

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

interface Policy {
  Version: string;
  Statement: PolicyStatement[];
}

const action = parse(read("action.yml")) as ActionYaml;
const readme = read("README.md");
const policy = JSON.parse(read("policies/action-policy.json")) as Policy;

/** The text under a `## heading`, up to the next `## ` heading. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith("## "));
  return (end < 0 ? rest : rest.slice(0, end)).join("\n");
}

/** Splits a markdown table row into trimmed cells (an escaped `\|` stays inside its cell). */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** The first table whose header row is exactly `header`, as rows of cells. */
function table(markdown: string, header: readonly string[]): string[][] {
  const lines = markdown.split("\n");
  const at = lines.findIndex(
    (line) => line.trim().startsWith("|") && cells(line).join("|") === header.join("|"),
  );
  if (at < 0) throw new Error(`no table with header ${header.join(" | ")}`);
  const rows: string[][] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.trim().startsWith("|")) break;
    rows.push(cells(line));
  }
  return rows;
}

/** `\`text\`` → `text`; an empty cell or a dash means "no value". */
function plain(cell: string | undefined): string | undefined {
  const text = (cell ?? "").replace(/^`(.*)`$/, "$1").trim();
  return text === "" || text === "—" || text === "-" ? undefined : text;
}

/** The fenced code blocks of one language. */
function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, "gm");
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? "");
}

function listOf(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

/** Every action the policy allows. */
function allowedActions(document: Policy): Set<string> {
  return new Set(
    document.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => listOf(s.Action)),
  );
}

/** IAM action names for the clients the action's source uses. */
const IAM_PREFIX: Record<string, (operation: string) => string> = {
  "@aws-sdk/client-sagemaker": (operation) => `sagemaker:${operation}`,
  // Lambda's Invoke API is authorized as lambda:InvokeFunction.
  "@aws-sdk/client-lambda": (operation) =>
    `lambda:${operation === "Invoke" ? "InvokeFunction" : operation}`,
  "@aws-sdk/client-sagemaker-runtime": (operation) => `sagemaker:${operation}`,
  "@aws-sdk/client-ecr": (operation) => `ecr:${operation}`,
  // S3 authorizes HeadObject as s3:GetObject and ListObjectsV2 as s3:ListBucket.
  "@aws-sdk/client-s3": (operation) =>
    `s3:${({ HeadObject: "GetObject", ListObjectsV2: "ListBucket" } as Record<string, string>)[operation] ?? operation}`,
  "@aws-sdk/client-application-auto-scaling": (operation) => `application-autoscaling:${operation}`,
};

function sourceFiles(dir: string): string[] {
  return (
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      // Declaration files (stand-ins for clients not yet installed) make no calls.
      .filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))
      .map((path) => join(dir, path))
  );
}

/** The IAM actions the action performs: each `new XCommand(` in src/, mapped by its import. */
function actionsCalledBySource(): Set<string> {
  const calls = new Set<string>();
  for (const file of sourceFiles("src")) {
    const text = read(file);
    const origin = new Map<string, string>();
    for (const match of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/g)) {
      for (const name of (match[1] ?? "").split(",")) {
        const local = name
          .replace(/^\s*type\s+/, "")
          .split(/\s+as\s+/)
          .pop()
          ?.trim();
        if (local) origin.set(local, match[2] ?? "");
      }
    }
    // A client loaded with import("...") is used as `sdk.XCommand`: one such import per file.
    const loaded = [
      ...new Set([...text.matchAll(/import\("(@aws-sdk\/[\w-]+)"\)/g)].map((m) => m[1])),
    ];
    for (const match of text.matchAll(/(?:new (\w+\.)?(\w+)Command|(\w+\.)?paginate(\w+))\(/g)) {
      const operation = match[2] ?? match[4] ?? "";
      const imported = match[2] ? `${operation}Command` : `paginate${operation}`;
      const qualified = (match[1] ?? match[3]) !== undefined && loaded.length === 1;
      const module = (qualified ? loaded[0] : origin.get(imported)) ?? "(not imported)";
      const toIam = IAM_PREFIX[module];
      if (!toIam) throw new Error(`${file}: ${operation}Command comes from ${module}`);
      calls.add(toIam(operation));
    }
  }
  return calls;
}

describe("README inputs and outputs", () => {
  const inputRows = table(section(readme, "Inputs"), [
    "Input",
    "Required",
    "Default",
    "Description",
  ]);
  const outputRows = table(section(readme, "Outputs"), ["Output", "Description"]);

  it("lists exactly the inputs of action.yml, in its order", () => {
    expect(inputRows.map((row) => plain(row[0]))).toEqual(Object.keys(action.inputs));
  });

  it.each(Object.entries(action.inputs))(
    "gives input %s the required flag and default of action.yml",
    (name, spec) => {
      const row = inputRows.find((r) => plain(r[0]) === name);
      expect(row, `README row for ${name}`).toBeDefined();
      expect(plain(row?.[1])).toBe(spec.required === true ? "yes" : "no");
      expect(plain(row?.[2])).toBe(spec.default === undefined ? undefined : String(spec.default));
      expect(plain(row?.[3]), `description of ${name}`).toBeDefined();
    },
  );

  it("lists exactly the outputs of action.yml, in its order, each described", () => {
    expect(outputRows.map((row) => plain(row[0]))).toEqual(Object.keys(action.outputs));
    for (const row of outputRows) expect(plain(row[1])).toBeDefined();
  });
});

describe("IAM policy", () => {
  const sagemaker = (actions: Set<string>) =>
    [...actions].filter((name) => name.startsWith("sagemaker:")).sort();

  it("in the README is the same document as policies/action-policy.json", () => {
    const blocks = codeBlocks(section(readme, "IAM permissions"), "json");
    expect(blocks).toHaveLength(1);
    expect(JSON.parse(blocks[0] ?? "")).toEqual(policy);
  });

  it("grants every SageMaker operation the source calls, and no other SageMaker action", () => {
    // Application Auto Scaling checks that whoever registers a variant may change its capacity.
    const called = new Set([
      ...actionsCalledBySource(),
      "sagemaker:UpdateEndpointWeightsAndCapacities",
    ]);
    expect(sagemaker(allowedActions(policy))).toEqual(sagemaker(called));
  });

  it("grants every AWS operation the source calls", () => {
    const allowed = allowedActions(policy);
    const missing = [...actionsCalledBySource()].filter((name) => !allowed.has(name));
    expect(missing).toEqual([]);
  });

  it("scopes every SageMaker grant to models, endpoint configs, endpoints or model packages; only List* on *", () => {
    const scoped = /^arn:aws:sagemaker:\*:\*:(model|endpoint-config|endpoint|model-package)\/\*$/;
    for (const statement of policy.Statement) {
      const actions = listOf(statement.Action);
      if (!actions.some((name) => name.startsWith("sagemaker:"))) continue;
      // SageMaker's List* calls take no resource: AWS authorizes them on "*" only.
      if (actions.every((name) => /^sagemaker:List/.test(name))) {
        expect(listOf(statement.Resource)).toEqual(["*"]);
        continue;
      }
      for (const resource of listOf(statement.Resource)) expect(resource).toMatch(scoped);
    }
  });

  it("lets the role pass the execution role to SageMaker only", () => {
    const passRole = policy.Statement.filter((s) => listOf(s.Action).includes("iam:PassRole"));
    expect(passRole).toHaveLength(1);
    expect(passRole[0]?.Condition?.StringEquals?.["iam:PassedToService"]).toBe(
      "sagemaker.amazonaws.com",
    );
    for (const resource of listOf(passRole[0]?.Resource ?? [])) {
      expect(resource).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@-]+$/);
    }
  });

  it("lets SageMaker resources change only with the action's deploy-id tag, and be read without", () => {
    const requestTag = `aws:RequestTag/${TAG_KEYS.deployId}`;
    const resourceTag = `aws:ResourceTag/${TAG_KEYS.deployId}`;
    const grants = (statement: PolicyStatement, pattern: RegExp) =>
      listOf(statement.Action).some((name) => pattern.test(name));
    const onEndpoints = (statement: PolicyStatement) =>
      listOf(statement.Resource).some((resource) => resource.endsWith(":endpoint/*"));
    for (const statement of policy.Statement) {
      const nulls = statement.Condition?.Null ?? {};
      const tagging = statement.Condition?.StringEquals?.["sagemaker:TaggingAction"];
      if (grants(statement, /^sagemaker:(Describe|List)/))
        expect(statement.Condition).toBeUndefined();
      if (grants(statement, /^sagemaker:Create/)) expect(nulls[requestTag]).toBe("false");
      if (grants(statement, /^sagemaker:Delete/)) expect(nulls[resourceTag]).toBe("false");
      if (grants(statement, /^sagemaker:UpdateEndpoint$/) && onEndpoints(statement)) {
        expect(nulls[resourceTag]).toBe("false");
      }
      if (grants(statement, /^sagemaker:AddTags$/)) {
        expect(tagging === undefined ? nulls[resourceTag] : nulls[requestTag]).toBe("false");
      }
    }
  });

  it("shows in the README how to adopt an endpoint with the tag the policy requires", () => {
    const commands = codeBlocks(section(readme, "IAM permissions"), "sh").join("\n");
    expect(commands).toContain("aws sagemaker add-tags");
    expect(commands).toContain(`Key=${TAG_KEYS.deployId},Value=adopted`);
  });

  it("grants nothing outside SageMaker, its autoscaling, PassRole, the companion's invoke and the artifact lookups", () => {
    const others = [...allowedActions(policy)].filter(
      (name) => !name.startsWith("sagemaker:") && !name.startsWith("application-autoscaling:"),
    );
    expect(others.sort()).toEqual([
      "ecr:DescribeImages",
      "iam:CreateServiceLinkedRole",
      "iam:PassRole",
      "lambda:InvokeFunction",
      "s3:GetObject",
      "s3:ListBucket",
    ]);
  });
});

describe("README content", () => {
  it("names the seed workflow's four steps in order", () => {
    expect(readme).toContain(
      "CreateModel → CreateEndpointConfig → CreateEndpoint → DescribeEndpoint",
    );
  });

  it("gives the two set-up commands, and package.json has their scripts", () => {
    const commands = codeBlocks(section(readme, "Set-up commands"), "sh").map((b) => b.trim());
    expect(commands).toEqual(["npm ci && npm run demo", "npm ci && npm test"]);
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> })
      .scripts;
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining(["demo", "test", "emulator"]));
  });

  it("shows how to reach the local emulator", () => {
    expect(readme).toContain("npm run emulator");
    expect(readme).toContain("AWS_ENDPOINT_URL_SAGEMAKER=http://127.0.0.1:4599");
  });
});
