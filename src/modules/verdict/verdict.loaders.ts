import DataLoader from "dataloader";
import type { PrismaClient } from "../../db/prisma";
import type { Verdict } from "../../generated/prisma/client";
import { groupLoader } from "../../shared/loaders";
import { recordRead, recordRows, type ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf } from "../../shared/sql";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

const VERDICT_FIELDS = {
  id: "v.id",
  claimId: "v.claim_id",
  rating: "v.rating::text",
  rationale: "v.rationale",
  reviewUrl: "v.review_url",
  sequence: "v.sequence",
  recordedById: "v.recorded_by_id",
  createdAt: "v.created_at",
};

/** Every field of the Prisma `Verdict` model, from `verdict v`. */
const VERDICT_COLUMNS = columnsOf<Verdict>(VERDICT_FIELDS);

/** The same, prefixed, for a verdict joined to another row as `v` (every field null when none). */
export const JOINED_VERDICT_PREFIX = "verdict.";
export const JOINED_VERDICT_COLUMNS = columnsOf<Verdict>(VERDICT_FIELDS, JOINED_VERDICT_PREFIX);

/** Verdicts are only loaded for claims the viewer can see (Claim.verdict / Claim.verdicts): no filter. */
export function createVerdictLoaders(prisma: PrismaClient, reads?: ReadTags) {
  return {
    /** A claim's verdict history, newest first. */
    verdictsByClaimId: groupLoader(
      (claimIds: readonly string[]) =>
        prisma.$queryRaw<Verdict[]>`
          SELECT ${VERDICT_COLUMNS} FROM verdict v WHERE v.claim_id ${anyUuid(claimIds)}
          ORDER BY v.claim_id, v.sequence DESC`,
      (verdict) => verdict.claimId,
      { reads, type: "Verdict", parent: "Claim" },
    ),
    /** Each claim's current verdict: one DISTINCT ON statement for the whole batch. */
    latestVerdictByClaimId: new DataLoader<string, Verdict | null>(async (claimIds) => {
      const rows = await prisma.$queryRaw<Verdict[]>`
        SELECT DISTINCT ON (v.claim_id) ${VERDICT_COLUMNS}
        FROM verdict v
        WHERE v.claim_id ${anyUuid(claimIds)}
        ORDER BY v.claim_id, v.sequence DESC`;
      for (const claimId of claimIds) recordRead(reads, "Claim", claimId);
      recordRows(reads, "Verdict", rows);
      const byClaim = new Map(rows.map((verdict) => [verdict.claimId, verdict]));
      return claimIds.map((id) => byClaim.get(id) ?? null);
    }),
  };
}
