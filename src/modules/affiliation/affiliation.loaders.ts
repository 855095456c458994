import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type { Affiliation } from "../../generated/prisma/client";
import { groupLoader } from "../../shared/loaders";
import type { ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf } from "../../shared/sql";
import { visibleAffiliationSql } from "./affiliation.policy";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a source the write gate returns, not a planned row).
 */

/** Every field of the Prisma `Affiliation` model, from `affiliation af` (also an attribution's or a response's capacity in payloads). */
export const AFFILIATION_COLUMNS = columnsOf<Affiliation>({
  id: "af.id",
  personId: "af.person_id",
  organizationId: "af.organization_id",
  title: "af.title",
  startedAt: "af.started_at",
  startedPrecision: "af.started_precision::text",
  endedAt: "af.ended_at",
  endedPrecision: "af.ended_precision::text",
  version: "af.version",
  createdAt: "af.created_at",
  updatedAt: "af.updated_at",
});

export function createAffiliationLoaders(prisma: PrismaClient, viewer: Viewer | null, reads?: ReadTags) {
  const visible = visibleAffiliationSql(viewer, "af");
  return {
    /** Filtered by the viewer's visibility, in the planner's order (Source.affiliations). */
    affiliationsByPersonId: groupLoader(
      (ids: readonly string[]) =>
        prisma.$queryRaw<Affiliation[]>`SELECT ${AFFILIATION_COLUMNS} FROM affiliation af WHERE af.person_id ${anyUuid(ids)} AND ${visible}
          ORDER BY af.started_at NULLS LAST, af.created_at, af.id`,
      (row) => row.personId,
      { reads, type: "Affiliation", parent: "Source" },
    ),
    /** Filtered likewise (Source.members). */
    affiliationsByOrganizationId: groupLoader(
      (ids: readonly string[]) =>
        prisma.$queryRaw<Affiliation[]>`SELECT ${AFFILIATION_COLUMNS} FROM affiliation af WHERE af.organization_id ${anyUuid(ids)} AND ${visible}
          ORDER BY af.started_at NULLS LAST, af.created_at, af.id`,
      (row) => row.organizationId,
      { reads, type: "Affiliation", parent: "Source" },
    ),
  };
}
