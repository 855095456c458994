import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Which claims a viewer may read, as SQL over `claim <alias>`: anonymous readers the claims of published articles only. */
export function visibleClaimSql(viewer: Viewer | null, alias = "c"): Prisma.Sql {
  return seesUnpublished(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`EXISTS (SELECT 1 FROM article pa WHERE pa.id = ${Prisma.raw(alias)}.article_id AND pa.status = 'PUBLISHED')`;
}
