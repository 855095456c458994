import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Anonymous readers see rebuttals of claims in published articles only. */
export function visibleRebuttalWhere(viewer: Viewer | null): Prisma.RebuttalWhereInput {
  return seesUnpublished(viewer) ? {} : { claims: { some: { claim: { article: { status: "PUBLISHED" } } } } };
}

/** The same rule in SQL, for hand-written statements over `rebuttal r`. */
export function visibleRebuttalSql(viewer: Viewer | null): Prisma.Sql {
  return seesUnpublished(viewer)
    ? Prisma.sql`TRUE`
    : Prisma.sql`EXISTS (
        SELECT 1 FROM rebuttal_claim prc JOIN claim pc ON pc.id = prc.claim_id JOIN article pa ON pa.id = pc.article_id
        WHERE prc.rebuttal_id = r.id AND pa.status = 'PUBLISHED')`;
}
