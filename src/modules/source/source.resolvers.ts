import type { Resolvers } from "../../generated/graphql";
import { canReadIdentityNote } from "./source.policy";
import { createSource, deleteSource, getSource, listSources, updateSource } from "./source.service";

export const sourceResolvers: Resolvers = {
  Query: {
    source: (_root, { id }, ctx) => getSource(ctx, id),
    sources: (_root, args, ctx) => listSources(ctx, args),
  },
  Mutation: {
    createSource: (_root, { input }, ctx) => createSource(ctx, input),
    updateSource: (_root, { input }, ctx) => updateSource(ctx, input),
    deleteSource: (_root, { input }, ctx) => deleteSource(ctx, input),
  },
  Source: {
    identityNote: (source, _args, ctx) => (canReadIdentityNote(ctx.viewer) ? source.identityNote : null),
    attributions: (source, _args, ctx) => ctx.loaders.attributionsBySourceId.load(source.id),
    rebuttals: (source, _args, ctx) => ctx.loaders.rebuttalsBySourceId.load(source.id),
  },
};
