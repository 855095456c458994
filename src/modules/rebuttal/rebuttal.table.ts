import { column, defineTable, enumColumn, many, one, timestamp } from "../../shared/planner/table";
import { visibleRebuttalSql } from "./rebuttal.policy";

/** How the read planner reads a Rebuttal (src/shared/planner): columns, relations, visibility. */
export const rebuttalTable = defineTable({
  type: "Rebuttal",
  table: "rebuttal",
  visible: visibleRebuttalSql,
  fields: {
    id: column("id"),
    stance: enumColumn("stance"),
    text: column("text"),
    quote: column("quote"),
    onRecord: column("on_record"),
    madeAt: timestamp("made_at"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    source: one({ type: "Source", where: "$.id = $p.source_id" }),
    // The claims a rebuttal answers all belong to one article (checked on write): visible with the rebuttal.
    claims: many({ type: "Claim", join: "JOIN rebuttal_claim $_link ON $_link.claim_id = $.id", where: "$_link.rebuttal_id = $p.id", orderBy: "$.position, $.created_at, $.id", first: 10 }),
  },
});
