import { Prisma } from "../generated/prisma/client";

/**
 * The SELECT list of a hand-written statement that returns rows shaped exactly like a Prisma model:
 * one SQL expression per field of the model (column names are snake_case in the database, enums
 * are cast `::text`), each aliased to the field's camelCase name. The mapped type makes the
 * compiler reject a missing or unknown field, so a `$queryRaw<Model[]>` over this list returns what
 * `findMany` would (Dates as Date, enums as strings, nullable columns as null).
 */
export function columnsOf<Model>(columns: { [Field in keyof Model]-?: string }, prefix = ""): Prisma.Sql {
  return Prisma.raw(
    Object.entries(columns as Record<string, string>)
      .map(([field, expression]) => `${expression} AS "${prefix}${field}"`)
      .join(", "),
  );
}

/**
 * Splits a row selected with a second, prefixed column list (`columnsOf(..., "source.")`, a joined
 * parent) into the row itself and the joined one.
 */
export function splitJoined<Row extends object, Joined>(row: Row, prefix: string): [Row, Joined] {
  const own: Record<string, unknown> = {};
  const joined: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith(prefix)) joined[key.slice(prefix.length)] = value;
    else own[key] = value;
  }
  return [own as Row, joined as Joined];
}

/** `= ANY($1::uuid[])` of a batch of ids (one parameter, whatever the batch size). */
export function anyUuid(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`= ANY(${[...ids]}::uuid[])`;
}
