import type { Resolvers } from "../../generated/graphql";
import { buildClaimReview } from "./claimreview.build";
import { claimReviewSettingsOf } from "./claimreview.settings";

export const claimReviewResolvers: Resolvers = {
  Claim: {
    claimReview: async (claim, _args, ctx, info) => {
      const settings = claimReviewSettingsOf(info.schema);
      if (!settings.publisher) return null;
      const facts = await ctx.loaders.claimReviewFactsByClaimId.load(claim.id);
      return facts ? buildClaimReview(facts, settings) : null;
    },
  },
};
