import type { Resolvers } from "../../generated/graphql";
import { requireClaim } from "../claim/claim.service";
import { recordVerdict } from "./verdict.service";

export const verdictResolvers: Resolvers = {
  Mutation: {
    recordVerdict: (_root, { input }, ctx) => recordVerdict(ctx, input),
  },
  Verdict: {
    claim: (verdict, _args, ctx) => requireClaim(ctx, verdict.claimId),
    recordedBy: (verdict, _args, ctx) => (ctx.viewer && verdict.recordedById ? ctx.loaders.userById.load(verdict.recordedById) : null),
  },
};
