import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { errorMessage } from "../shared/errors.js";
import { quote } from "../validators.js";

/** The `spec` input, read: the parsed document, or why it could not be read. */
export type SpecDocument =
  | { readonly ok: true; readonly value: unknown; readonly source: string }
  | { readonly ok: false; readonly problem: string };

/** A spec file larger than this is refused: SageMaker's own requests are far smaller. */
const MAX_SPEC_BYTES = 1_000_000;

/** True when the input names a file rather than holding the spec itself. */
function isPath(text: string): boolean {
  return !text.includes("\n") && !/:\s/.test(text) && !text.startsWith("{");
}

async function parseText(text: string, json: boolean): Promise<unknown> {
  if (json) return JSON.parse(text);
  // Loaded only with a YAML spec, so other deploys keep the parser off the start path.
  const { parse } = await import("yaml");
  return parse(text, { uniqueKeys: true, maxAliasCount: 100 });
}

/**
 * Reads the `spec` input: a path relative to the workspace (`.json`, `.yml` or `.yaml`), or the
 * spec inline (YAML, of which JSON is a part). A path may not leave the workspace.
 */
export async function loadSpecDocument(raw: string, workspace: string): Promise<SpecDocument> {
  const text = raw.trim();
  if (!isPath(text)) {
    try {
      return { ok: true, value: await parseText(text, text.startsWith("{")), source: "inline" };
    } catch (error) {
      return {
        ok: false,
        problem: `spec: the inline spec is not valid YAML: ${errorMessage(error)}`,
      };
    }
  }
  const file = resolve(workspace, text);
  const inside = relative(workspace, file);
  if (inside.startsWith("..") || isAbsolute(inside)) {
    return { ok: false, problem: `spec: ${quote(text)} is outside the workspace` };
  }
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as { code?: string }).code === "ENOENT";
    return {
      ok: false,
      problem: missing
        ? `spec: ${quote(text)} does not exist in the workspace (check out the repository first)`
        : `spec: ${quote(text)} could not be read: ${errorMessage(error)}`,
    };
  }
  if (Buffer.byteLength(content) > MAX_SPEC_BYTES)
    return { ok: false, problem: `spec: ${quote(text)} is larger than 1 MB` };
  try {
    return { ok: true, value: await parseText(content, /\.json$/i.test(file)), source: text };
  } catch (error) {
    return { ok: false, problem: `spec: ${quote(text)} is not valid: ${errorMessage(error)}` };
  }
}
