import { Prisma } from "../../generated/prisma/client";
import { column, computed, defineTable, enumColumn, many, one, partialDate, timestamp } from "../../shared/planner/table";
import { visibleResponseAnswerSql, visibleResponseConduitSql, visibleResponseSql } from "./response.policy";

/** How the read planner reads a Response (src/shared/planner): columns, relations, visibility. */
export const responseTable = defineTable({
  type: "Response",
  table: "response",
  visible: visibleResponseSql,
  fields: {
    id: column("id"),
    anonymity: enumColumn("anonymity"),
    anonymityReason: column("anonymity_reason"),
    anonymityReasonNotStated: column("anonymity_reason_not_stated"),
    caveat: column("caveat"),
    occasion: column("occasion"),
    place: column("place"),
    madeOn: partialDate("made_at", "made_precision"),
    madeAt: timestamp("made_at"),
    text: column("text"),
    quote: column("quote"),
    onRecord: column("on_record"),
    // Deprecated: the stance all answers share, else null. Computed (not a column): payload rows go to its resolver.
    stance: computed((r) => Prisma.raw(`(SELECT CASE WHEN count(DISTINCT ra.stance) = 1 THEN min(ra.stance::text) END FROM response_answer ra WHERE ra.response_id = ${r}.id)`)),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    // The response is visible, hence so is its respondent (source visibility counts responses).
    respondent: one({ type: "Source", where: "$.id = $p.source_id" }),
    source: one({ type: "Source", where: "$.id = $p.source_id" }),
    capacity: one({ type: "Affiliation", where: "$.id = $p.capacity_id" }),
    work: one({ type: "Work", where: "$.id = $p.work_id", visible: true }),
    conduits: many({ type: "ResponseConduit", where: "$.response_id = $p.id", orderBy: "$.position", first: 20 }),
    // A visible response may answer claims of the same cluster in articles the viewer may not see: filtered.
    answers: many({ type: "ResponseAnswer", where: "$.response_id = $p.id", orderBy: "$.position, $.id", first: 200, visible: true }),
    claims: many({
      type: "Claim",
      join: "JOIN response_answer $_link ON $_link.claim_id = $.id JOIN article $_article ON $_article.id = $.article_id",
      where: "$_link.response_id = $p.id",
      orderBy: "$_article.created_at, $_article.id, $.position, $.created_at, $.id",
      first: 10,
      visible: true,
    }),
  },
});

/** An answer: its claim or attribution is visible when the answer is (its visibility rule is theirs). */
export const responseAnswerTable = defineTable({
  type: "ResponseAnswer",
  table: "response_answer",
  visible: visibleResponseAnswerSql,
  fields: {
    id: column("id"),
    stance: enumColumn("stance"),
    quote: column("quote"),
    position: column("position"),
    claim: one({ type: "Claim", where: "$.id = $p.claim_id" }),
    attribution: one({ type: "Attribution", where: "$.id = $p.attribution_id" }),
  },
});

/** A conduit of a visible response: its source is visible through the response (see visibleSourceSql). */
export const responseConduitTable = defineTable({
  type: "ResponseConduit",
  table: "response_conduit",
  visible: visibleResponseConduitSql,
  fields: {
    id: column("id"),
    position: column("position"),
    source: one({ type: "Source", where: "$.id = $p.source_id" }),
    work: one({ type: "Work", where: "$.id = $p.work_id", visible: true }),
  },
});
