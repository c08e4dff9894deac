import {
  type AutoScalingSession,
  createAutoScalingGateway,
  variantResourceId,
} from "../../src/autoscaling-gateway.js";
import { TEST_CREDENTIALS } from "../emulator/sdk-client.js";
import type { Emulator } from "../emulator/server.js";

/** An Application Auto Scaling gateway on the emulator, as a team's own tooling would call it. */
export function emulatorAutoScaling(emulator: Emulator): AutoScalingSession {
  return createAutoScalingGateway({
    region: "us-east-1",
    clientConfig: { endpoint: emulator.url, credentials: TEST_CREDENTIALS },
  });
}

/**
 * Autoscales a variant as a team would outside the action: a scalable target of 2 to 8
 * instances with an invocations-per-instance policy, then scales it out to 4 instances.
 */
export async function autoscaleTo4(emulator: Emulator, endpoint: string, variant: string) {
  const gateway = emulatorAutoScaling(emulator);
  const resourceId = variantResourceId(endpoint, variant);
  await gateway.registerScalableTarget({ resourceId, minCapacity: 2, maxCapacity: 8 });
  await gateway.putScalingPolicy({
    ResourceId: resourceId,
    PolicyName: "invocations",
    PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: 70,
      PredefinedMetricSpecification: {
        PredefinedMetricType: "SageMakerVariantInvocationsPerInstance",
      },
    },
  });
  emulator.setInstanceCount(endpoint, variant, 4);
  return { gateway, resourceId };
}
