import type { ApolloServerOptions, ApolloServerPlugin } from "@apollo/server";
import { InMemoryLRUCache } from "@apollo/utils.keyvaluecache";
import type { Config } from "../config";
import type { Context } from "../shared/context";

/**
 * The Apollo options the production switches decide: batching, automatic persisted queries and
 * field suggestions. Introspection and the playground are switched in src/server.ts.
 */
export function productionSwitches(config: Config): Pick<ApolloServerOptions<Context>, "allowBatchedHttpRequests" | "persistedQueries"> & { plugins: ApolloServerPlugin<Context>[] } {
  return {
    // Batches up to BATCH_MAX operations (the size is checked in src/http/security.ts); off by default.
    allowBatchedHttpRequests: config.batchMax > 0,
    persistedQueries: config.persistedQueries ? { cache: new InMemoryLRUCache<string>(APQ_CACHE), ttl: APQ_TTL_SECONDS } : false,
    plugins: config.fieldSuggestions ? [] : [hideFieldSuggestions()],
  };
}

/**
 * APQ keeps a client-chosen query text per hash: bounded both in entries and in characters, so that
 * clients registering queries cannot grow the server's memory; least recently used entries go first.
 */
const APQ_CACHE = { max: 5_000, maxSize: 8 * 1024 * 1024 };
const APQ_TTL_SECONDS = 24 * 60 * 60;

/**
 * "Did you mean …?" hints name fields, types, arguments and enum values: with introspection off
 * they would still let a client map the schema. Stripped from every error (validation errors and
 * variable coercion errors alike), not only from validation as Apollo's own option does.
 */
function hideFieldSuggestions(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = stripSuggestions(error.message);
        },
      };
    },
  };
}

export function stripSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, "").trim();
}
