import type { GraphQLSchema } from "graphql";
import type { Config } from "../../config";

/**
 * What ClaimReview output takes from the configuration (src/config.ts, docs/claimreview.md):
 * the publishing organisation, or null when ClaimReview is off; and the fact-check URL template
 * used for verdicts without a reviewUrl (null: those reviews are left out).
 */
export type ClaimReviewSettings = Config["claimReview"];

/** ClaimReview off: what a schema nobody configured answers (null everywhere). */
const CLAIMREVIEW_OFF: ClaimReviewSettings = { publisher: null, urlTemplate: null };

const bySchema = new WeakMap<GraphQLSchema, ClaimReviewSettings>();

/**
 * Gives a built schema its ClaimReview settings (src/server.ts createApollo, from its config):
 * `Claim.claimReview` reads them from its resolve info's schema, so two servers of one process
 * (tests) may publish as different organisations.
 */
export function bindClaimReviewSettings(schema: GraphQLSchema, settings: ClaimReviewSettings): GraphQLSchema {
  bySchema.set(schema, settings);
  return schema;
}

export function claimReviewSettingsOf(schema: GraphQLSchema): ClaimReviewSettings {
  return bySchema.get(schema) ?? CLAIMREVIEW_OFF;
}
