import type { Resolvers } from "../../generated/graphql";
import { requireSourceOfVisibleParent } from "../source/source.service";
import { createRebuttal, deleteRebuttal, getRebuttal, updateRebuttal } from "./rebuttal.service";

export const rebuttalResolvers: Resolvers = {
  Query: {
    rebuttal: (_root, { id }, ctx) => getRebuttal(ctx, id),
  },
  Mutation: {
    createRebuttal: (_root, { input }, ctx) => createRebuttal(ctx, input),
    updateRebuttal: (_root, { input }, ctx) => updateRebuttal(ctx, input),
    deleteRebuttal: (_root, { input }, ctx) => deleteRebuttal(ctx, input),
  },
  Rebuttal: {
    source: (rebuttal, _args, ctx) => requireSourceOfVisibleParent(ctx, rebuttal.sourceId),
    claims: async (rebuttal, _args, ctx) => (await ctx.loaders.claimsByVisibleRebuttalId.load(rebuttal.id)).map((link) => link.claim),
  },
};
