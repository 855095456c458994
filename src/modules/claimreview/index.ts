import { defineModule } from "../../shared/module";
import { createClaimReviewLoaders } from "./claimreview.loaders";
import { claimReviewResolvers } from "./claimreview.resolvers";

declare module "../../shared/context" { interface ModuleLoaders { claimreview: ReturnType<typeof createClaimReviewLoaders> } }

/** schema.org ClaimReview of reviewed claims: Claim.claimReview, GET /claimreview/<slug>.jsonld, claimReviewsForArticles (docs/claimreview.md). */
export const claimReviewModule = defineModule({ name: "claimreview", resolvers: claimReviewResolvers, loaders: { create: (prisma, _viewer, _earlier, reads) => createClaimReviewLoaders(prisma, reads) } });

// For the server (src/server.ts) and the export's ClaimReview mode.
export { claimReviewsForArticles } from "./claimreview.service";
export { bindClaimReviewSettings } from "./claimreview.settings";
export { registerClaimReviewRoute } from "./claimreview.route";
