import { AUTOSCALING_OPERATIONS } from "./autoscaling-operations.js";
import {
  createEndpointConfig,
  deleteEndpointConfig,
  describeEndpointConfig,
} from "./config-operations.js";
import {
  createEndpoint,
  deleteEndpoint,
  describeEndpoint,
  listEndpoints,
  updateEndpoint,
} from "./endpoint-operations.js";
import { listEndpointConfigs, listModels } from "./list-operations.js";
import { createModel, deleteModel, describeModel } from "./model-operations.js";
import {
  createModelPackage,
  createModelPackageGroup,
  describeModelPackage,
  listModelPackages,
  updateModelPackage,
} from "./model-package-operations.js";
import type { Handler } from "./operation-context.js";
import { addTags, listTags } from "./tag-operations.js";

/** The SageMaker operations the emulator speaks, by X-Amz-Target suffix. */
export const OPERATIONS = {
  CreateModel: createModel,
  DescribeModel: describeModel,
  DeleteModel: deleteModel,
  CreateEndpointConfig: createEndpointConfig,
  DescribeEndpointConfig: describeEndpointConfig,
  DeleteEndpointConfig: deleteEndpointConfig,
  CreateEndpoint: createEndpoint,
  DescribeEndpoint: describeEndpoint,
  UpdateEndpoint: updateEndpoint,
  DeleteEndpoint: deleteEndpoint,
  ListEndpoints: listEndpoints,
  AddTags: addTags,
  ListTags: listTags,
  ListModels: listModels,
  ListEndpointConfigs: listEndpointConfigs,
  CreateModelPackageGroup: createModelPackageGroup,
  CreateModelPackage: createModelPackage,
  UpdateModelPackage: updateModelPackage,
  DescribeModelPackage: describeModelPackage,
  ListModelPackages: listModelPackages,
} as const satisfies Record<string, Handler>;

/** One of the operations in OPERATIONS. */
export type OperationName = keyof typeof OPERATIONS;

/** The handler of an operation, if the emulator knows it. */
export function findHandler(operation: string): Handler | undefined {
  if (Object.hasOwn(OPERATIONS, operation)) return OPERATIONS[operation as OperationName];
  if (Object.hasOwn(AUTOSCALING_OPERATIONS, operation))
    return AUTOSCALING_OPERATIONS[operation as keyof typeof AUTOSCALING_OPERATIONS];
  return undefined;
}

/** True for the calls that change state: Create*, Update*, Delete*, Register*, Deregister*, Put* and AddTags. */
export function isMutating(operation: string): boolean {
  return (
    /^(Create|Update|Delete|Register|Deregister|Put)/.test(operation) || operation === "AddTags"
  );
}

/** The services one port serves, by X-Amz-Target prefix, with the IAM prefix of their actions. */
const SERVICES = [
  { prefix: "SageMaker.", iam: "sagemaker", operations: OPERATIONS },
  {
    prefix: "AnyScaleFrontendService.",
    iam: "application-autoscaling",
    operations: AUTOSCALING_OPERATIONS,
  },
] as const;

/**
 * The operation an `X-Amz-Target` names: the part after the service prefix, unless that is the
 * other service's operation (then the whole target, which no handler answers).
 */
export function operationOfTarget(target: string): string {
  const service = SERVICES.find((s) => target.startsWith(s.prefix));
  if (service === undefined) return target;
  const operation = target.slice(service.prefix.length);
  const elsewhere = SERVICES.some((s) => s !== service && Object.hasOwn(s.operations, operation));
  return elsewhere ? target : operation;
}

/** The IAM action of a recorded operation: `application-autoscaling:<Op>` or `sagemaker:<Op>`. */
export function iamActionOf(operation: string): string {
  const service = SERVICES.find((s) => Object.hasOwn(s.operations, operation)) ?? SERVICES[0];
  return `${service.iam}:${operation}`;
}
