import type { Resolvers } from "../../generated/graphql";
import { requireClaim } from "../claim/claim.service";
import { requireSource } from "../source/source.service";
import { attributeClaim, getAttribution, removeAttribution, updateAttribution } from "./attribution.service";

export const attributionResolvers: Resolvers = {
  Query: {
    attribution: (_root, { id }, ctx) => getAttribution(ctx, id),
  },
  Mutation: {
    attributeClaim: (_root, { input }, ctx) => attributeClaim(ctx, input),
    updateAttribution: (_root, { input }, ctx) => updateAttribution(ctx, input),
    removeAttribution: (_root, { input }, ctx) => removeAttribution(ctx, input),
  },
  Attribution: {
    claim: (attribution, _args, ctx) => requireClaim(ctx, attribution.claimId),
    source: (attribution, _args, ctx) => requireSource(ctx, attribution.sourceId),
    via: (attribution, _args, ctx) => (attribution.viaId ? ctx.loaders.attributionById.load(attribution.viaId) : null),
  },
};
