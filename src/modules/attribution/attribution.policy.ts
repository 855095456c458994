import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Anonymous readers see attributions of claims in published articles only. */
export function visibleAttributionWhere(viewer: Viewer | null): Prisma.AttributionWhereInput {
  return seesUnpublished(viewer) ? {} : { claim: { article: { status: "PUBLISHED" } } };
}

/** The same rule in SQL, for hand-written statements over `attribution t`. */
export function visibleAttributionSql(viewer: Viewer | null): Prisma.Sql {
  return seesUnpublished(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`EXISTS (SELECT 1 FROM claim pc JOIN article pa ON pa.id = pc.article_id WHERE pc.id = t.claim_id AND pa.status = 'PUBLISHED')`;
}
