import type { Context, Viewer } from "../../context";
import type { Tx } from "../../db/prisma";
import type { AuditEntry, Prisma } from "../../generated/prisma/client";
import { ALL_STAFF, requireRole } from "../../shared/access";
import { keysetOrder, keysetWhere, paginate, type PageArgs } from "../../shared/pagination";
import { canReadIdentityNote } from "../source/source.policy";

export type AuditAction = "CREATE" | "UPDATE" | "DELETE" | "SUBMIT" | "PUBLISH" | "RETURN" | "ARCHIVE" | "RESTORE" | "RECORD" | "SIGN_IN" | "ISSUE_TOKEN" | "REVOKE_TOKEN";

export interface AuditChange {
  entity: string;
  entityId: string;
  articleId?: string | null;
  action: AuditAction;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Extra facts that are not field changes (a return reason, a token name). */
  note?: Record<string, unknown>;
}

const NOT_AUDITED = new Set(["updatedAt", "createdAt", "passwordHash", "tokenHash"]);
/** Long texts are kept by article revisions; the audit log records their size, not a second copy. */
const SUMMARISED = new Set(["body"]);
const REDACTED = "[redacted]";

function auditable(field: string, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (SUMMARISED.has(field) && typeof value === "string") return { length: value.length };
  return value ?? null;
}

/** The fields that differ between before and after, as { field: { before, after } }. */
function diff(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of fields) {
    if (NOT_AUDITED.has(field)) continue;
    const from = auditable(field, before?.[field]);
    const to = auditable(field, after?.[field]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { before: from, after: to };
  }
  return changes;
}

/** Writes one audit entry inside the transaction of the change it describes. */
export async function recordAudit(tx: Tx, viewer: Viewer | null, change: AuditChange): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorId: viewer?.id ?? null,
      entity: change.entity,
      entityId: change.entityId,
      articleId: change.articleId ?? null,
      action: change.action,
      changes: { ...diff(change.before, change.after), ...(change.note ? { _note: change.note } : {}) } as Prisma.InputJsonValue,
    },
  });
}

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
  return paginate(
    args,
    ({ after, take }) => ctx.prisma.auditEntry.findMany({ where: { AND: [where, keysetWhere(after, "sequence")] }, orderBy: keysetOrder("sequence"), take }),
    () => ctx.prisma.auditEntry.count({ where }),
    "sequence",
  );
}

export function listArticleHistory(ctx: Context, articleId: string, args: PageArgs) {
  return listAudit(ctx, { ...args, articleId });
}

export function listArticleRevisions(ctx: Context, articleId: string) {
  assertCanReadAudit(ctx);
  return ctx.prisma.articleRevision.findMany({ where: { articleId }, orderBy: { version: "desc" } });
}
