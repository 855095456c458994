import type { Resolvers } from "../../generated/graphql";
import { listLimit } from "../../shared/pagination";
import { requireSourceOfVisibleParent } from "../source/source.service";
import { createRebuttal, deleteRebuttal, getRebuttal, updateRebuttal } from "./rebuttal.service";

export const rebuttalResolvers: Resolvers = {
  Query: {
    rebuttal: (_root, { id }, ctx, info) => getRebuttal(ctx, id, info),
  },
  Mutation: {
    createRebuttal: (_root, { input }, ctx) => createRebuttal(ctx, input),
    updateRebuttal: (_root, { input }, ctx) => updateRebuttal(ctx, input),
    deleteRebuttal: (_root, { input }, ctx) => deleteRebuttal(ctx, input),
  },
  Rebuttal: {
    source: (rebuttal, _args, ctx) => requireSourceOfVisibleParent(ctx, rebuttal.sourceId),
    claims: async (rebuttal, { first }, ctx) => {
      const limit = listLimit(first, 10);
      return (await ctx.loaders.claimsByVisibleRebuttalId.load(rebuttal.id)).slice(0, limit).map((link) => link.claim);
    },
  },
};
