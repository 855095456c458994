import type { PrismaClient } from "../../db/prisma";
import type { Source } from "../../generated/prisma/client";
import { rowLoader } from "../../shared/loaders";
import type { ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf } from "../../shared/sql";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

/** Every field of the Prisma `Source` model, from `source s` (identityNote is hidden by the resolver). */
const SOURCE_FIELDS = {
  id: "s.id",
  kind: "s.kind::text",
  name: "s.name",
  description: "s.description",
  url: "s.url",
  externalId: "s.external_id",
  identityNote: "s.identity_note",
  version: "s.version",
  createdAt: "s.created_at",
  updatedAt: "s.updated_at",
};
const SOURCE_COLUMNS = columnsOf<Source>(SOURCE_FIELDS);
/**
 * The same columns as `"source.<field>"`: joined to an attribution or rebuttal the viewer can see,
 * whose source is then primed into `sourceByIdOfVisibleParent` (no statement of its own).
 */
export const JOINED_SOURCE_PREFIX = "source.";
export const JOINED_SOURCE_COLUMNS = columnsOf<Source>(SOURCE_FIELDS, JOINED_SOURCE_PREFIX);

export function createSourceLoaders(prisma: PrismaClient, reads?: ReadTags) {
  return {
    /**
     * NOT filtered: only for the source of an attribution or rebuttal the viewer can already see.
     * A source is visible exactly when a visible attribution names it or a visible rebuttal is
     * its, so that parent is the proof and the filter would repeat it.
     */
    sourceByIdOfVisibleParent: rowLoader(
      (ids: readonly string[]) => prisma.$queryRaw<Source[]>`SELECT ${SOURCE_COLUMNS} FROM source s WHERE s.id ${anyUuid(ids)}`,
      (source) => source.id,
      { reads, type: "Source" },
    ),
  };
}
