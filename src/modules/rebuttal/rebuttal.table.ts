import { column, defineTable, many, one, timestamp } from "../../shared/planner/table";
import { visibleRebuttalSql } from "./rebuttal.policy";

/** How the read planner reads a Rebuttal (src/shared/planner): columns, relations, visibility. */
export const rebuttalTable = defineTable({
  type: "Rebuttal",
  table: "response",
  visible: visibleRebuttalSql,
  fields: {
    id: column("id"),
    stance: column("(SELECT ra.stance::text FROM response_answer ra WHERE ra.response_id = $.id ORDER BY ra.position LIMIT 1)"),
    text: column("text"),
    quote: column("quote"),
    onRecord: column("on_record"),
    madeAt: timestamp("made_at"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    source: one({ type: "Source", where: "$.id = $p.source_id" }),
    // The claims a rebuttal answers all belong to one article (checked on write): visible with the rebuttal.
    claims: many({ type: "Claim", join: "JOIN response_answer $_link ON $_link.claim_id = $.id", where: "$_link.response_id = $p.id", orderBy: "$.position, $.created_at, $.id", first: 10 }),
  },
});
