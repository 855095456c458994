import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type DataLoader from "dataloader";
import { Prisma, type Affiliation, type Attribution, type Source } from "../../generated/prisma/client";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { recordRead, type ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf, splitJoined } from "../../shared/sql";
import { JOINED_SOURCE_COLUMNS, JOINED_SOURCE_PREFIX } from "../source/source.loaders";
import { visibleAffiliationSql } from "../affiliation/affiliation.policy";
import { AFFILIATION_COLUMNS } from "../affiliation/affiliation.loaders";
import { visibleAttributionSql } from "./attribution.policy";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

/** Every field of the Prisma `Attribution` model, from `attribution t`. */
const ATTRIBUTION_COLUMNS = columnsOf<Attribution>({
  id: "t.id",
  claimId: "t.claim_id",
  sourceId: "t.source_id",
  role: "t.role::text",
  anonymity: "t.anonymity::text",
  anonymityReason: "t.anonymity_reason",
  anonymityReasonNotStated: "t.anonymity_reason_not_stated",
  caveat: "t.caveat",
  status: "t.status::text",
  capacityId: "t.capacity_id",
  workId: "t.work_id",
  quote: "t.quote",
  viaId: "t.via_id",
  version: "t.version",
  createdAt: "t.created_at",
  updatedAt: "t.updated_at",
});

/**
 * `sourceOfVisible` is the source loader for parents the viewer can see: every attribution these
 * loaders return is visible, so its source (selected in the same statement) is primed there, and
 * `Attribution.source` costs no statement of its own.
 */
export function createAttributionLoaders(prisma: PrismaClient, viewer: Viewer | null, sourceOfVisible: DataLoader<string, Source | null>, reads?: ReadTags) {
  const visible = visibleAttributionSql(viewer);
  /** The attributions `where` selects, each with its source primed into `sourceOfVisible`. */
  const withSources = async (where: Prisma.Sql) => {
    const rows = await prisma.$queryRaw<Attribution[]>`
      SELECT ${ATTRIBUTION_COLUMNS}, ${JOINED_SOURCE_COLUMNS}
      FROM attribution t JOIN source s ON s.id = t.source_id
      WHERE ${where}`;
    return rows.map((row) => {
      const [attribution, source] = splitJoined<Attribution, Source>(row, JOINED_SOURCE_PREFIX);
      sourceOfVisible.prime(source.id, source);
      recordRead(reads, "Source", source.id);
      return attribution;
    });
  };
  return {
    /**
     * Filtered by the viewer's visibility: `attribution(id)`, and `via` (the attribution carried
     * through may belong to a claim of another, unpublished article).
     */
    attributionById: rowLoader(
      (ids: readonly string[]) => withSources(Prisma.sql`t.id ${anyUuid(ids)} AND ${visible}`),
      (attribution) => attribution.id,
      { reads, type: "Attribution" },
    ),
    /** NOT filtered: only called for claims the viewer can see, and a claim's attributions are as visible as it. */
    attributionsByVisibleClaimId: groupLoader(
      (claimIds: readonly string[]) => withSources(Prisma.sql`t.claim_id ${anyUuid(claimIds)} ORDER BY t.created_at, t.id`),
      (attribution) => attribution.claimId,
      { reads, type: "Attribution", parent: "Claim" },
    ),
    /** Filtered: a visible source may also be attributed in unpublished work. */
    attributionsBySourceId: groupLoader(
      (sourceIds: readonly string[]) =>
        prisma.$queryRaw<Attribution[]>`
          SELECT ${ATTRIBUTION_COLUMNS} FROM attribution t WHERE t.source_id ${anyUuid(sourceIds)} AND ${visible}
          ORDER BY t.created_at, t.id`,
      (attribution) => attribution.sourceId,
      { reads, type: "Attribution", parent: "Source" },
    ),
    /** `Attribution.capacity` of a payload row: the affiliation, under its own visibility rule. */
    attributionCapacityById: rowLoader(
      (ids: readonly string[]) =>
        prisma.$queryRaw<Affiliation[]>`SELECT ${AFFILIATION_COLUMNS} FROM affiliation af WHERE af.id ${anyUuid(ids)} AND ${visibleAffiliationSql(viewer, "af")}`,
      (affiliation) => affiliation.id,
    ),
  };
}
