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
