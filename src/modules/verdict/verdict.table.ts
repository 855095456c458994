import { column, defineTable, enumColumn, one, timestamp } from "../../shared/planner/table";
import { seesUnpublished } from "../../shared/access";
import { visibleClaimSql } from "../claim/claim.policy";
import { Prisma } from "../../generated/prisma/client";

/** How the read planner reads a Verdict (src/shared/planner): columns, relations, visibility. */
export const verdictTable = defineTable({
  type: "Verdict",
  table: "verdict",
  // A verdict is as visible as its claim.
  visible: (viewer, alias) => (seesUnpublished(viewer) ? Prisma.sql`TRUE` : Prisma.sql`EXISTS (SELECT 1 FROM claim vc WHERE vc.id = ${Prisma.raw(alias)}.claim_id AND ${visibleClaimSql(viewer, "vc")})`),
  fields: {
    id: column("id"),
    rating: enumColumn("rating"),
    rationale: column("rationale"),
    reviewUrl: column("review_url"),
    createdAt: timestamp("created_at"),
    claim: one({ type: "Claim", where: "$.id = $p.claim_id" }),
    recordedBy: one({ type: "User", where: "$.id = $p.recorded_by_id", when: seesUnpublished }),
  },
});
