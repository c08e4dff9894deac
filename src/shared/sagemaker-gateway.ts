import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigInput,
  type CreateEndpointInput,
  CreateModelCommand,
  type CreateModelInput,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  DescribeEndpointConfigCommand,
  type DescribeEndpointConfigCommandOutput,
  DescribeModelCommand,
  type DescribeModelCommandOutput,
  DescribeModelPackageCommand,
  type DescribeModelPackageCommandOutput,
  type EndpointConfigSummary,
  type EndpointSummary,
  type ListModelPackagesInput,
  type ModelPackageSummary,
  type ModelSummary,
  paginateListEndpointConfigs,
  paginateListEndpoints,
  paginateListModelPackages,
  paginateListModels,
  paginateListTags,
  type SageMakerClient,
  UpdateEndpointCommand,
  type UpdateEndpointInput,
} from "@aws-sdk/client-sagemaker";
import { CancelledError, callAws, isAccessDenied, unlessNotFound } from "./errors.js";
import { collectPages } from "./pages.js";
import { type Tag, tagsToRecord } from "./tags.js";

/** A DescribeEndpoint answer. */
export type Endpoint = Omit<DescribeEndpointCommandOutput, "$metadata">;
/** A DescribeModel answer. */
export type Model = Omit<DescribeModelCommandOutput, "$metadata">;
/** A DescribeEndpointConfig answer. */
export type EndpointConfig = Omit<DescribeEndpointConfigCommandOutput, "$metadata">;

/** A DescribeModelPackage answer. */
export type ModelPackage = Omit<DescribeModelPackageCommandOutput, "$metadata">;
export type { EndpointConfigSummary, EndpointSummary, ModelPackageSummary, ModelSummary };

/** ListTags pages read at most (100 tags a page; SageMaker allows 50 tags a resource). */
const MAX_TAG_PAGES = 5;
/** List* pages read at most (100 items a page): a bound on an account with runaway resources. */
const MAX_LIST_PAGES = 100;

/**
 * Every SageMaker call the action and the companion make. Each call is wrapped once
 * (``Operation 'resource' failed: reason``); Describe calls answer `undefined` for a resource
 * that does not exist; deletes answer `false` when it was already gone.
 */
export interface SageMakerGateway {
  describeEndpoint(name: string): Promise<Endpoint | undefined>;
  /**
   * DescribeEndpoint for a wait that asks again at its next poll: a throttled answer is thrown
   * at once rather than retried (the gateway's `pollClient`).
   */
  pollEndpoint(name: string): Promise<Endpoint | undefined>;
  describeModel(name: string): Promise<Model | undefined>;
  describeEndpointConfig(name: string): Promise<EndpointConfig | undefined>;
  /** Creates a model; answers its ARN. */
  createModel(input: CreateModelInput): Promise<string>;
  /** Creates an endpoint config; answers its ARN. */
  createEndpointConfig(input: CreateEndpointConfigInput): Promise<string>;
  /** Creates an endpoint; answers its ARN. */
  createEndpoint(input: CreateEndpointInput): Promise<string>;
  updateEndpoint(input: UpdateEndpointInput): Promise<void>;
  deleteEndpoint(name: string): Promise<boolean>;
  deleteEndpointConfig(name: string): Promise<boolean>;
  deleteModel(name: string): Promise<boolean>;
  /** All tags of a resource as a map, every page read. */
  listTags(arn: string): Promise<Record<string, string>>;
  addTags(arn: string, tags: readonly Tag[]): Promise<void>;
  /** A model package version by ARN (or an unversioned package by name). */
  describeModelPackage(nameOrArn: string): Promise<ModelPackage | undefined>;
  /** Model package summaries in the order asked for, pages read until `limit` items. */
  listModelPackages(input: ListModelPackagesInput, limit: number): Promise<ModelPackageSummary[]>;
  /** Every model whose name contains `nameContains`, oldest first. */
  listModels(nameContains: string): Promise<ModelSummary[]>;
  /** Every endpoint config whose name contains `nameContains`, oldest first. */
  listEndpointConfigs(nameContains: string): Promise<EndpointConfigSummary[]>;
  /** Every endpoint of the region. */
  listEndpoints(): Promise<EndpointSummary[]>;
}

/**
 * The SageMaker operation (and so the IAM action) behind each gateway method; the IAM tests map
 * the methods a module calls onto the permissions it needs with it.
 */
export const GATEWAY_OPERATIONS = {
  describeEndpoint: "DescribeEndpoint",
  pollEndpoint: "DescribeEndpoint",
  describeModel: "DescribeModel",
  describeEndpointConfig: "DescribeEndpointConfig",
  createModel: "CreateModel",
  createEndpointConfig: "CreateEndpointConfig",
  createEndpoint: "CreateEndpoint",
  updateEndpoint: "UpdateEndpoint",
  deleteEndpoint: "DeleteEndpoint",
  deleteEndpointConfig: "DeleteEndpointConfig",
  deleteModel: "DeleteModel",
  listTags: "ListTags",
  addTags: "AddTags",
  describeModelPackage: "DescribeModelPackage",
  listModelPackages: "ListModelPackages",
  listModels: "ListModels",
  listEndpointConfigs: "ListEndpointConfigs",
  listEndpoints: "ListEndpoints",
} as const satisfies Record<keyof SageMakerGateway, string>;

/** Options for {@link createSageMakerGateway}. */
export interface GatewayOptions {
  readonly client: SageMakerClient;
  /** The client of {@link SageMakerGateway.pollEndpoint} (`createPollingClient`); `client` if unset. */
  readonly pollClient?: SageMakerClient;
  /**
   * Cancellation: once aborted, no mutating call starts (it throws {@link CancelledError}) and
   * reads in flight are abandoned.
   */
  readonly signal?: AbortSignal;
}

/** Reads a paginator's items until `limit` items or {@link MAX_LIST_PAGES} pages. */
const collect = <Page, Item>(
  pager: AsyncIterable<Page>,
  items: (page: Page) => readonly Item[] | undefined,
  limit?: number,
) =>
  collectPages(pager, items, {
    maxPages: MAX_LIST_PAGES,
    ...(limit === undefined ? {} : { limit }),
  });

/** Builds the gateway over one SageMaker client. */
export function createSageMakerGateway(options: GatewayOptions): SageMakerGateway {
  const { client, signal } = options;
  const pollClient = options.pollClient ?? client;
  const read = <T>(operation: string, resource: string, call: () => Promise<T>) =>
    unlessNotFound(() => callAws(operation, resource, call));
  const mutate = <T>(operation: string, resource: string, call: () => Promise<T>) => {
    if (signal?.aborted) return Promise.reject(new CancelledError(operation, resource));
    return callAws(operation, resource, call);
  };
  const sendOptions = signal ? { abortSignal: signal } : {};
  const strip = <T extends { $metadata: unknown }>(answer: T | undefined) => {
    if (!answer) return undefined;
    const { $metadata: _, ...rest } = answer;
    return rest;
  };
  // A resource that is already gone has no tags, so a policy scoped by tag answers AccessDenied
  // where SageMaker would say "Could not find" (a retry after a dropped answer meets this): the
  // delete counts as done when a read confirms the resource no longer exists.
  const deleted = async (call: () => Promise<unknown>, exists: () => Promise<unknown>) => {
    try {
      return (
        (await unlessNotFound(async () => {
          await call();
          return true;
        })) ?? false
      );
    } catch (error) {
      if (isAccessDenied(error) && (await exists().catch(() => true)) === undefined) return false;
      throw error;
    }
  };
  const describeEndpoint = (via: SageMakerClient) => async (name: string) =>
    strip(
      await read("DescribeEndpoint", name, () =>
        via.send(new DescribeEndpointCommand({ EndpointName: name }), sendOptions),
      ),
    );
  const gateway: SageMakerGateway = {
    describeEndpoint: describeEndpoint(client),
    pollEndpoint: describeEndpoint(pollClient),
    describeModel: async (name) =>
      strip(
        await read("DescribeModel", name, () =>
          client.send(new DescribeModelCommand({ ModelName: name }), sendOptions),
        ),
      ),
    describeEndpointConfig: async (name) =>
      strip(
        await read("DescribeEndpointConfig", name, () =>
          client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }), sendOptions),
        ),
      ),
    createModel: async (input) =>
      (
        await mutate("CreateModel", input.ModelName ?? "", () =>
          client.send(new CreateModelCommand(input)),
        )
      ).ModelArn ?? "",
    createEndpointConfig: async (input) =>
      (
        await mutate("CreateEndpointConfig", input.EndpointConfigName ?? "", () =>
          client.send(new CreateEndpointConfigCommand(input)),
        )
      ).EndpointConfigArn ?? "",
    createEndpoint: async (input) =>
      (
        await mutate("CreateEndpoint", input.EndpointName ?? "", () =>
          client.send(new CreateEndpointCommand(input)),
        )
      ).EndpointArn ?? "",
    updateEndpoint: async (input) => {
      await mutate("UpdateEndpoint", input.EndpointName ?? "", () =>
        client.send(new UpdateEndpointCommand(input)),
      );
    },
    deleteEndpoint: (name) =>
      deleted(
        () =>
          mutate("DeleteEndpoint", name, () =>
            client.send(new DeleteEndpointCommand({ EndpointName: name })),
          ),
        () => gateway.describeEndpoint(name),
      ),
    deleteEndpointConfig: (name) =>
      deleted(
        () =>
          mutate("DeleteEndpointConfig", name, () =>
            client.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name })),
          ),
        () => gateway.describeEndpointConfig(name),
      ),
    deleteModel: (name) =>
      deleted(
        () =>
          mutate("DeleteModel", name, () =>
            client.send(new DeleteModelCommand({ ModelName: name })),
          ),
        () => gateway.describeModel(name),
      ),
    listTags: (arn) =>
      callAws("ListTags", arn, async () =>
        tagsToRecord(
          await collectPages(
            paginateListTags({ client, pageSize: 100 }, { ResourceArn: arn }),
            (page) => page.Tags,
            { maxPages: MAX_TAG_PAGES },
          ),
        ),
      ),
    addTags: async (arn, tags) => {
      await mutate("AddTags", arn, () =>
        client.send(new AddTagsCommand({ ResourceArn: arn, Tags: [...tags] })),
      );
    },
    describeModelPackage: async (nameOrArn) =>
      strip(
        await read("DescribeModelPackage", nameOrArn, () =>
          client.send(
            new DescribeModelPackageCommand({ ModelPackageName: nameOrArn }),
            sendOptions,
          ),
        ),
      ),
    listModelPackages: (input, limit) =>
      callAws("ListModelPackages", input.ModelPackageGroupName ?? "", () =>
        collect(
          paginateListModelPackages({ client, pageSize: Math.min(limit, 100) }, input),
          (page) => page.ModelPackageSummaryList,
          limit,
        ),
      ),
    listModels: (nameContains) =>
      callAws("ListModels", nameContains, () =>
        collect(
          paginateListModels(
            { client, pageSize: 100 },
            { NameContains: nameContains, SortBy: "CreationTime", SortOrder: "Ascending" },
          ),
          (page) => page.Models,
        ),
      ),
    listEndpointConfigs: (nameContains) =>
      callAws("ListEndpointConfigs", nameContains, () =>
        collect(
          paginateListEndpointConfigs(
            { client, pageSize: 100 },
            { NameContains: nameContains, SortBy: "CreationTime", SortOrder: "Ascending" },
          ),
          (page) => page.EndpointConfigs,
        ),
      ),
    listEndpoints: () =>
      callAws("ListEndpoints", "", () =>
        collect(paginateListEndpoints({ client, pageSize: 100 }, {}), (page) => page.Endpoints),
      ),
  };
  return gateway;
}
