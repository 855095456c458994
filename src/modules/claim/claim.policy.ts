import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Anonymous readers see the claims of published articles only. */
export function visibleClaimWhere(viewer: Viewer | null): Prisma.ClaimWhereInput {
  return seesUnpublished(viewer) ? {} : { article: { status: "PUBLISHED" } };
}

/** The same rule in SQL, for hand-written statements over `claim c`. */
export function visibleClaimSql(viewer: Viewer | null): Prisma.Sql {
  return seesUnpublished(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`EXISTS (SELECT 1 FROM article pa WHERE pa.id = c.article_id AND pa.status = 'PUBLISHED')`;
}
