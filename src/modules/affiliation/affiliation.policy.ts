import type { Context } from "../../shared/context";
import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { ALL_STAFF, CHECKERS, EDITORS, requireRole } from "../../shared/access";
import { visibleSourceSql } from "../source/source.policy";

/** An affiliation is visible with its person: the post says no more than the source does. */
export function visibleAffiliationSql(viewer: Viewer | null, alias = "af"): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM source vs WHERE vs.id = ${Prisma.raw(alias)}.person_id AND ${visibleSourceSql(viewer, "vs")})`;
}

/* Who may record posts: the same people as for sources (src/modules/source/source.policy.ts). */

export function assertCanCreateAffiliation(ctx: Context) {
  return requireRole(ctx, ALL_STAFF, "create affiliations");
}

export function assertCanUpdateAffiliation(ctx: Context) {
  return requireRole(ctx, CHECKERS, "edit affiliations");
}

export function assertCanDeleteAffiliation(ctx: Context) {
  return requireRole(ctx, EDITORS, "delete affiliations");
}
