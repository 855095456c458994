import { Prisma } from "../../generated/prisma/client";
import { column, computed, defineTable, enumColumn, many, one, timestamp } from "../../shared/planner/table";
import { visibleClaimSql } from "../claim/claim.policy";
import { visibleClaimClusterSql, visibleClaimRelationSql } from "./claim-relation.policy";

/** How the read planner reads a ClaimRelation: both claims are visible when the relation is. */
export const claimRelationTable = defineTable({
  type: "ClaimRelation",
  table: "claim_relation",
  visible: visibleClaimRelationSql,
  fields: {
    id: column("id"),
    kind: enumColumn("kind"),
    note: column("note"),
    createdAt: timestamp("created_at"),
    from: one({ type: "Claim", where: "$.id = $p.from_claim_id" }),
    to: one({ type: "Claim", where: "$.id = $p.to_claim_id" }),
  },
});

/**
 * How the read planner reads a ClaimCluster: its lists and aggregates over the claims of the
 * cluster the viewer may see. A cached anonymous answer depends on every claim of the cluster and
 * its article (a verdict recorded on any of them, a language changed), hence `tags`.
 */
export const claimClusterTable = defineTable({
  type: "ClaimCluster",
  table: "claim_cluster",
  visible: visibleClaimClusterSql,
  tags: `(SELECT COALESCE(array_agg('Claim:' || tc.id) || array_agg(DISTINCT 'Article:' || tc.article_id), '{}'::text[]) FROM claim tc WHERE tc.cluster_id = $.id)`,
  fields: {
    id: column("id"),
    createdAt: timestamp("created_at"),
    claims: many({ type: "Claim", where: "$.cluster_id = $p.id", orderBy: "$.created_at, $.id", visible: true, first: 50 }),
    articles: many({
      type: "Article",
      where: "EXISTS (SELECT 1 FROM claim $_c WHERE $_c.cluster_id = $p.id AND $_c.article_id = $.id)",
      orderBy: "$.created_at, $.id",
      visible: true,
      first: 50,
    }),
    // A verdict is visible when its claim is. The UNVERIFIED every claim starts with (recorded by nobody) comes last.
    latestVerdict: one({
      type: "Verdict",
      join: "JOIN claim $_c ON $_c.id = $.claim_id",
      where: "$_c.cluster_id = $p.id",
      orderBy: "($.recorded_by_id IS NULL), $.sequence DESC",
      visible: true,
    }),
    languages: computed(
      (k, viewer) => Prisma.sql`(SELECT COALESCE(json_agg(DISTINCT la.language ORDER BY la.language), '[]'::json)
        FROM claim lc JOIN article la ON la.id = lc.article_id WHERE lc.cluster_id = ${Prisma.raw(k)}.id AND ${visibleClaimSql(viewer, "lc")})`,
    ),
    size: computed((k, viewer) => Prisma.sql`(SELECT count(*)::int FROM claim sc WHERE sc.cluster_id = ${Prisma.raw(k)}.id AND ${visibleClaimSql(viewer, "sc")})`),
  },
});
