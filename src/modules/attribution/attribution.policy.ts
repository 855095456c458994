import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Which attributions a viewer may read, as SQL over `attribution <alias>`: anonymous readers those of claims in published articles only. */
export function visibleAttributionSql(viewer: Viewer | null, alias = "t"): Prisma.Sql {
  return seesUnpublished(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`EXISTS (SELECT 1 FROM claim pc JOIN article pa ON pa.id = pc.article_id WHERE pc.id = ${Prisma.raw(alias)}.claim_id AND pa.status = 'PUBLISHED')`;
}
