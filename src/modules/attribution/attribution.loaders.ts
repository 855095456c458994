import type { Viewer } from "../../context";
import type { PrismaClient } from "../../db/prisma";
import type { Attribution } from "../../generated/prisma/client";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { anyUuid, columnsOf } from "../../shared/sql";
import { visibleAttributionSql } from "./attribution.policy";

/** Every field of the Prisma `Attribution` model, from `attribution t`. */
export const ATTRIBUTION_COLUMNS = columnsOf<Attribution>({
  id: "t.id",
  claimId: "t.claim_id",
  sourceId: "t.source_id",
  role: "t.role::text",
  anonymity: "t.anonymity::text",
  anonymityReason: "t.anonymity_reason",
  quote: "t.quote",
  viaId: "t.via_id",
  version: "t.version",
  createdAt: "t.created_at",
  updatedAt: "t.updated_at",
});

export function createAttributionLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const visible = visibleAttributionSql(viewer);
  return {
    /**
     * Filtered by the viewer's visibility: `attribution(id)`, and `via` (the attribution carried
     * through may belong to a claim of another, unpublished article).
     */
    attributionById: rowLoader(
      (ids: readonly string[]) =>
        prisma.$queryRaw<Attribution[]>`SELECT ${ATTRIBUTION_COLUMNS} FROM attribution t WHERE t.id ${anyUuid(ids)} AND ${visible}`,
      (attribution) => attribution.id,
    ),
    /** NOT filtered: only called for claims the viewer can see, and a claim's attributions are as visible as it. */
    attributionsByVisibleClaimId: groupLoader(
      (claimIds: readonly string[]) =>
        prisma.$queryRaw<Attribution[]>`
          SELECT ${ATTRIBUTION_COLUMNS} FROM attribution t WHERE t.claim_id ${anyUuid(claimIds)}
          ORDER BY t.created_at, t.id`,
      (attribution) => attribution.claimId,
    ),
    /** Filtered: a visible source may also be attributed in unpublished work. */
    attributionsBySourceId: groupLoader(
      (sourceIds: readonly string[]) =>
        prisma.$queryRaw<Attribution[]>`
          SELECT ${ATTRIBUTION_COLUMNS} FROM attribution t WHERE t.source_id ${anyUuid(sourceIds)} AND ${visible}
          ORDER BY t.created_at, t.id`,
      (attribution) => attribution.sourceId,
    ),
  };
}
