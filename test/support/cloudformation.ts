import type { CollectionTag, ScalarTag, Tags } from "yaml";

// CloudFormation's short forms (!Ref, !Sub, ...) as the long forms they stand for.
const INTRINSICS =
  "And Base64 Cidr Equals FindInMap GetAtt GetAZs If ImportValue Join Not Or Select Split Sub";

function scalarTag(tag: string, resolve: (value: string) => unknown): ScalarTag {
  return { tag, resolve };
}

function collectionTag(tag: string, kind: "seq" | "map", name: string): CollectionTag {
  return { tag, collection: kind, resolve: (node) => ({ [name]: node.toJSON() }) };
}

/** YAML tags for CloudFormation's short forms, to parse a template with npm `yaml`. */
export const cloudFormationTags: Tags = [
  scalarTag("!Ref", (value) => ({ Ref: value })),
  scalarTag("!Condition", (value) => ({ Condition: value })),
  ...INTRINSICS.split(" ").flatMap((name) => [
    scalarTag(`!${name}`, (value) => ({
      [`Fn::${name}`]: name === "GetAtt" ? value.split(".") : value,
    })),
    collectionTag(`!${name}`, "seq", `Fn::${name}`),
    collectionTag(`!${name}`, "map", `Fn::${name}`),
  ]),
];
