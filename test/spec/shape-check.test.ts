import { describe, expect, it } from "vitest";
import { checkInput, checkShape, checkSpec, type ShapeName } from "../../src/spec/shape-check.js";
import { IMAGE, KMS_KEY, PRODUCTION_SPEC, ROLE } from "./production-spec.js";

const MINIMAL_VARIANT = { VariantName: "AllTraffic", InstanceType: "ml.m5.large" };

describe("checkShape accepts", () => {
  it.each<{ case: string; shape: ShapeName; value: unknown }>([
    { case: "a minimal CreateModel", shape: "CreateModelInput", value: { ModelName: "churn" } },
    {
      case: "a CreateModel with one container",
      shape: "CreateModelInput",
      value: { ModelName: "churn", ExecutionRoleArn: ROLE, PrimaryContainer: { Image: IMAGE } },
    },
    {
      case: "a minimal CreateEndpointConfig",
      shape: "CreateEndpointConfigInput",
      value: { EndpointConfigName: "churn-1", ProductionVariants: [{ VariantName: "AllTraffic" }] },
    },
    { case: "an empty model section", shape: "SpecModel", value: {} },
    {
      case: "variants without ModelName in the spec",
      shape: "SpecEndpointConfig",
      value: { ProductionVariants: [MINIMAL_VARIANT] },
    },
    { case: "an empty spec", shape: "Spec", value: {} },
    {
      case: "a blue/green DeploymentConfig",
      shape: "DeploymentConfig",
      value: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: "CANARY",
            WaitIntervalInSeconds: 600,
            CanarySize: { Type: "CAPACITY_PERCENT", Value: 10 },
          },
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: "churn-5xx" }] },
      },
    },
    { case: "a production-shaped spec", shape: "Spec", value: PRODUCTION_SPEC },
    {
      case: "the production model as a CreateModel call",
      shape: "CreateModelInput",
      value: { ...PRODUCTION_SPEC.model, ModelName: "churn-1" },
    },
    {
      case: "the production endpoint config as a CreateEndpointConfig call",
      shape: "CreateEndpointConfigInput",
      value: { ...PRODUCTION_SPEC["endpoint-config"], EndpointConfigName: "churn-1" },
    },
  ])("$case", ({ shape, value }) => {
    const problems = checkShape(value, shape, "spec");

    expect(problems).toEqual([]);
  });
});

/** A spec with one variant whose members are `variant`. */
function specWithVariant(variant: Record<string, unknown>): unknown {
  return { "endpoint-config": { ProductionVariants: [MINIMAL_VARIANT, variant] } };
}

const VARIANT = "spec.endpoint-config.ProductionVariants[1]";

describe("checkShape refuses", () => {
  it.each<{ case: string; shape: ShapeName; value: unknown; problem: string }>([
    {
      case: "a misspelt instance type, suggesting the right one",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", InstanceType: "ml.m5.larg" }),
      problem: `${VARIANT}.InstanceType: "ml.m5.larg" is not a SageMaker instance type; did you mean "ml.m5.large"?`,
    },
    {
      case: "an instance type in the wrong case",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", InstanceType: "ML.M5.LARGE" }),
      problem: `${VARIANT}.InstanceType: "ML.M5.LARGE" is not a SageMaker instance type; did you mean "ml.m5.large"?`,
    },
    {
      case: "a negative variant weight",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", InitialVariantWeight: -0.5 }),
      problem: `${VARIANT}.InitialVariantWeight: -0.5 is below the minimum 0`,
    },
    {
      case: "a volume larger than SageMaker allows",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", VolumeSizeInGB: 600000 }),
      problem: `${VARIANT}.VolumeSizeInGB: 600000 is above the maximum 512`,
    },
    {
      case: "a misspelt member, suggesting the right one",
      shape: "Spec",
      value: { model: { PrimaryContainer: { Imagee: IMAGE } } },
      problem: 'spec.model.PrimaryContainer.Imagee: unknown member; did you mean "Image"?',
    },
    {
      case: "a member the action sets itself",
      shape: "Spec",
      value: { model: { ModelName: "churn" } },
      problem: "spec.model.ModelName: unknown member",
    },
    {
      case: "a member named constructor",
      shape: "Spec",
      value: { model: { constructor: "x" } },
      problem: "spec.model.constructor: unknown member",
    },
    {
      case: "a member named __proto__",
      shape: "Spec",
      value: JSON.parse('{"model": {"__proto__": {"Image": "x"}}}'),
      problem: "spec.model.__proto__: unknown member",
    },
    {
      case: "a missing required member",
      shape: "Spec",
      value: specWithVariant({ InstanceType: "ml.m5.large" }),
      problem: `${VARIANT}.VariantName: required member is missing`,
    },
    {
      case: "a missing required section member",
      shape: "Spec",
      value: { "endpoint-config": { KmsKeyId: KMS_KEY } },
      problem: "spec.endpoint-config.ProductionVariants: required member is missing",
    },
    {
      case: "a number given as text",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", InitialInstanceCount: "2" }),
      problem: `${VARIANT}.InitialInstanceCount: expected an integer, got the string "2"`,
    },
    {
      case: "a fraction where SageMaker wants an integer",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", InitialInstanceCount: 1.5 }),
      problem: `${VARIANT}.InitialInstanceCount: expected an integer, got 1.5`,
    },
    {
      case: "an integer beyond 32 bits",
      shape: "Spec",
      value: specWithVariant({ VariantName: "b", InitialInstanceCount: 2 ** 31 }),
      problem: `${VARIANT}.InitialInstanceCount: 2147483648 is above the maximum 2147483647`,
    },
    {
      case: "text where SageMaker wants a boolean",
      shape: "Spec",
      value: { model: { EnableNetworkIsolation: "yes" } },
      problem: 'spec.model.EnableNetworkIsolation: expected true or false, got the string "yes"',
    },
    {
      case: "an object where SageMaker wants a list",
      shape: "Spec",
      value: { "endpoint-config": { ProductionVariants: MINIMAL_VARIANT } },
      problem: "spec.endpoint-config.ProductionVariants: expected a list, got an object",
    },
    {
      case: "a list where SageMaker wants an object",
      shape: "Spec",
      value: { model: { PrimaryContainer: [{ Image: IMAGE }] } },
      problem: "spec.model.PrimaryContainer: expected an object, got a list",
    },
    {
      case: "an empty YAML value",
      shape: "Spec",
      value: { model: { ExecutionRoleArn: null } },
      problem: "spec.model.ExecutionRoleArn: expected a string, got null",
    },
    {
      case: "a value that breaks SageMaker's pattern",
      shape: "Spec",
      value: specWithVariant({ VariantName: "-blue" }),
      problem: `${VARIANT}.VariantName: "-blue" does not match SageMaker's pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`,
    },
    {
      case: "a string longer than SageMaker allows",
      shape: "Spec",
      value: specWithVariant({ VariantName: "v".repeat(64) }),
      problem: `${VARIANT}.VariantName: "${"v".repeat(64)}" is 64 characters long; at most 63 allowed`,
    },
    {
      case: "more list items than SageMaker allows",
      shape: "Spec",
      value: {
        model: { Containers: Array.from({ length: 16 }, (_, i) => ({ Image: `${IMAGE}-${i}` })) },
      },
      problem: "spec.model.Containers: has 16 items; at most 15 allowed",
    },
    {
      case: "an empty list where SageMaker wants items",
      shape: "Spec",
      value: { "endpoint-config": { ProductionVariants: [] } },
      problem: "spec.endpoint-config.ProductionVariants: has 0 items; at least 1 needed",
    },
    {
      case: "a map key that breaks SageMaker's pattern",
      shape: "Spec",
      value: { model: { PrimaryContainer: { Environment: { "LOG-LEVEL": "info" } } } },
      problem:
        'spec.model.PrimaryContainer.Environment.LOG-LEVEL (key): "LOG-LEVEL" does not match SageMaker\'s pattern [a-zA-Z_][a-zA-Z0-9_]*',
    },
    {
      case: "an enum value far from any, listing the few there are",
      shape: "Spec",
      value: { model: { InferenceExecutionConfig: { Mode: "Parallel" } } },
      problem:
        'spec.model.InferenceExecutionConfig.Mode: "Parallel" is not one of the InferenceExecutionMode values (Direct, Serial)',
    },
    {
      case: "an autoscaling minimum below 0",
      shape: "Spec",
      value: { autoscaling: { AllTraffic: { min: -1, max: 2, policies: [] } } },
      problem: "spec.autoscaling.AllTraffic.min: -1 is below the minimum 0",
    },
    {
      case: "a misspelt scaling metric",
      shape: "Spec",
      value: {
        autoscaling: {
          AllTraffic: {
            min: 1,
            max: 2,
            policies: [{ metric: "InvocationsPerInstance", target: 5 }],
          },
        },
      },
      problem:
        'spec.autoscaling.AllTraffic.policies[0].metric: "InvocationsPerInstance" is not a SageMaker variant metric (SageMakerVariantInvocationsPerInstance, SageMakerVariantProvisionedConcurrencyUtilization, SageMakerVariantConcurrentRequestsPerModelHighResolution)',
    },
    {
      case: "a policy name that breaks Application Auto Scaling's pattern",
      shape: "Spec",
      value: {
        autoscaling: {
          AllTraffic: {
            min: 1,
            max: 2,
            policies: [
              { name: "tab\there", metric: "SageMakerVariantInvocationsPerInstance", target: 5 },
            ],
          },
        },
      },
      problem:
        'spec.autoscaling.AllTraffic.policies[0].name: "tab\\there" does not match Application Auto Scaling\'s pattern [\\x20-\\x7E]+',
    },
  ])("$case", ({ shape, value, problem }) => {
    const problems = checkShape(value, shape, "spec");

    expect(problems).toContain(problem);
  });

  it("reports every problem at once", () => {
    const spec = {
      model: { PrimaryContainer: { Imagee: IMAGE } },
      "endpoint-config": {
        ProductionVariants: [{ VariantName: "a", InstanceType: "ml.m5.larg", VolumeSizeInGB: 0 }],
      },
    };

    const problems = checkShape(spec, "Spec", "spec");

    expect(problems).toEqual([
      'spec.model.PrimaryContainer.Imagee: unknown member; did you mean "Image"?',
      'spec.endpoint-config.ProductionVariants[0].InstanceType: "ml.m5.larg" is not a SageMaker instance type; did you mean "ml.m5.large"?',
      "spec.endpoint-config.ProductionVariants[0].VolumeSizeInGB: 0 is below the minimum 1",
    ]);
  });

  it("quotes a long value JSON-escaped and shortened", () => {
    const image = `bad image\n${"x".repeat(300)}`;

    const problems = checkShape(
      { Image: image },
      "ContainerDefinition",
      "spec.model.PrimaryContainer",
    );

    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(
      /^spec\.model\.PrimaryContainer\.Image: "bad image\\nx+…" does not match/,
    );
    expect(problems[1]?.length).toBeLessThan(200);
  });

  it.each<{ case: string; value: unknown }>([
    {
      case: "a cycle",
      value: (() => {
        const container: Record<string, unknown> = {};
        container.Environment = container;
        return { PrimaryContainer: container };
      })(),
    },
    { case: "a function", value: () => "model" },
    { case: "a symbol", value: Symbol("model") },
    {
      case: "a throwing getter",
      value: Object.defineProperty({}, "VpcConfig", {
        enumerable: true,
        get: () => {
          throw new Error("no VPC today");
        },
      }),
    },
  ])("returns problems rather than throwing for $case", ({ value }) => {
    const problems = checkShape(value, "SpecModel", "spec.model");

    expect(problems.length).toBeGreaterThan(0);
  });

  it("names a shape it does not know rather than throwing", () => {
    const problems = checkShape("x", "toString" as ShapeName, "spec");

    expect(problems).toEqual(['spec: no shape named "toString" to check against']);
  });
});

describe("checkInput", () => {
  it.each<{ input: string; value: string; shape: ShapeName; problems: string[] }>([
    {
      input: "instance-type",
      value: "ml.m5.larg",
      shape: "ProductionVariantInstanceType",
      problems: [
        'instance-type: "ml.m5.larg" is not a SageMaker instance type; did you mean "ml.m5.large"?',
      ],
    },
    {
      input: "instance-type",
      value: "ml.m5.large",
      shape: "ProductionVariantInstanceType",
      problems: [],
    },
    {
      input: "initial-instance-count",
      value: "0",
      shape: "InitialTaskCount",
      problems: ["initial-instance-count: 0 is below the minimum 1"],
    },
    {
      input: "initial-instance-count",
      value: "two",
      shape: "InitialTaskCount",
      problems: ['initial-instance-count: expected an integer, got the string "two"'],
    },
    { input: "variant-name", value: "AllTraffic", shape: "VariantName", problems: [] },
  ])("$input: $value", ({ input, value, shape, problems }) => {
    const found = checkInput(input, value, shape);

    expect(found).toEqual(problems);
  });
});

describe("checkSpec", () => {
  it.each<{ case: string; spec: unknown; problems: string[] }>([
    { case: "a production-shaped spec", spec: PRODUCTION_SPEC, problems: [] },
    {
      case: "max below min",
      spec: {
        autoscaling: {
          AllTraffic: {
            min: 4,
            max: 2,
            policies: [{ metric: "SageMakerVariantInvocationsPerInstance", target: 70 }],
          },
        },
      },
      problems: ["spec.autoscaling.AllTraffic.max: 2 is below min (4)"],
    },
    {
      case: "two policies with one name",
      spec: {
        autoscaling: {
          AllTraffic: {
            min: 1,
            max: 2,
            policies: [
              { name: "p", metric: "SageMakerVariantInvocationsPerInstance", target: 70 },
              {
                name: "p",
                metric: "SageMakerVariantConcurrentRequestsPerModelHighResolution",
                target: 5,
              },
            ],
          },
        },
      },
      problems: ['spec.autoscaling.AllTraffic.policies[1].name: "p" names an earlier policy too'],
    },
    { case: "a list", spec: [], problems: ["spec: expected an object, got a list"] },
  ])("$case", ({ spec, problems }) => {
    const found = checkSpec(spec);

    expect(found).toEqual(problems);
  });
});
