/** The plan a run logs, summarises and outputs (JSON) before it changes anything. */
export interface Plan {
  readonly operation: "create" | "update" | "unchanged";
  readonly endpointName: string;
  readonly modelName: string;
  readonly endpointConfigName: string;
  /**
   * Whether the model and config are created, exist already with this content, or (derived,
   * content-addressed names, not looked up) are created unless a resource of that name exists.
   */
  readonly model: "create" | "reuse" | "create-or-reuse";
  readonly endpointConfig: "create" | "reuse" | "create-or-reuse";
  /** For an update, a readable diff of the endpoint config (variants, counts, types, …). */
  readonly changes: readonly string[];
  /** What the update would remove from the running endpoint. */
  readonly removals: readonly string[];
  /** Notes such as instance counts kept from an autoscaled fleet. */
  readonly notes: readonly string[];
  readonly dryRun: boolean;
}

/** How the plan names what happens to the model and the config. */
export const PLAN_RESOURCE = {
  create: "new",
  reuse: "exists",
  "create-or-reuse": "new unless it exists",
} as const;

/** What a run did, kept as it goes, so outputs and the summary can be written at any point. */
export interface RunReport {
  readonly region: string;
  readonly endpointName: string;
  readonly startedAt: number;
  modelName?: string;
  endpointConfigName?: string;
  modelArn?: string;
  endpointConfigArn?: string;
  endpointArn?: string;
  /** The config the endpoint ran before this run's update (never this run's to delete). */
  previousConfigName?: string;
  /** What happened to each resource. */
  model?: "created" | "reused";
  endpointConfig?: "created" | "reused";
  operation?: "created" | "updated" | "unchanged";
  status?: string;
  failureReason?: string;
  readonly timeline: { readonly elapsedMs: number; readonly status: string }[];
  result?:
    | "success"
    | "failure"
    | "timeout"
    | "cancelled"
    | "handed-off"
    | "not-waited"
    | "dry-run";
  plan?: Plan;
  /** Outputs of what the model was made of: image-digest, model-data-version, model-package-arn. */
  readonly sourceOutputs: Record<string, string>;
  /** The GitHub Deployment recorded with github-environment. */
  githubDeploymentId?: number;
  handedOff: boolean;
  /** Plain-language lines on the hand-off, cleanup and what is left provisioning. */
  readonly notes: string[];
  readonly deleted: string[];
  /** Resources this run created and left in place (cleanup off, or still in use). */
  readonly left: string[];
}

/** A fresh report for one run. */
export function createReport(region: string, endpointName: string, startedAt: number): RunReport {
  return {
    region,
    endpointName,
    startedAt,
    timeline: [],
    sourceOutputs: {},
    handedOff: false,
    notes: [],
    deleted: [],
    left: [],
  };
}
