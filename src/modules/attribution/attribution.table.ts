import { column, defineTable, enumColumn, many, one, timestamp } from "../../shared/planner/table";
import { visibleAttributionSql } from "./attribution.policy";

/** How the read planner reads an Attribution (src/shared/planner): columns, relations, visibility. */
export const attributionTable = defineTable({
  type: "Attribution",
  table: "attribution",
  visible: visibleAttributionSql,
  fields: {
    id: column("id"),
    role: enumColumn("role"),
    anonymity: enumColumn("anonymity"),
    status: enumColumn("status"),
    anonymityReason: column("anonymity_reason"),
    anonymityReasonNotStated: column("anonymity_reason_not_stated"),
    caveat: column("caveat"),
    quote: column("quote"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    // The attribution is visible, hence so are its claim and its source.
    claim: one({ type: "Claim", where: "$.id = $p.claim_id" }),
    source: one({ type: "Source", where: "$.id = $p.source_id" }),
    // The post the source spoke in: an affiliation of the source (checked on write), under its own rule all the same.
    capacity: one({ type: "Affiliation", where: "$.id = $p.capacity_id", visible: true }),
    // Works are reference data, readable by everyone.
    work: one({ type: "Work", where: "$.id = $p.work_id" }),
    // The attribution carried through may belong to another, unpublished article (the same claim reported there).
    via: one({ type: "Attribution", where: "$.id = $p.via_id", visible: true }),
    // The responses answering the attribution (schema/response.graphql): as visible as the attribution.
    responses: many({ type: "Response", join: "JOIN response_answer $_link ON $_link.response_id = $.id", where: "$_link.attribution_id = $p.id", orderBy: "$.created_at, $.id", first: 5 }),
  },
});
