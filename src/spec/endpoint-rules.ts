import { isRecord } from "../shared/patterns.js";
import type { SpecDeployment } from "./merge-spec.js";

type Json = Record<string, unknown>;

/** A combination SageMaker refuses, checked before any call, with where AWS documents it. */
interface Rule {
  readonly check: (deployment: SpecDeployment) => readonly string[];
  readonly doc: string;
}

const variantsOf = (list: unknown): Json[] =>
  Array.isArray(list) ? list.filter((v): v is Json => isRecord(v)) : [];

const CONFIG = "spec.endpoint-config";

const RULES: readonly Rule[] = [
  {
    doc: "CreateEndpointConfig, ShadowProductionVariants",
    check: ({ endpointConfig }) => {
      const shadows = variantsOf(endpointConfig.ShadowProductionVariants);
      const production = variantsOf(endpointConfig.ProductionVariants);
      return shadows.length > 0 && (shadows.length !== 1 || production.length !== 1)
        ? [
            `${CONFIG}.ShadowProductionVariants: with a shadow variant SageMaker allows exactly one production variant and one shadow variant (here ${production.length} and ${shadows.length})`,
          ]
        : [];
    },
  },
  {
    doc: "ProductionVariant, InstanceType and ServerlessConfig",
    check: ({ endpointConfig }) =>
      (["ProductionVariants", "ShadowProductionVariants"] as const).flatMap((list) =>
        variantsOf(endpointConfig[list]).flatMap((variant, index) => {
          const at = `${CONFIG}.${list}[${index}]`;
          const serverless = variant.ServerlessConfig !== undefined;
          if (serverless && variant.InstanceType !== undefined)
            return [`${at}: a serverless variant (ServerlessConfig) takes no InstanceType`];
          if (serverless && variant.InitialInstanceCount !== undefined)
            return [`${at}: a serverless variant (ServerlessConfig) takes no InitialInstanceCount`];
          if (!serverless && variant.InstanceType === undefined)
            return [`${at}: needs InstanceType (or ServerlessConfig for a serverless variant)`];
          return [];
        }),
      ),
  },
  {
    doc: "CreateEndpointConfig, ProductionVariants (VariantName)",
    check: ({ endpointConfig }) => {
      const seen = new Set<unknown>();
      const problems: string[] = [];
      for (const list of ["ProductionVariants", "ShadowProductionVariants"] as const) {
        variantsOf(endpointConfig[list]).forEach((variant, index) => {
          if (seen.has(variant.VariantName))
            problems.push(
              `${CONFIG}.${list}[${index}].VariantName: ${JSON.stringify(variant.VariantName)} names another variant too`,
            );
          seen.add(variant.VariantName);
        });
      }
      return problems;
    },
  },
  {
    doc: "Asynchronous inference: serverless variants are not supported",
    check: ({ endpointConfig }) =>
      endpointConfig.AsyncInferenceConfig !== undefined &&
      variantsOf(endpointConfig.ProductionVariants).some((v) => v.ServerlessConfig !== undefined)
        ? [
            `${CONFIG}.AsyncInferenceConfig: an asynchronous endpoint cannot have a serverless variant`,
          ]
        : [],
  },
  {
    doc: "CreateModel, PrimaryContainer and Containers",
    check: ({ model }) =>
      model.PrimaryContainer !== undefined && model.Containers !== undefined
        ? ["spec.model: give PrimaryContainer or Containers, not both"]
        : [],
  },
  {
    doc: "ContainerDefinition, ModelDataUrl and ModelDataSource",
    check: ({ model }) =>
      [
        ...(isRecord(model.PrimaryContainer) ? [["PrimaryContainer", model.PrimaryContainer]] : []),
        ...variantsOf(model.Containers).map((c, i) => [`Containers[${i}]`, c]),
      ].flatMap(([at, container]) =>
        isRecord(container) &&
        container.ModelDataUrl !== undefined &&
        container.ModelDataSource !== undefined
          ? [`spec.model.${at}: give ModelDataUrl or ModelDataSource, not both`]
          : [],
      ),
  },
];

/**
 * The combinations of members SageMaker refuses, each a problem naming where it is and the
 * API reference entry that states the rule, so a refused deploy creates nothing.
 */
export function checkEndpointRules(deployment: SpecDeployment): string[] {
  return RULES.flatMap((rule) =>
    rule.check(deployment).map((problem) => `${problem} (SageMaker API reference: ${rule.doc})`),
  );
}
