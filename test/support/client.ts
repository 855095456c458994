import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { GraphQLFormattedError } from "graphql";
import type { ApolloServer } from "@apollo/server";
import { buildContext, type Context } from "../../src/context";
import { createApollo } from "../../src/server";
import { testPrisma } from "./environment";

export interface GqlResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

let apollo: ApolloServer<Context> | undefined;
export const internalErrors: unknown[] = [];

function server(): ApolloServer<Context> {
  apollo ??= createApollo(undefined, (error) => internalErrors.push(error));
  return apollo;
}

/**
 * Runs a typed operation through the real schema, resolvers, error formatting and a fresh request
 * context, against this worker's database.
 */
export async function gql<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
): Promise<GqlResult<TData>> {
  const prisma = await testPrisma();
  const response = await server().executeOperation<TData, TVariables>(
    { query: document, variables: variables as TVariables },
    { contextValue: buildContext(prisma) },
  );
  if (response.body.kind !== "single") throw new Error("unexpected incremental response");
  const { data, errors } = response.body.singleResult;
  return { data, errors };
}

/** The data of an operation that must succeed. */
export async function gqlOk<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  ...rest: TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables]
): Promise<TData> {
  const result = await gql(document, ...rest);
  if (result.errors?.length) throw new Error(`expected success, got: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as TData;
}

/** The single error of an operation that must fail. */
export function onlyError(result: GqlResult<unknown>): GraphQLFormattedError {
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}
