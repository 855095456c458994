import type { Resolvers } from "../../generated/graphql";
import { listLimit } from "../../shared/pagination";
import { plannedFieldOf } from "../../shared/planner/payload";
import { requireArticle } from "../article/article.service";
import { createClaim, deleteClaim, getClaim, listClaims, updateClaim } from "./claim.service";

export const claimResolvers: Resolvers = {
  Query: {
    claim: (_root, { id }, ctx, info) => getClaim(ctx, id, info),
    claims: (_root, args, ctx, info) => listClaims(ctx, args, info),
  },
  Mutation: {
    createClaim: (_root, { input }, ctx) => createClaim(ctx, input),
    updateClaim: (_root, { input }, ctx) => updateClaim(ctx, input),
    deleteClaim: (_root, { input }, ctx) => deleteClaim(ctx, input),
  },
  Claim: {
    article: (claim, _args, ctx) => requireArticle(ctx, claim.articleId),
    anchor: (claim) =>
      claim.quote != null && claim.anchorStart != null && claim.anchorEnd != null
        ? { start: claim.anchorStart, end: claim.anchorEnd, exact: claim.quote, prefix: claim.anchorPrefix ?? "", suffix: claim.anchorSuffix ?? "" }
        : null,
    anchorState: (claim) => (claim.quote != null ? claim.anchorState : null),
    quantity: (claim) =>
      claim.quantityValue != null && claim.quantityUnit != null
        ? { value: claim.quantityValue, unit: claim.quantityUnit, subject: claim.quantitySubject, period: claim.quantityPeriod }
        : null,
    attributions: async (claim, { first }, ctx) => {
      const limit = listLimit(first, 10);
      return (await ctx.loaders.attributionsByVisibleClaimId.load(claim.id)).slice(0, limit);
    },
    // responses and rebuttals: src/modules/response/response.resolvers.ts
    verdict: async (claim, _args, ctx) => {
      const verdict = await ctx.loaders.latestVerdictByClaimId.load(claim.id);
      if (!verdict) throw new Error(`claim ${claim.id} has no verdict`); // every claim is created with one
      return verdict;
    },
    origin: async (claim, _args, ctx, info) => (claim.originWorkId ? ((await plannedFieldOf(ctx.planner, "Claim", claim.id, info)) as never) : null),
    verdicts: async (claim, { first }, ctx) => {
      const limit = listLimit(first, 100);
      return (await ctx.loaders.verdictsByClaimId.load(claim.id)).slice(0, limit);
    },
  },
};
