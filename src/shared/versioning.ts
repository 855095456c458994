import { notFound, versionConflict } from "./errors";

/**
 * Optimistic concurrency in one atomic statement: `write` must run
 * `UPDATE/DELETE ... WHERE id = $id AND version = $expected` (Prisma updateMany/deleteMany) and
 * report how many rows it touched. None means the item is gone (NOT_FOUND) or was changed by someone
 * else since the editor read it (CONFLICT, carrying the current version). There is no
 * read-then-write window: the check and the write are the same statement.
 */
export async function applyVersioned(
  entity: string,
  id: string,
  expectedVersion: number,
  write: (where: { id: string; version: number }) => Promise<{ count: number }>,
  readVersion: () => Promise<{ version: number } | null>,
): Promise<void> {
  const { count } = await write({ id, version: expectedVersion });
  if (count === 1) return;
  const current = await readVersion();
  if (!current) throw notFound(entity, id);
  throw versionConflict(entity, id, current.version, expectedVersion);
}

/**
 * For writes that also need the row as it was (for the audit log or a revision): the row as read
 * under its row lock (`lockVersioned` in shared/write-gate.ts). Versions only grow and the editor's
 * version came from a committed read, so the row read is at least that version; if it is newer,
 * the edit is stale already. If it is equal, nobody can change it before this transaction ends,
 * and this row is exactly what the write replaces.
 */
export function assertReadVersion<T extends { version: number }>(entity: string, id: string, row: T | null, expectedVersion: number): T {
  if (!row) throw notFound(entity, id);
  if (row.version !== expectedVersion) throw versionConflict(entity, id, row.version, expectedVersion);
  return row;
}
