import type { PrismaClient } from "../db/prisma";
import type { Resolvers } from "../generated/graphql";
import type { ModuleLoaders } from "./context";
import type { TableSpec } from "./planner/table";
import type { ReadTags } from "./read-tags";
import type { Viewer } from "./viewer";

type WithLoaders = keyof ModuleLoaders;

interface LoaderFactory<Name extends WithLoaders, Needs extends WithLoaders> {
  /** The modules whose loaders these use (to prime them); they come earlier in src/modules/index.ts. */
  after?: readonly Needs[];
  /** `reads`: the request's read recorder (src/shared/read-tags.ts); undefined when nothing is recorded. */
  create(prisma: PrismaClient, viewer: Viewer | null, earlier: Pick<ModuleLoaders, Needs>, reads?: ReadTags): ModuleLoaders[Name];
}

/**
 * What a module contributes, listed once in src/modules/index.ts: its resolvers (its SDL is in
 * schema/), its per-request loaders (required exactly when the module declares them in
 * ModuleLoaders under its name), the types it lets the read planner compile, and for the user module how a bearer token becomes a viewer.
 */
export type ModuleDefinition<Name extends string, Needs extends WithLoaders = never> = {
  name: Name;
  resolvers: Resolvers;
  /** The GraphQL types the module reads through the read planner (its `<entity>.table.ts`). */
  tables?: readonly TableSpec[];
  /** The viewer a bearer token stands for, or null when it is unknown, revoked or expired. */
  authenticate?: (prisma: PrismaClient, token: string) => Promise<Viewer | null>;
  /**
   * The module's `Query` fields that record what they read (src/shared/read-tags.ts): an anonymous
   * query is stored by the published-read cache only when every root field it selects is listed by
   * some module. A root field that cannot say what it read is left out, and its answers are never cached.
   */
  recordedReads?: readonly string[];
} & (Name extends WithLoaders ? { loaders: LoaderFactory<Name, Needs> } : { loaders?: undefined });

export function defineModule<const Name extends string, Needs extends WithLoaders = never>(definition: ModuleDefinition<Name, Needs>): ModuleDefinition<Name, Needs> {
  return definition;
}
