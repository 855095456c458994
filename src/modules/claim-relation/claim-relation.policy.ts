import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";
import { visibleClaimSql } from "../claim/claim.policy";

/** A relation is visible when both its claims are (anonymous readers: both in PUBLISHED articles). */
export function visibleClaimRelationSql(viewer: Viewer | null, alias = "cr"): Prisma.Sql {
  if (seesUnpublished(viewer)) return Prisma.sql`TRUE`;
  return Prisma.sql`EXISTS (SELECT 1 FROM claim rf WHERE rf.id = ${Prisma.raw(alias)}.from_claim_id AND ${visibleClaimSql(viewer, "rf")})
    AND EXISTS (SELECT 1 FROM claim rt WHERE rt.id = ${Prisma.raw(alias)}.to_claim_id AND ${visibleClaimSql(viewer, "rt")})`;
}

/** A cluster is visible when one of its claims is; its lists hold only the visible ones. */
export function visibleClaimClusterSql(viewer: Viewer | null, alias = "k"): Prisma.Sql {
  if (seesUnpublished(viewer)) return Prisma.sql`TRUE`;
  return Prisma.sql`EXISTS (SELECT 1 FROM claim kc WHERE kc.cluster_id = ${Prisma.raw(alias)}.id AND ${visibleClaimSql(viewer, "kc")})`;
}
