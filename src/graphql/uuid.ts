import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { UUIDResolver } from "graphql-scalars";
import { isUuid } from "../shared/validation";

function parse(value: unknown): string {
  // graphql-js prefixes the message with the variable and the path of the field: `... at "input.claimId"; must be a valid id`.
  if (typeof value !== "string" || !isUuid(value)) throw new GraphQLError("must be a valid id");
  return value;
}

/**
 * graphql-scalars' UUID (its name and description), parsed with the API's one definition of an
 * id (`isUuid`, the same as every zod input schema's): a malformed id is refused as
 * BAD_USER_INPUT (variables) or by validation (literals) before any resolver runs.
 */
export const UUID = new GraphQLScalarType<string, string>({
  ...UUIDResolver.toConfig(),
  serialize: (value: unknown) => String(value),
  parseValue: parse,
  parseLiteral: (node: ValueNode) => {
    if (node.kind !== Kind.STRING) throw new GraphQLError("must be a valid id");
    return parse(node.value);
  },
});
