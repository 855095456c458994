import { Prisma } from "../../generated/prisma/client";
import { column, computed, defineTable, enumColumn, many, timestamp } from "../../shared/planner/table";
import { canReadIdentityNote, visibleSourceSql } from "./source.policy";

/** How the read planner reads a Source (src/shared/planner): columns, relations, visibility. */
export const sourceTable = defineTable({
  type: "Source",
  table: "source",
  visible: visibleSourceSql,
  fields: {
    id: column("id"),
    kind: enumColumn("kind"),
    name: column("name"),
    description: column("description"),
    url: column("url"),
    externalId: column("external_id"),
    identityNote: computed((s, viewer) => (canReadIdentityNote(viewer) ? Prisma.raw(`${s}.identity_note`) : Prisma.sql`NULL`)),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    // A visible source may also be attributed in, or have responded to, unpublished work: filtered.
    attributions: many({ type: "Attribution", where: "$.source_id = $p.id", orderBy: "$.created_at, $.id", first: 2000, visible: true }),
    responses: many({ type: "Response", where: "$.source_id = $p.id", orderBy: "$.created_at, $.id", first: 50, visible: true }),
    rebuttals: many({ type: "Response", where: "$.source_id = $p.id", orderBy: "$.created_at, $.id", first: 50, visible: true }),
    // Posts (schema/affiliation.graphql): the person's, and the organisation's members' (each visible with its person).
    affiliations: many({ type: "Affiliation", where: "$.person_id = $p.id", orderBy: "$.started_at NULLS LAST, $.created_at, $.id", first: 50, visible: true }),
    members: many({ type: "Affiliation", where: "$.organization_id = $p.id", orderBy: "$.started_at NULLS LAST, $.created_at, $.id", first: 50, visible: true }),
  },
});
