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
  return Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation as OperationName] : undefined;
}

/** True for the calls that change state: Create*, Update*, Delete* and AddTags. */
export function isMutating(operation: string): boolean {
  return /^(Create|Update|Delete)/.test(operation) || operation === "AddTags";
}
