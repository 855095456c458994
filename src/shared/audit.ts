import type { Tx } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import type { Viewer } from "./viewer";
import { noteAudit } from "./changes";

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

/**
 * Writes one audit entry inside the transaction of the change it describes, and notes what it
 * changed for the transaction's announcement to the published-read caches (src/shared/changes.ts).
 */
export async function recordAudit(tx: Tx, viewer: Viewer | null, change: AuditChange): Promise<void> {
  noteAudit(tx, change);
  await tx.auditEntry.create({ data: entryOf(viewer, change) });
}

/** Many audit entries (one per row of a bulk write) in one statement, in the order given. */
export async function recordAudits(tx: Tx, viewer: Viewer | null, changes: readonly AuditChange[]): Promise<void> {
  if (!changes.length) return;
  for (const change of changes) noteAudit(tx, change);
  await tx.auditEntry.createMany({ data: changes.map((change) => entryOf(viewer, change)) });
}

function entryOf(viewer: Viewer | null, change: AuditChange) {
  return {
    actorId: viewer?.id ?? null,
    entity: change.entity,
    entityId: change.entityId,
    articleId: change.articleId ?? null,
    action: change.action,
    changes: { ...diff(change.before, change.after), ...(change.note ? { _note: change.note } : {}) } as Prisma.InputJsonValue,
  };
}
