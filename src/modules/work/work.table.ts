import { column, defineTable, enumColumn, one, partialDate, timestamp } from "../../shared/planner/table";
import { visibleWorkSql } from "./work.policy";

/** How the read planner reads a Work (src/shared/planner): columns, relations, visibility. */
export const workTable = defineTable({
  type: "Work",
  table: "work",
  visible: visibleWorkSql,
  fields: {
    id: column("id"),
    type: enumColumn("type"),
    title: column("title"),
    outlet: column("outlet"),
    url: column("url"),
    language: column("language"),
    publicationDate: partialDate("published_at", "published_precision"),
    externalId: column("external_id"),
    note: column("note"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    outletSource: one({ type: "Source", where: "$.id = $p.outlet_source_id", visible: true }),
  },
});
