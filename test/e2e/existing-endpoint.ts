import { TAG_KEYS } from "../../src/shared/tags.js";
import type { Emulator } from "../emulator/server.js";

/** The execution role of the e2e deploys (an obvious placeholder account). */
export const ROLE = "arn:aws:iam::111122223333:role/SageMakerExecution";

/** Options for {@link seedExistingEndpoint}. */
export interface ExistingEndpoint {
  readonly endpointName?: string;
  readonly status?: string;
  readonly failureReason?: string;
}

/**
 * Seeds an endpoint another team deployed before the run (model "legacy-model", config
 * "legacy-config"), which a deploy may update but must never delete. The endpoint was adopted
 * (tagged `sagemaker-deploy:deploy-id=adopted`, as docs/iam.md describes): without that tag the
 * shipped IAM policy refuses UpdateEndpoint on it.
 */
export function seedExistingEndpoint(emulator: Emulator, existing: ExistingEndpoint = {}): void {
  emulator.seed({
    models: [
      {
        ModelName: "legacy-model",
        PrimaryContainer: { Image: "legacy:1" },
        ExecutionRoleArn: ROLE,
      },
    ],
    endpointConfigs: [
      {
        EndpointConfigName: "legacy-config",
        ProductionVariants: [
          {
            VariantName: "AllTraffic",
            ModelName: "legacy-model",
            InitialInstanceCount: 1,
            InstanceType: "ml.m5.large",
          },
        ],
      },
    ],
    endpoints: [
      {
        EndpointName: existing.endpointName ?? "fraud-scorer",
        EndpointConfigName: "legacy-config",
        Tags: [{ Key: TAG_KEYS.deployId, Value: "adopted" }],
        status: existing.status ?? "InService",
        ...(existing.failureReason ? { failureReason: existing.failureReason } : {}),
      },
    ],
  });
}
