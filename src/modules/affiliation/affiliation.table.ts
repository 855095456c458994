import { column, defineTable, one, partialDate, timestamp } from "../../shared/planner/table";
import { visibleAffiliationSql } from "./affiliation.policy";

/** How the read planner reads an Affiliation (src/shared/planner): columns, relations, visibility. */
export const affiliationTable = defineTable({
  type: "Affiliation",
  table: "affiliation",
  visible: visibleAffiliationSql,
  fields: {
    id: column("id"),
    title: column("title"),
    startDate: partialDate("started_at", "started_precision"),
    endDate: partialDate("ended_at", "ended_precision"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    // Visible with the affiliation (its person is; the organisation is named by the post).
    person: one({ type: "Source", where: "$.id = $p.person_id" }),
    organization: one({ type: "Source", where: "$.id = $p.organization_id" }),
  },
});
