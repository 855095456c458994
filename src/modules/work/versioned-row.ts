import type { Tx } from "../../db/prisma";
import { Prisma, type Affiliation, type Work } from "../../generated/prisma/client";
import { notFound } from "../../shared/errors";
import { applyVersioned, assertReadVersion } from "../../shared/versioning";

/**
 * Versioned writes of the reference tables that belong to no article (works, affiliations), as
 * the write gate's lockVersioned/updateVersioned do for the others: lock the row (FOR NO KEY
 * UPDATE to update, FOR UPDATE to delete), read it, check the version the editor saw, then write
 * `WHERE id AND version` one version up.
 */
interface Rows {
  work: Work;
  affiliation: Affiliation;
}
type Table = keyof Rows;

const ENTITY: Record<Table, string> = { work: "Work", affiliation: "Affiliation" };

interface Delegate<Row> {
  findUnique(args: { where: { id: string } }): Promise<Row | null>;
  updateMany(args: { where: { id: string; version: number }; data: unknown }): Promise<{ count: number }>;
  deleteMany(args: { where: { id: string; version: number } }): Promise<{ count: number }>;
}
function delegate<T extends Table>(tx: Tx, table: T): Delegate<Rows[T]> {
  return tx[table] as unknown as Delegate<Rows[T]>;
}

export async function lockVersionedRow<T extends Table>(tx: Tx, table: T, id: string, expectedVersion: number, purpose: "update" | "delete"): Promise<Rows[T]> {
  const clause = purpose === "update" ? Prisma.sql`FOR NO KEY UPDATE` : Prisma.sql`FOR UPDATE`;
  const locked = await tx.$queryRaw<unknown[]>`SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id}::uuid ${clause}`;
  const row = locked.length ? await delegate(tx, table).findUnique({ where: { id } }) : null;
  if (!row) throw notFound(ENTITY[table], id);
  return assertReadVersion(ENTITY[table], id, row, expectedVersion);
}

export async function updateVersionedRow<T extends Table>(tx: Tx, table: T, before: Rows[T], data: Record<string, unknown>): Promise<Rows[T]> {
  const rows = delegate(tx, table);
  await applyVersioned(
    ENTITY[table],
    before.id,
    before.version,
    (where) => rows.updateMany({ where, data: { ...data, version: { increment: 1 } } }),
    () => rows.findUnique({ where: { id: before.id } }),
  );
  return (await rows.findUnique({ where: { id: before.id } }))!;
}

export async function deleteVersionedRow<T extends Table>(tx: Tx, table: T, before: Rows[T]): Promise<void> {
  const rows = delegate(tx, table);
  await applyVersioned(ENTITY[table], before.id, before.version, (where) => rows.deleteMany({ where }), () => rows.findUnique({ where: { id: before.id } }));
}
