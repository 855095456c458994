import type { Work } from "../../generated/prisma/client";
import { columnsOf } from "../../shared/sql";

/** Every field of the Prisma `Work` model, from `work w`: the work an attribution, a response or a conduit cites, in payloads. */
export const WORK_COLUMNS = columnsOf<Work>({
  id: "w.id",
  type: "w.type::text",
  title: "w.title",
  outlet: "w.outlet",
  outletSourceId: "w.outlet_source_id",
  url: "w.url",
  language: "w.language",
  publishedAt: "w.published_at",
  publishedPrecision: "w.published_precision::text",
  externalId: "w.external_id",
  note: "w.note",
  version: "w.version",
  createdAt: "w.created_at",
  updatedAt: "w.updated_at",
});
