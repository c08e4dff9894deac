/** The run's provenance, read from the variables GitHub sets in every job. */
import { describe, expect, it } from "vitest";
import { readProvenance } from "../src/provenance.js";

const JOB = {
  GITHUB_REPOSITORY: "acme/fraud",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_REF: "refs/heads/release/2026-12",
  GITHUB_RUN_ID: "4242",
  GITHUB_RUN_ATTEMPT: "2",
  GITHUB_WORKFLOW: "deploy",
};

describe("readProvenance", () => {
  it("reads repository, commit, branch, run, attempt and workflow from the job's variables", () => {
    expect(readProvenance(JOB)).toMatchObject({
      repository: "acme/fraud",
      sha: JOB.GITHUB_SHA,
      ref: "release/2026-12",
      runId: "4242",
      runAttempt: "2",
      workflow: "deploy",
    });
  });

  it("prefers GITHUB_REF_NAME, and strips refs/tags/ from a tag ref", () => {
    expect(readProvenance({ ...JOB, GITHUB_REF_NAME: "main" }).ref).toBe("main");
    expect(readProvenance({ ...JOB, GITHUB_REF: "refs/tags/v1.2.0" }).ref).toBe("v1.2.0");
  });

  it("outside GitHub Actions leaves the fields empty, attempt 1, and still draws a deploy id", () => {
    const provenance = readProvenance({});
    expect(provenance).toMatchObject({
      repository: "",
      sha: "",
      ref: "",
      runId: "",
      runAttempt: "1",
    });
    expect(provenance.deployId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ignores a run id or attempt that is not a positive whole number", () => {
    const provenance = readProvenance({ ...JOB, GITHUB_RUN_ID: "12abc", GITHUB_RUN_ATTEMPT: "0" });
    expect(provenance).toMatchObject({ runId: "", runAttempt: "1" });
  });

  it("draws a new deploy id for every run", () => {
    expect(readProvenance(JOB).deployId).not.toBe(readProvenance(JOB).deployId);
  });
});
