import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/**
 * Which responses a viewer may read, as SQL over `response <alias>`: anonymous readers those with
 * at least one answer whose claim (or whose attribution's claim) is in a PUBLISHED article. Two
 * branches of a UNION ALL, each a probe through an index (response_answer's response id, then the
 * claim or attribution primary key).
 */
export function visibleResponseSql(viewer: Viewer | null, alias = "r"): Prisma.Sql {
  if (seesUnpublished(viewer)) return Prisma.sql`TRUE`;
  const r = Prisma.raw(alias);
  return Prisma.sql`EXISTS (
    SELECT 1 FROM response_answer pra JOIN claim pc ON pc.id = pra.claim_id JOIN article pa ON pa.id = pc.article_id
    WHERE pra.response_id = ${r}.id AND pa.status = 'PUBLISHED'
    UNION ALL
    SELECT 1 FROM response_answer pra JOIN attribution pt ON pt.id = pra.attribution_id
      JOIN claim pc ON pc.id = pt.claim_id JOIN article pa ON pa.id = pc.article_id
    WHERE pra.response_id = ${r}.id AND pa.status = 'PUBLISHED')`;
}

/**
 * Which answers a viewer may read, as SQL over `response_answer <alias>`: anonymous readers those
 * whose claim (or whose attribution's claim) is in a PUBLISHED article. A visible response may
 * also answer a claim of the same cluster in an article that is not published yet.
 */
export function visibleResponseAnswerSql(viewer: Viewer | null, alias = "ra"): Prisma.Sql {
  if (seesUnpublished(viewer)) return Prisma.sql`TRUE`;
  const a = Prisma.raw(alias);
  return Prisma.sql`EXISTS (
    SELECT 1 FROM claim pc JOIN article pa ON pa.id = pc.article_id
    WHERE pc.id = COALESCE(${a}.claim_id, (SELECT pt.claim_id FROM attribution pt WHERE pt.id = ${a}.attribution_id)) AND pa.status = 'PUBLISHED')`;
}

/** A conduit is as visible as its response (the only way to reach it). */
export function visibleResponseConduitSql(_viewer: Viewer | null, _alias = "rc"): Prisma.Sql {
  return Prisma.sql`TRUE`;
}
