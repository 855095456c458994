import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Which rebuttals a viewer may read, as SQL over `response <alias>`: anonymous readers those answering a claim of a published article only. */
export function visibleRebuttalSql(viewer: Viewer | null, alias = "r"): Prisma.Sql {
  return seesUnpublished(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`EXISTS (
        SELECT 1 FROM response_answer prc JOIN claim pc ON pc.id = prc.claim_id JOIN article pa ON pa.id = pc.article_id
        WHERE prc.response_id = ${Prisma.raw(alias)}.id AND pa.status = 'PUBLISHED')`;
}
