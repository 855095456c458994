import type { Context } from "../../shared/context";
import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { ALL_STAFF, CHECKERS, EDITORS, hasRole, requireRole, seesUnpublished } from "../../shared/access";
import { forbidden } from "../../shared/errors";

/**
 * Which sources a viewer may read, as SQL over `source <alias>`. Anonymous readers see a source
 * only when published work refers to it: an attribution of, or a response (or a conduit of one) answering, a claim of a
 * PUBLISHED article, or the outlet of a PUBLISHED article. Sources are not public as such: one that only draft work mentions can reveal
 * what the newsroom is working on.
 */
export function visibleSourceSql(viewer: Viewer | null, alias = "s"): Prisma.Sql {
  if (seesUnpublished(viewer)) return Prisma.sql`TRUE`;
  const s = Prisma.raw(alias);
  // One EXISTS over a UNION ALL rather than EXISTS ... OR EXISTS ...: PostgreSQL would turn the
  // latter into hashed subplans that read every attribution; this stays a per-source probe
  // through the source_id indexes.
  // A response is visible when one of its answers targets a claim, or an attribution of a claim,
  // of a PUBLISHED article (visibleResponseSql); its respondent and its conduits are then visible.
  return Prisma.sql`EXISTS (
    SELECT 1 FROM attribution pt JOIN claim pc ON pc.id = pt.claim_id JOIN article pa ON pa.id = pc.article_id
    WHERE pt.source_id = ${s}.id AND pa.status = 'PUBLISHED'
    UNION ALL
    SELECT 1 FROM response pr JOIN response_answer prc ON prc.response_id = pr.id
      JOIN claim pc ON pc.id = prc.claim_id JOIN article pa ON pa.id = pc.article_id
    WHERE pr.source_id = ${s}.id AND pa.status = 'PUBLISHED'
    UNION ALL
    SELECT 1 FROM response pr JOIN response_answer prc ON prc.response_id = pr.id JOIN attribution pt ON pt.id = prc.attribution_id
      JOIN claim pc ON pc.id = pt.claim_id JOIN article pa ON pa.id = pc.article_id
    WHERE pr.source_id = ${s}.id AND pa.status = 'PUBLISHED'
    UNION ALL
    SELECT 1 FROM response_conduit pcd JOIN response_answer prc ON prc.response_id = pcd.response_id
      LEFT JOIN attribution pt ON pt.id = prc.attribution_id
      JOIN claim pc ON pc.id = COALESCE(prc.claim_id, pt.claim_id) JOIN article pa ON pa.id = pc.article_id
    WHERE pcd.source_id = ${s}.id AND pa.status = 'PUBLISHED'
    UNION ALL
    SELECT 1 FROM article pa WHERE pa.outlet_source_id = ${s}.id AND pa.status = 'PUBLISHED')`;
}

/**
 * Who an anonymous source really is: EDITOR and ADMIN only. Everyone else gets null from the API,
 * "[redacted]" in audit diffs, and never the value in an error message.
 */
export function canReadIdentityNote(viewer: Viewer | null): boolean {
  return hasRole(viewer, EDITORS);
}

export function assertCanCreateSource(ctx: Context, withIdentityNote: boolean) {
  const viewer = requireRole(ctx, ALL_STAFF, "create sources");
  if (withIdentityNote && !canReadIdentityNote(viewer)) throw forbidden("Only an EDITOR or ADMIN may record a source's identity note");
  return viewer;
}

export function assertCanUpdateSource(ctx: Context, withIdentityNote: boolean) {
  const viewer = requireRole(ctx, CHECKERS, "edit sources");
  if (withIdentityNote && !canReadIdentityNote(viewer)) throw forbidden("Only an EDITOR or ADMIN may record a source's identity note");
  return viewer;
}

export function assertCanDeleteSource(ctx: Context) {
  return requireRole(ctx, EDITORS, "delete sources");
}
