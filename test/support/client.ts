import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { GraphQLFormattedError } from "graphql";
import type { ApolloServer } from "@apollo/server";
import { buildContext } from "../../src/context";
import type { Context } from "../../src/shared/context";
import type { Role, Viewer } from "../../src/shared/viewer";
import { createApollo } from "../../src/server";
import { testPrisma } from "./environment";
import { testConfig } from "./config";
import { Role as RoleEnum } from "../../src/generated/prisma/enums";

export interface GqlResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Who runs an operation: a role (a user with that role, created on first use) or null (anonymous). */
export type Actor = Role | null;

let apollo: ApolloServer<Context> | undefined;
export const internalErrors: unknown[] = [];

function server(): ApolloServer<Context> {
  apollo ??= createApollo({ config: testConfig(), log: (error) => internalErrors.push(error) });
  return apollo;
}

const ROLES = Object.values(RoleEnum);

/**
 * One user per role, created before each test (right after the database is emptied), so that
 * database snapshots taken in a test already include them.
 */
const usersByRole = new Map<Role, Viewer>();
beforeEach(async () => {
  usersByRole.clear();
  const prisma = await testPrisma();
  for (const role of ROLES) {
    const email = `${role.toLowerCase().replace("_", "-")}@test.claimdesk.local`;
    const user = await prisma.user.create({ data: { email, name: `Test ${role.toLowerCase().replace("_", " ")}`, role } });
    usersByRole.set(role, { id: user.id, role: user.role, name: user.name, email: user.email });
  }
});

export async function userFor(role: Role): Promise<Viewer> {
  const viewer = usersByRole.get(role);
  if (!viewer) throw new Error(`no test user for ${role}: userFor() runs inside a test`);
  return viewer;
}

type Vars<TVariables> = TVariables extends Record<string, never> ? [] | [TVariables] : [TVariables];

/**
 * Runs a typed operation as `actor` through the real schema, resolvers, error formatting and a
 * fresh request context, against this worker's database.
 */
export async function gqlAs<TData, TVariables extends Record<string, unknown>>(
  actor: Actor,
  document: TypedDocumentNode<TData, TVariables>,
  ...[variables]: Vars<TVariables>
): Promise<GqlResult<TData>> {
  const prisma = await testPrisma();
  const viewer = actor ? await userFor(actor) : null;
  const response = await server().executeOperation<TData, TVariables>(
    { query: document, variables: variables as TVariables },
    { contextValue: buildContext(prisma, viewer) },
  );
  if (response.body.kind !== "single") throw new Error("unexpected incremental response");
  // Round-trip through JSON, as a client over HTTP would see it (dates become strings).
  const { data, errors } = JSON.parse(JSON.stringify(response.body.singleResult)) as GqlResult<TData>;
  return { data, errors };
}

/** Runs an operation as an EDITOR (who may do everything editorial). */
export function gql<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  ...rest: Vars<TVariables>
): Promise<GqlResult<TData>> {
  return gqlAs("EDITOR", document, ...rest);
}

/** The data of an operation that must succeed (as `actor`). */
export async function gqlOkAs<TData, TVariables extends Record<string, unknown>>(
  actor: Actor,
  document: TypedDocumentNode<TData, TVariables>,
  ...rest: Vars<TVariables>
): Promise<TData> {
  const result = await gqlAs(actor, document, ...rest);
  if (result.errors?.length) throw new Error(`expected success, got: ${JSON.stringify(result.errors, null, 2)}`);
  return result.data as TData;
}

/** The data of an operation that must succeed, as an EDITOR. */
export function gqlOk<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  ...rest: Vars<TVariables>
): Promise<TData> {
  return gqlOkAs("EDITOR", document, ...rest);
}

/** The single error of an operation that must fail. */
export function onlyError(result: GqlResult<unknown>): GraphQLFormattedError {
  expect(result.errors).toHaveLength(1);
  return result.errors![0]!;
}
