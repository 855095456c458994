import { Prisma } from "../../generated/prisma/client";
import { column, computed, defineTable, enumColumn, many, one, timestamp } from "../../shared/planner/table";
import { visibleClaimSql } from "./claim.policy";

/** How the read planner reads a Claim (src/shared/planner): columns, relations, visibility. */
export const claimTable = defineTable({
  type: "Claim",
  table: "claim",
  visible: visibleClaimSql,
  fields: {
    id: column("id"),
    statement: column("statement"),
    kind: enumColumn("kind"),
    quote: column("quote"),
    anchor: computed(
      (c) => Prisma.raw(`CASE WHEN ${c}.quote IS NOT NULL AND ${c}.anchor_start IS NOT NULL AND ${c}.anchor_end IS NOT NULL
        THEN json_build_object('start', ${c}.anchor_start, 'end', ${c}.anchor_end, 'exact', ${c}.quote,
          'prefix', COALESCE(${c}.anchor_prefix, ''), 'suffix', COALESCE(${c}.anchor_suffix, '')) END`),
    ),
    anchorState: computed((c) => Prisma.raw(`CASE WHEN ${c}.quote IS NOT NULL THEN ${c}.anchor_state::text END`)),
    quantity: computed(
      (c) => Prisma.raw(`CASE WHEN ${c}.quantity_value IS NOT NULL AND ${c}.quantity_unit IS NOT NULL
        THEN json_build_object('value', ${c}.quantity_value, 'unit', ${c}.quantity_unit, 'subject', ${c}.quantity_subject, 'period', ${c}.quantity_period) END`),
    ),
    position: column("position"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    // The claim is visible, hence so is its article.
    article: one({ type: "Article", where: "$.id = $p.article_id" }),
    // A claim's attributions, responses and verdicts are as visible as the claim.
    attributions: many({ type: "Attribution", where: "$.claim_id = $p.id", orderBy: "$.created_at, $.id", first: 10 }),
    responses: many({ type: "Response", join: "JOIN response_answer $_link ON $_link.response_id = $.id", where: "$_link.claim_id = $p.id", orderBy: "$.created_at, $.id", first: 5 }),
    rebuttals: many({ type: "Response", join: "JOIN response_answer $_link ON $_link.response_id = $.id", where: "$_link.claim_id = $p.id", orderBy: "$.created_at, $.id", first: 5 }),
    verdict: one({ type: "Verdict", where: "$.claim_id = $p.id", orderBy: "$.sequence DESC" }),
    verdicts: many({ type: "Verdict", where: "$.claim_id = $p.id", orderBy: "$.sequence DESC", first: 100 }),
    // Works are visible to everyone.
    origin: one({ type: "Work", where: "$.id = $p.origin_work_id" }),
    // Relations and clusters (src/modules/claim-relation): a relation only when its other claim is visible too.
    relations: many({ type: "ClaimRelation", where: "($.from_claim_id = $p.id OR $.to_claim_id = $p.id)", orderBy: "$.created_at, $.id", visible: true, first: 20 }),
    cluster: one({ type: "ClaimCluster", where: "$.id = $p.cluster_id" }),
  },
});
