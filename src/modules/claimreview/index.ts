import { defineModule } from "../../shared/module";
import { createClaimReviewLoaders } from "./claimreview.loaders";
import { claimReviewResolvers } from "./claimreview.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { claimreview: ReturnType<typeof createClaimReviewLoaders> } }

/** schema.org ClaimReview of reviewed claims: Claim.claimReview, GET /claimreview/<slug>.jsonld, claimReviewsForArticles (docs/claimreview.md). */
export const claimReviewModule = defineModule({ name: "claimreview", resolvers: claimReviewResolvers, loaders: { create: (prisma, _viewer, _earlier, reads) => createClaimReviewLoaders(prisma, reads) } });

export { claimReviewsForArticles, claimReviewsForArticleSlug, type ClaimReviewDb } from "./claimreview.service";
export { bindClaimReviewSettings, type ClaimReviewSettings } from "./claimreview.settings";
export { registerClaimReviewRoute } from "./claimreview.route";
export { RATING_SCALE, BEST_RATING, WORST_RATING } from "./claimreview.build";
