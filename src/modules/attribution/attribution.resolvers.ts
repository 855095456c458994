import type { Resolvers } from "../../generated/graphql";
import { requireClaimOfVisibleAttribution } from "../claim/claim.service";
import { requireSourceOfVisibleParent } from "../source/source.service";
import { attributeClaim, attributeClaims, getAttribution, removeAttribution, updateAttribution } from "./attribution.service";

export const attributionResolvers: Resolvers = {
  Query: {
    attribution: (_root, { id }, ctx, info) => getAttribution(ctx, id, info),
  },
  Mutation: {
    attributeClaim: (_root, { input }, ctx) => attributeClaim(ctx, input),
    attributeClaims: (_root, { input }, ctx) => attributeClaims(ctx, input),
    updateAttribution: (_root, { input }, ctx) => updateAttribution(ctx, input),
    removeAttribution: (_root, { input }, ctx) => removeAttribution(ctx, input),
  },
  Attribution: {
    // The attribution is visible, hence so are its claim and its source (see the loaders).
    claim: (attribution, _args, ctx) => requireClaimOfVisibleAttribution(ctx, attribution.claimId),
    source: (attribution, _args, ctx) => requireSourceOfVisibleParent(ctx, attribution.sourceId),
    via: (attribution, _args, ctx) => (attribution.viaId ? ctx.loaders.attributionById.load(attribution.viaId) : null),
    capacity: (attribution, _args, ctx) => (attribution.capacityId ? ctx.loaders.attributionCapacityById.load(attribution.capacityId) : null),
    work: (attribution, _args, ctx) => (attribution.workId ? ctx.loaders.workById.load(attribution.workId) : null),
  },
};
