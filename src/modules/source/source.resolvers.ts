import type { Resolvers } from "../../generated/graphql";
import { listLimit } from "../../shared/pagination";
import { canReadIdentityNote } from "./source.policy";
import { createSource, deleteSource, getSource, listSources, updateSource } from "./source.service";

export const sourceResolvers: Resolvers = {
  Query: {
    source: (_root, { id }, ctx, info) => getSource(ctx, id, info),
    sources: (_root, args, ctx, info) => listSources(ctx, args, info),
  },
  Mutation: {
    createSource: (_root, { input }, ctx) => createSource(ctx, input),
    updateSource: (_root, { input }, ctx) => updateSource(ctx, input),
    deleteSource: (_root, { input }, ctx) => deleteSource(ctx, input),
  },
  Source: {
    identityNote: (source, _args, ctx) => (canReadIdentityNote(ctx.viewer) ? source.identityNote : null),
    attributions: async (source, { first }, ctx) => {
      const limit = listLimit(first, 2000);
      return (await ctx.loaders.attributionsBySourceId.load(source.id)).slice(0, limit);
    },
    // responses and rebuttals: src/modules/response/response.resolvers.ts
  },
};
