import type { AuditEntry, Prisma } from "../../generated/prisma/client";
import { ALL_STAFF, requireRole } from "../../shared/access";
import type { Context } from "../../shared/context";
import { keysetOrder, keysetWhere, paginate, type PageArgs, SEQUENCE_DESC } from "../../shared/pagination";
import type { Viewer } from "../../shared/viewer";
import { canReadIdentityNote } from "../source/source.policy";

const REDACTED = "[redacted]";

/** The diff as the viewer may read it: a source's identity note only for EDITOR and ADMIN. */
export function readableChanges(entry: AuditEntry, viewer: Viewer | null) {
  const changes = (entry.changes ?? {}) as Record<string, { before: unknown; after: unknown }>;
  return Object.entries(changes)
    .filter(([field]) => field !== "_note")
    .map(([field, change]) => {
      const hidden = field === "identityNote" && !canReadIdentityNote(viewer);
      return {
        field,
        before: hidden && change.before != null ? REDACTED : change.before,
        after: hidden && change.after != null ? REDACTED : change.after,
      };
    });
}

export function auditNote(entry: AuditEntry): Record<string, unknown> | null {
  const changes = (entry.changes ?? {}) as Record<string, unknown>;
  return (changes._note as Record<string, unknown> | undefined) ?? null;
}

function assertCanReadAudit(ctx: Context) {
  return requireRole(ctx, ALL_STAFF, "read the audit log");
}

export async function listAudit(ctx: Context, args: PageArgs & { entityId?: string | null; actor?: string | null; articleId?: string | null }) {
  assertCanReadAudit(ctx);
  const where: Prisma.AuditEntryWhereInput = {
    ...(args.entityId ? { entityId: args.entityId } : {}),
    ...(args.actor ? { actorId: args.actor } : {}),
    ...(args.articleId ? { articleId: args.articleId } : {}),
  };
  return paginate<AuditEntry>(
    args,
    SEQUENCE_DESC,
    (entry) => entry.sequence,
    ({ after, before, forward, take }) =>
      ctx.prisma.auditEntry.findMany({
        where: { AND: [where, keysetWhere(after, "sequence", SEQUENCE_DESC, true), keysetWhere(before, "sequence", SEQUENCE_DESC, false)] },
        orderBy: keysetOrder("sequence", SEQUENCE_DESC, forward),
        take,
      }),
    () => ctx.prisma.auditEntry.count({ where }),
  );
}

export function listArticleHistory(ctx: Context, articleId: string, args: PageArgs) {
  return listAudit(ctx, { ...args, articleId });
}

export function listArticleRevisions(ctx: Context, articleId: string) {
  assertCanReadAudit(ctx);
  return ctx.prisma.articleRevision.findMany({ where: { articleId }, orderBy: { version: "desc" } });
}
