import { notFound, versionConflict } from "./errors";

/**
 * Optimistic concurrency in one atomic statement: `update` must run
 * `UPDATE ... SET version = version + 1 WHERE id = $id [AND version = $expected]` (Prisma updateMany)
 * and report how many rows it changed. No row changed means the item is gone (NOT_FOUND) or was
 * changed by someone else since the editor read it (CONFLICT with the current version).
 */
export async function applyVersioned(
  entity: string,
  id: string,
  expectedVersion: number | null | undefined,
  update: (where: { id: string; version?: number }) => Promise<{ count: number }>,
  readVersion: () => Promise<{ version: number } | null>,
): Promise<void> {
  const where = expectedVersion == null ? { id } : { id, version: expectedVersion };
  const { count } = await update(where);
  if (count === 1) return;
  const current = await readVersion();
  if (!current) throw notFound(entity, id);
  throw versionConflict(entity, id, current.version, expectedVersion ?? current.version);
}
