import DataLoader from "dataloader";
import type { PrismaClient } from "../../db/prisma";
import type { Verdict } from "../../generated/prisma/client";
import { groupLoader } from "../../shared/loaders";

export function createVerdictLoaders(prisma: PrismaClient) {
  return {
    /** A claim's verdict history, newest first. */
    verdictsByClaimId: groupLoader(
      (claimIds: readonly string[]) =>
        prisma.verdict.findMany({ where: { claimId: { in: [...claimIds] } }, orderBy: [{ claimId: "asc" }, { sequence: "desc" }] }),
      (verdict) => verdict.claimId,
    ),
    /** Each claim's current verdict: one DISTINCT ON statement for the whole batch. */
    latestVerdictByClaimId: new DataLoader<string, Verdict | null>(async (claimIds) => {
      const rows = await prisma.$queryRaw<Verdict[]>`
        SELECT DISTINCT ON (claim_id)
          id, claim_id AS "claimId", rating::text AS rating, rationale, sequence,
          recorded_by_id AS "recordedById", created_at AS "createdAt"
        FROM verdict
        WHERE claim_id = ANY(${[...claimIds]}::uuid[])
        ORDER BY claim_id, sequence DESC`;
      const byClaim = new Map(rows.map((verdict) => [verdict.claimId, verdict]));
      return claimIds.map((id) => byClaim.get(id) ?? null);
    }),
  };
}
