import type { Context } from "../../shared/context";
import type { Viewer } from "../../shared/viewer";
import { Prisma } from "../../generated/prisma/client";
import { ALL_STAFF, CHECKERS, EDITORS, requireRole } from "../../shared/access";

/** Works are published things claimdesk did not write (a newspaper piece, a press release): everyone may read them. */
export function visibleWorkSql(_viewer: Viewer | null, _alias = "w"): Prisma.Sql {
  return Prisma.sql`TRUE`;
}

/* Who may record works: the same people as for sources (src/modules/source/source.policy.ts). */

export function assertCanCreateWork(ctx: Context) {
  return requireRole(ctx, ALL_STAFF, "create works");
}

export function assertCanUpdateWork(ctx: Context) {
  return requireRole(ctx, CHECKERS, "edit works");
}

export function assertCanDeleteWork(ctx: Context) {
  return requireRole(ctx, EDITORS, "delete works");
}
