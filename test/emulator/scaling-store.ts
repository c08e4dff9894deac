/** A registered scalable target of a SageMaker variant, as Application Auto Scaling holds it. */
export interface TargetRecord {
  resourceId: string;
  minCapacity: number;
  maxCapacity: number;
  suspendedState: Record<string, boolean>;
  roleArn: string;
  arn: string;
  creationTime: number;
}

/** A scaling policy: the request's members as they came, with its ARN and alarms. */
export interface PolicyRecord {
  resourceId: string;
  policyName: string;
  policyType: string;
  /** TargetTrackingScalingPolicyConfiguration, StepScalingPolicyConfiguration, … as sent. */
  configuration: Record<string, unknown>;
  arn: string;
  alarms: { AlarmName: string; AlarmARN: string }[];
  creationTime: number;
}

/** A scheduled action: the request's members as they came, with its ARN. */
export interface ScheduledActionRecord {
  resourceId: string;
  name: string;
  members: Record<string, unknown>;
  arn: string;
  creationTime: number;
}

const VARIANT_ID = /^endpoint\/([^/]+)\/variant\/([^/]+)$/;

/** The endpoint and variant a SageMaker variant's ResourceId names, if it is one. */
export function parseVariantId(
  resourceId: string,
): { endpointName: string; variantName: string } | undefined {
  const match = VARIANT_ID.exec(resourceId);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { endpointName: match[1], variantName: match[2] };
}

/** SageMaker endpoint names are unique regardless of case. */
function endpointKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Application Auto Scaling's state for SageMaker variants (targets, policies, scheduled
 * actions), and the instance counts autoscaling has set on running variants.
 */
export class ScalingStore {
  private readonly targetMap = new Map<string, TargetRecord>();
  private readonly policyMap = new Map<string, PolicyRecord>();
  private readonly actionMap = new Map<string, ScheduledActionRecord>();
  /** By endpoint, then by the config it runs, then by variant: a count set while it ran that config. */
  private readonly counts = new Map<
    string,
    { configName: string; byVariant: Map<string, number> }
  >();

  target(resourceId: string): TargetRecord | undefined {
    return this.targetMap.get(resourceId);
  }

  /** All targets, oldest first. */
  targets(): TargetRecord[] {
    return [...this.targetMap.values()];
  }

  /** The targets of one endpoint's variants. */
  targetsOfEndpoint(endpointName: string): TargetRecord[] {
    return this.targets().filter(
      (t) =>
        endpointKey(parseVariantId(t.resourceId)?.endpointName ?? "") === endpointKey(endpointName),
    );
  }

  putTarget(record: TargetRecord): void {
    this.targetMap.set(record.resourceId, record);
  }

  /** Deregisters a target; its policies and scheduled actions go with it, as in AWS. */
  deleteTarget(resourceId: string): void {
    this.targetMap.delete(resourceId);
    for (const policy of this.policiesOf(resourceId))
      this.deletePolicy(resourceId, policy.policyName);
    for (const action of this.scheduledActionsOf(resourceId)) {
      this.actionMap.delete(`${resourceId}\n${action.name}`);
    }
  }

  policy(resourceId: string, policyName: string): PolicyRecord | undefined {
    return this.policyMap.get(`${resourceId}\n${policyName}`);
  }

  /** All policies, oldest first; of one target when a ResourceId is given. */
  policiesOf(resourceId?: string): PolicyRecord[] {
    const all = [...this.policyMap.values()];
    return resourceId === undefined ? all : all.filter((p) => p.resourceId === resourceId);
  }

  putPolicy(record: PolicyRecord): void {
    this.policyMap.set(`${record.resourceId}\n${record.policyName}`, record);
  }

  deletePolicy(resourceId: string, policyName: string): void {
    this.policyMap.delete(`${resourceId}\n${policyName}`);
  }

  scheduledAction(resourceId: string, name: string): ScheduledActionRecord | undefined {
    return this.actionMap.get(`${resourceId}\n${name}`);
  }

  /** All scheduled actions, oldest first; of one target when a ResourceId is given. */
  scheduledActionsOf(resourceId?: string): ScheduledActionRecord[] {
    const all = [...this.actionMap.values()];
    return resourceId === undefined ? all : all.filter((a) => a.resourceId === resourceId);
  }

  putScheduledAction(record: ScheduledActionRecord): void {
    this.actionMap.set(`${record.resourceId}\n${record.name}`, record);
  }

  /** The instance count autoscaling set on this variant while the endpoint ran `configName`. */
  instanceCount(endpointName: string, configName: string, variantName: string): number | undefined {
    const entry = this.counts.get(endpointKey(endpointName));
    if (entry === undefined || entry.configName.toLowerCase() !== configName.toLowerCase()) {
      return undefined;
    }
    return entry.byVariant.get(variantName);
  }

  /**
   * Sets a running variant's instance count. It belongs to the config the endpoint runs: an
   * update to another config starts from that config's InitialInstanceCount, and a rollback to
   * this config finds the count again.
   */
  setInstanceCount(endpointName: string, configName: string, variantName: string, count: number) {
    const key = endpointKey(endpointName);
    let entry = this.counts.get(key);
    if (entry === undefined || entry.configName.toLowerCase() !== configName.toLowerCase()) {
      entry = { configName, byVariant: new Map() };
      this.counts.set(key, entry);
    }
    entry.byVariant.set(variantName, count);
  }

  /** A deleted endpoint loses its targets (AWS deregisters them) and its counts. */
  forgetEndpoint(endpointName: string): void {
    for (const target of this.targetsOfEndpoint(endpointName)) this.deleteTarget(target.resourceId);
    this.counts.delete(endpointKey(endpointName));
  }

  clear(): void {
    this.targetMap.clear();
    this.policyMap.clear();
    this.actionMap.clear();
    this.counts.clear();
  }
}
