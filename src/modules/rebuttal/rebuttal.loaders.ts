import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type DataLoader from "dataloader";
import type { Claim, Response, Source } from "../../generated/prisma/client";
import { groupLoader } from "../../shared/loaders";
import { recordRead, type ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf, splitJoined } from "../../shared/sql";
import { JOINED_SOURCE_COLUMNS, JOINED_SOURCE_PREFIX } from "../source/source.loaders";
import { CLAIM_COLUMNS } from "../claim/claim.loaders";
import { visibleRebuttalSql } from "./rebuttal.policy";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

/** A response as the (legacy) Rebuttal type reads it, from `response r`: its stance is its first answer's. */
type Rebuttal = Response & { stance: string };
const REBUTTAL_COLUMNS = columnsOf<Rebuttal>({
  id: "r.id",
  sourceId: "r.source_id",
  stance: "(SELECT ra.stance::text FROM response_answer ra WHERE ra.response_id = r.id ORDER BY ra.position LIMIT 1)",
  text: "r.text",
  quote: "r.quote",
  onRecord: "r.on_record",
  madeAt: "r.made_at",
  madePrecision: "r.made_precision::text",
  capacityId: "r.capacity_id",
  anonymity: "r.anonymity::text",
  anonymityReason: "r.anonymity_reason",
  anonymityReasonNotStated: "r.anonymity_reason_not_stated",
  caveat: "r.caveat",
  occasion: "r.occasion",
  place: "r.place",
  workId: "r.work_id",
  version: "r.version",
  createdAt: "r.created_at",
  updatedAt: "r.updated_at",
});

/** `sourceOfVisible`: as for attributions, a visible rebuttal's source is primed from the same statement. */
export function createRebuttalLoaders(prisma: PrismaClient, viewer: Viewer | null, sourceOfVisible: DataLoader<string, Source | null>, reads?: ReadTags) {
  const visible = visibleRebuttalSql(viewer);
  return {
    /** Filtered: a visible source may also have rebutted unpublished claims. */
    rebuttalsBySourceId: groupLoader(
      (sourceIds: readonly string[]) =>
        prisma.$queryRaw<Rebuttal[]>`
          SELECT ${REBUTTAL_COLUMNS} FROM response r WHERE r.source_id ${anyUuid(sourceIds)} AND ${visible}
          ORDER BY r.created_at, r.id`,
      (rebuttal) => rebuttal.sourceId,
      { reads, type: "Rebuttal", parent: "Source" },
    ),
    /** NOT filtered: only called for claims the viewer can see; a rebuttal of a visible claim is visible. */
    rebuttalsByVisibleClaimId: groupLoader(
      async (claimIds: readonly string[]) => {
        const rows = await prisma.$queryRaw<Array<Rebuttal & { linkClaimId: string }>>`
          SELECT rc.claim_id AS "linkClaimId", ${REBUTTAL_COLUMNS}, ${JOINED_SOURCE_COLUMNS}
          FROM response_answer rc JOIN response r ON r.id = rc.response_id JOIN source s ON s.id = r.source_id
          WHERE rc.claim_id ${anyUuid(claimIds)}
          ORDER BY r.created_at, rc.response_id`;
        return rows.map((row) => {
          const [{ linkClaimId, ...rebuttal }, source] = splitJoined<typeof row, Source>(row, JOINED_SOURCE_PREFIX);
          sourceOfVisible.prime(source.id, source);
          recordRead(reads, "Source", source.id);
          return { claimId: linkClaimId, rebuttal };
        });
      },
      (link) => link.claimId,
      { reads, type: "Rebuttal", parent: "Claim", idOf: (link) => link.rebuttal.id },
    ),
    /**
     * NOT filtered, as before: the claims a rebuttal answers all belong to one article (checked on
     * write), and the rebuttal is only visible when that article is.
     */
    claimsByVisibleRebuttalId: groupLoader(
      async (rebuttalIds: readonly string[]) => {
        const rows = await prisma.$queryRaw<Array<Claim & { linkRebuttalId: string }>>`
          SELECT rc.response_id AS "linkRebuttalId", ${CLAIM_COLUMNS}
          FROM response_answer rc JOIN claim c ON c.id = rc.claim_id
          WHERE rc.response_id ${anyUuid(rebuttalIds)}
          ORDER BY c.position, c.created_at, c.id`;
        return rows.map(({ linkRebuttalId, ...claim }) => ({ rebuttalId: linkRebuttalId, claim }));
      },
      (link) => link.rebuttalId,
      { reads, type: "Claim", parent: "Rebuttal", idOf: (link) => link.claim.id },
    ),
  };
}
