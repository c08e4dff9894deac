import type {
  ApplicationAutoScalingClient,
  ApplicationAutoScalingClientConfig,
  PutScalingPolicyRequest,
  PutScheduledActionRequest,
  ScalableTarget,
  ScalingPolicy,
  ScheduledAction,
  SuspendedState,
} from "@aws-sdk/client-application-auto-scaling";
import { awsClientConfig } from "./shared/aws-client.js";
import {
  AwsCallError,
  CancelledError,
  callAws,
  errorName,
  isAccessDenied,
} from "./shared/errors.js";
import { collectPages } from "./shared/pages.js";

export type { ScalableTarget, ScalingPolicy, ScheduledAction, SuspendedState };

type Sdk = typeof import("@aws-sdk/client-application-auto-scaling");

/** Application Auto Scaling's namespace and dimension of a SageMaker variant's instance count. */
export const SCALING_NAMESPACE = "sagemaker" as const;
export const VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount" as const;

/** Page sizes: the most each Describe call allows (50 targets, 10 policies, 50 scheduled actions). */
const PAGE_SIZE = { targets: 50, policies: 10, scheduledActions: 50 } as const;

/** Application Auto Scaling's ResourceId of a SageMaker production variant. */
export function variantResourceId(endpointName: string, variantName: string): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

/** A RegisterScalableTarget of one variant (namespace and dimension are implied). */
export interface ScalableTargetInput {
  readonly resourceId: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly suspendedState?: SuspendedState;
}

/** A PutScalingPolicy of one variant (namespace and dimension are implied). */
export type ScalingPolicyInput = Omit<
  PutScalingPolicyRequest,
  "ServiceNamespace" | "ScalableDimension"
> & { readonly ResourceId: string; readonly PolicyName: string };

/** A PutScheduledAction of one variant (namespace and dimension are implied). */
export type ScheduledActionInput = Omit<
  PutScheduledActionRequest,
  "ServiceNamespace" | "ScalableDimension"
> & { readonly ResourceId: string; readonly ScheduledActionName: string };

/**
 * Every Application Auto Scaling call the action makes, for SageMaker variants only. Each call is
 * wrapped once (``Operation 'resource' failed: reason``); deletes answer `false` when the target
 * or policy was already gone.
 */
export interface AutoScalingGateway {
  /** The registered targets among these variants (resource ids); none asked, none answered. */
  describeScalableTargets(resourceIds: readonly string[]): Promise<ScalableTarget[]>;
  /** Every scaling policy of one variant. */
  describeScalingPolicies(resourceId: string): Promise<ScalingPolicy[]>;
  /** Every scheduled action of one variant. */
  describeScheduledActions(resourceId: string): Promise<ScheduledAction[]>;
  /** Registers the target, or updates its capacity range. */
  registerScalableTarget(input: ScalableTargetInput): Promise<void>;
  /** Deregisters the target; AWS deletes its policies and scheduled actions with it. */
  deregisterScalableTarget(resourceId: string): Promise<boolean>;
  /** Creates or replaces a policy; answers its ARN. */
  putScalingPolicy(input: ScalingPolicyInput): Promise<string>;
  deleteScalingPolicy(resourceId: string, policyName: string): Promise<boolean>;
  putScheduledAction(input: ScheduledActionInput): Promise<void>;
  /**
   * The same gateway over the same client, but not stopped by cancellation: for putting back
   * what this run took away, which must happen even in a cancelled job.
   */
  uncancellable(): AutoScalingGateway;
}

/** A gateway with its client's lifetime. */
export interface AutoScalingSession extends AutoScalingGateway {
  /** Closes the client's sockets (a no-op if no call was made). */
  destroy(): void;
}

/**
 * The Application Auto Scaling operation (and so the IAM action, `application-autoscaling:<Op>`)
 * behind each gateway method.
 */
export const AUTOSCALING_OPERATIONS = {
  describeScalableTargets: "DescribeScalableTargets",
  describeScalingPolicies: "DescribeScalingPolicies",
  describeScheduledActions: "DescribeScheduledActions",
  registerScalableTarget: "RegisterScalableTarget",
  deregisterScalableTarget: "DeregisterScalableTarget",
  putScalingPolicy: "PutScalingPolicy",
  deleteScalingPolicy: "DeleteScalingPolicy",
  putScheduledAction: "PutScheduledAction",
} as const satisfies Record<Exclude<keyof AutoScalingGateway, "uncancellable">, string>;

/** Options for {@link createAutoScalingGateway}. */
export interface AutoScalingGatewayOptions {
  readonly region: string;
  /** Once aborted, no mutating call starts (it throws CancelledError); reads in flight are abandoned. */
  readonly signal?: AbortSignal;
  /** Merged over the project's client config (tests pass `endpoint` and `credentials`). */
  readonly clientConfig?: Partial<ApplicationAutoScalingClientConfig>;
}

/** True when a (possibly wrapped) call failed because the target or policy does not exist. */
export function isObjectNotFound(error: unknown): boolean {
  return errorName(causeOf(error)) === "ObjectNotFoundException";
}

/** True when a (possibly wrapped) call failed because the caller may not make it. */
export { isAccessDenied };

function causeOf(error: unknown): unknown {
  return error instanceof AwsCallError ? error.cause : error;
}

const VARIANT = { ServiceNamespace: SCALING_NAMESPACE, ScalableDimension: VARIANT_DIMENSION };

/**
 * Builds the gateway. The SDK client is loaded (a separate chunk of the bundle) and created on
 * the first call, so a deploy without autoscaling never loads it. Credentials come from the
 * default chain; `AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING` / `AWS_ENDPOINT_URL` are honoured
 * by the SDK itself.
 */
export function createAutoScalingGateway(options: AutoScalingGatewayOptions): AutoScalingSession {
  let loading: Promise<{ sdk: Sdk; client: ApplicationAutoScalingClient }> | undefined;
  let client: ApplicationAutoScalingClient | undefined;
  const load = () => {
    loading ??= import("@aws-sdk/client-application-auto-scaling").then((sdk) => {
      client = new sdk.ApplicationAutoScalingClient({
        ...awsClientConfig({ region: options.region }),
        ...options.clientConfig,
      });
      return { sdk, client };
    });
    return loading;
  };
  const free = buildGateway(load, undefined);
  const gateway = options.signal ? buildGateway(load, options.signal, free) : free;
  return { ...gateway, destroy: () => client?.destroy() };
}

type Load = () => Promise<{ sdk: Sdk; client: ApplicationAutoScalingClient }>;
type Call<T> = (sdk: Sdk, client: ApplicationAutoScalingClient) => Promise<T>;

function buildGateway(
  load: Load,
  signal: AbortSignal | undefined,
  free?: AutoScalingGateway,
): AutoScalingGateway {
  const sendOptions = signal ? { abortSignal: signal } : {};
  const read = <T>(operation: string, resource: string, call: Call<T>) =>
    callAws(operation, resource, async () => {
      const { sdk, client } = await load();
      return call(sdk, client);
    });
  const mutate = <T>(operation: string, resource: string, call: Call<T>) => {
    if (signal?.aborted) return Promise.reject(new CancelledError(operation, resource));
    return read(operation, resource, call);
  };
  const deleted = async (call: () => Promise<unknown>) => {
    try {
      await call();
      return true;
    } catch (error) {
      if (isObjectNotFound(error)) return false;
      throw error;
    }
  };
  const gateway: AutoScalingGateway = {
    describeScalableTargets: async (resourceIds) => {
      if (resourceIds.length === 0) return [];
      return read("DescribeScalableTargets", resourceIds.join(", "), (sdk, client) =>
        collectPages(
          sdk.paginateDescribeScalableTargets(
            { client, pageSize: PAGE_SIZE.targets, ...sendOptions },
            { ...VARIANT, ResourceIds: [...resourceIds] },
          ),
          (page) => page.ScalableTargets,
        ),
      );
    },
    describeScalingPolicies: (resourceId) =>
      read("DescribeScalingPolicies", resourceId, (sdk, client) =>
        collectPages(
          sdk.paginateDescribeScalingPolicies(
            { client, pageSize: PAGE_SIZE.policies, ...sendOptions },
            { ...VARIANT, ResourceId: resourceId },
          ),
          (page) => page.ScalingPolicies,
        ),
      ),
    describeScheduledActions: (resourceId) =>
      read("DescribeScheduledActions", resourceId, (sdk, client) =>
        collectPages(
          sdk.paginateDescribeScheduledActions(
            { client, pageSize: PAGE_SIZE.scheduledActions, ...sendOptions },
            { ...VARIANT, ResourceId: resourceId },
          ),
          (page) => page.ScheduledActions,
        ),
      ),
    registerScalableTarget: async (input) => {
      await mutate("RegisterScalableTarget", input.resourceId, (sdk, client) =>
        client.send(
          new sdk.RegisterScalableTargetCommand({
            ...VARIANT,
            ResourceId: input.resourceId,
            MinCapacity: input.minCapacity,
            MaxCapacity: input.maxCapacity,
            ...(input.suspendedState ? { SuspendedState: input.suspendedState } : {}),
          }),
        ),
      );
    },
    deregisterScalableTarget: (resourceId) =>
      deleted(() =>
        mutate("DeregisterScalableTarget", resourceId, (sdk, client) =>
          client.send(
            new sdk.DeregisterScalableTargetCommand({ ...VARIANT, ResourceId: resourceId }),
          ),
        ),
      ),
    putScalingPolicy: async (input) =>
      (
        await mutate("PutScalingPolicy", `${input.ResourceId} ${input.PolicyName}`, (sdk, client) =>
          client.send(new sdk.PutScalingPolicyCommand({ ...input, ...VARIANT })),
        )
      ).PolicyARN ?? "",
    deleteScalingPolicy: (resourceId, policyName) =>
      deleted(() =>
        mutate("DeleteScalingPolicy", `${resourceId} ${policyName}`, (sdk, client) =>
          client.send(
            new sdk.DeleteScalingPolicyCommand({
              ...VARIANT,
              ResourceId: resourceId,
              PolicyName: policyName,
            }),
          ),
        ),
      ),
    putScheduledAction: async (input) => {
      await mutate(
        "PutScheduledAction",
        `${input.ResourceId} ${input.ScheduledActionName}`,
        (sdk, client) => client.send(new sdk.PutScheduledActionCommand({ ...input, ...VARIANT })),
      );
    },
    uncancellable: () => free ?? gateway,
  };
  return gateway;
}
