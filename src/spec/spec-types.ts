/** One target-tracking policy of a variant in the spec's `autoscaling` section. */
export interface SpecScalingPolicy {
  readonly name?: string;
  /** A PredefinedMetricType, e.g. SageMakerVariantInvocationsPerInstance. */
  readonly metric: string;
  /** The TargetValue the policy keeps the metric at. */
  readonly target: number;
  readonly scaleInCooldown?: number;
  readonly scaleOutCooldown?: number;
}

/** Autoscaling of one production variant: its instance count within [min, max], following its policies. */
export interface SpecScalableVariant {
  readonly min: number;
  readonly max: number;
  readonly policies: readonly SpecScalingPolicy[];
}

/** The spec's `autoscaling` section, keyed by production variant name. */
export type SpecAutoscaling = Readonly<Record<string, SpecScalableVariant>>;
