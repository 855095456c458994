import DataLoader from "dataloader";
import type { PrismaClient } from "../../db/prisma";
import { recordRead, type ReadTags } from "../../shared/read-tags";
import type { ClaimReviewFacts } from "./claimreview.build";
import { claimReviewFactsOfClaims } from "./claimreview.service";

/**
 * Claim.claimReview: the facts of every claim of a request's batch in ONE statement, whatever the
 * number of claims (the field is not planned: it needs the configured publisher). What it read is
 * recorded for the published-read cache: the claim (a new verdict or attribution announces it), its
 * article, verdict, claimant attribution and source, and the origin work.
 */
export function createClaimReviewLoaders(prisma: PrismaClient, reads?: ReadTags) {
  return {
    claimReviewFactsByClaimId: new DataLoader<string, ClaimReviewFacts | null>(async (claimIds) => {
      const rows = await claimReviewFactsOfClaims(prisma, claimIds);
      for (const claimId of claimIds) recordRead(reads, "Claim", claimId);
      for (const row of rows) {
        recordRead(reads, "Article", row.articleId);
        recordRead(reads, "Verdict", row.verdictId);
        if (row.attributionId) recordRead(reads, "Attribution", row.attributionId);
        if (row.sourceId) recordRead(reads, "Source", row.sourceId);
        if (row.workId) reads?.add(`Work:${row.workId}`);
      }
      const byClaim = new Map(rows.map((row) => [row.claimId, row]));
      return claimIds.map((id) => byClaim.get(id) ?? null);
    }),
  };
}
