import type { EndpointProgress } from "./lifecycle.js";
import { settle } from "./lifecycle.js";
import { ScalingStore } from "./scaling-store.js";
import type { EmulatorState } from "./types.js";

/** A model or endpoint config, as it was created. */
export interface ResourceRecord {
  name: string;
  arn: string;
  input: Record<string, unknown>;
  tags: Record<string, string>;
  creationTime: number;
}

/** An endpoint; its status moves lazily along `steps` (see lifecycle.ts). */
export interface EndpointRecord extends EndpointProgress {
  name: string;
  arn: string;
  creationTime: number;
  tags: Record<string, string>;
}

/** SageMaker names are unique regardless of case (its ARNs are lower-cased). */
function key(name: string): string {
  return name.toLowerCase();
}

/** Every model, endpoint config and endpoint the emulator holds. */
export class ResourceStore {
  private readonly modelMap = new Map<string, ResourceRecord>();
  private readonly configMap = new Map<string, ResourceRecord>();
  private readonly endpointMap = new Map<string, EndpointRecord>();
  /** Application Auto Scaling's targets, policies and scheduled actions (autoscaling-operations.ts). */
  readonly scaling = new ScalingStore();

  constructor(private readonly now: () => number) {}

  /** The model named so, if any. */
  model(name: string): ResourceRecord | undefined {
    return this.modelMap.get(key(name));
  }

  /** The endpoint config named so, if any. */
  config(name: string): ResourceRecord | undefined {
    return this.configMap.get(key(name));
  }

  /** The endpoint named so with its lifecycle applied up to now; undefined once deleted. */
  endpoint(name: string): EndpointRecord | undefined {
    const endpoint = this.endpointMap.get(key(name));
    if (endpoint === undefined || settle(endpoint, this.now())) return endpoint;
    this.endpointMap.delete(key(name));
    return undefined;
  }

  /** All models, oldest first. */
  models(): ResourceRecord[] {
    return [...this.modelMap.values()];
  }

  /** All endpoint configs, oldest first. */
  configs(): ResourceRecord[] {
    return [...this.configMap.values()];
  }

  /** All endpoints still present, oldest first. */
  endpoints(): EndpointRecord[] {
    return [...this.endpointMap.values()].flatMap((e) => this.endpoint(e.name) ?? []);
  }

  putModel(record: ResourceRecord): void {
    this.modelMap.set(key(record.name), record);
  }

  putConfig(record: ResourceRecord): void {
    this.configMap.set(key(record.name), record);
  }

  putEndpoint(record: EndpointRecord): void {
    this.endpointMap.set(key(record.name), record);
  }

  deleteModel(name: string): void {
    this.modelMap.delete(key(name));
  }

  deleteConfig(name: string): void {
    this.configMap.delete(key(name));
  }

  /** The resource an ARN names, for AddTags/ListTags. */
  byArn(arn: string): { tags: Record<string, string> } | undefined {
    const wanted = arn.toLowerCase();
    const all = [...this.models(), ...this.configs(), ...this.endpoints()];
    return all.find((resource) => resource.arn.toLowerCase() === wanted);
  }

  /** A deep copy of everything, for tests and the control API. */
  snapshot(): EmulatorState {
    const copy = <T>(value: T): T => structuredClone(value);
    const resource = (r: ResourceRecord) => ({
      name: r.name,
      arn: r.arn,
      input: copy(r.input),
      tags: { ...r.tags },
    });
    return {
      models: this.models().map(resource),
      endpointConfigs: this.configs().map(resource),
      endpoints: this.endpoints().map((e) => ({
        name: e.name,
        arn: e.arn,
        status: e.status,
        configName: e.configName,
        ...(e.failureReason === undefined ? {} : { failureReason: e.failureReason }),
        tags: { ...e.tags },
      })),
    };
  }

  clear(): void {
    this.modelMap.clear();
    this.configMap.clear();
    this.endpointMap.clear();
    this.scaling.clear();
  }
}
