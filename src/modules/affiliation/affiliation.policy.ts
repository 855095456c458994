import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { visibleSourceSql } from "../source/source.policy";

/** An affiliation is visible with its person: the post says no more than the source does. */
export function visibleAffiliationSql(viewer: Viewer | null, alias = "af"): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM source vs WHERE vs.id = ${Prisma.raw(alias)}.person_id AND ${visibleSourceSql(viewer, "vs")})`;
}
