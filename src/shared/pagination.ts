import { Prisma } from "../generated/prisma/client";
import { badInput } from "./errors";
import { isUuid } from "./validation";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** The most items a nested list field (`Article.claims(first:)`, `Claim.attributions(first:)`...) returns. */
const MAX_LIST_SIZE = 500;

/** Years a DateTime or a cursor may carry: what JS Dates, PostgreSQL timestamptz and sane input share. */
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

export function isDateInRange(date: Date): boolean {
  const time = date.getTime();
  if (Number.isNaN(time)) return false;
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Largest value of an `Int` autoincrement column (PostgreSQL integer). */
const MAX_SEQUENCE = 2_147_483_647;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/**
 * Keyset ordering of a connection: newest first, by a column that never changes for a row
 * (`createdAt`, or `sequence` for append-only logs), with `id` as the tie-break. Cursors encode
 * that position, so they stay valid when rows are inserted.
 */
export type OrderKey = "createdAt" | "sequence";

/** A row of a keyed list: createdAt as a Date (Prisma rows) or as its ISO string (planned rows). */
type Keyed = { id: string; createdAt: Date | string; sequence?: number };

function keyValue(row: Keyed, key: OrderKey): string | number {
  if (key !== "createdAt") return row.sequence!;
  return typeof row.createdAt === "string" ? row.createdAt : row.createdAt.toISOString();
}

function encodeCursor(row: Keyed, key: OrderKey = "createdAt"): string {
  return Buffer.from(JSON.stringify([keyValue(row, key), row.id])).toString("base64url");
}

/** The position a cursor encodes: the order key's value and the id of the last row seen. */
export interface CursorPosition {
  value: Date | number;
  id: string;
}

function decodeCursor(cursor: string, key: OrderKey): CursorPosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error("bad cursor");
    const [raw, id] = decoded as [unknown, unknown];
    if (typeof id !== "string" || !isUuid(id)) throw new Error("bad cursor");
    if (key === "sequence") {
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw > MAX_SEQUENCE) throw new Error("bad cursor");
      return { value: raw, id };
    }
    if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(raw)) throw new Error("bad cursor");
    const date = new Date(raw);
    if (!isDateInRange(date)) throw new Error("bad cursor");
    return { value: date, id };
  } catch {
    throw badInput("after", "is not a cursor returned by this API");
  }
}

export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput("first", `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/**
 * How many items a nested list field returns: `first` when given (0..listCap(fallback), else
 * BAD_USER_INPUT), else the field's documented default (also the SDL default of the argument).
 */
export function listLimit(first: number | null | undefined, fallback: number): number {
  if (first == null) return fallback;
  const cap = listCap(fallback);
  if (!Number.isInteger(first) || first < 0 || first > cap) {
    throw badInput("first", `must be between 0 and ${cap}`);
  }
  return first;
}

/** The largest `first` of a nested list whose default is `fallback`. */
export function listCap(fallback: number): number {
  return Math.max(MAX_LIST_SIZE, fallback);
}

const ORDER_COLUMNS: Record<OrderKey, string> = { createdAt: "created_at", sequence: "sequence" };

/** Hand-written SQL: ` AND (<alias>.<key>, <alias>.id) < (cursor)`, or nothing on the first page. */
export function keysetSql(after: CursorPosition | null, alias: string, key: OrderKey = "createdAt"): Prisma.Sql {
  if (!after) return Prisma.empty;
  const column = Prisma.raw(`${alias}.${ORDER_COLUMNS[key]}`);
  const value = key === "createdAt" ? Prisma.sql`${after.value}::timestamptz` : Prisma.sql`${after.value}::int`;
  return Prisma.sql` AND (${column}, ${Prisma.raw(alias)}.id) < (${value}, ${after.id}::uuid)`;
}

/** Hand-written SQL: the keyset order, newest first. */
export function keysetOrderSql(alias: string, key: OrderKey = "createdAt"): Prisma.Sql {
  return Prisma.raw(`${alias}.${ORDER_COLUMNS[key]} DESC, ${alias}.id DESC`);
}

/** Prisma `findMany`: the rows after a cursor, and the keyset order. */
export function keysetWhere(after: CursorPosition | null, key: OrderKey = "createdAt") {
  if (!after) return {};
  const { value, id } = after;
  return { OR: [{ [key]: { lt: value } }, { [key]: value, id: { lt: id } }] };
}

export function keysetOrder(key: OrderKey = "createdAt") {
  return [{ [key]: "desc" as const }, { id: "desc" as const }] as Array<Record<OrderKey | "id", "desc">>;
}

export interface Connection<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Runs a keyset page (every list of the API): `fetch` receives `after` (the decoded cursor, or
 * null for the first page: it wants the rows strictly before it in (key DESC, id DESC) order, see
 * keysetSql / keysetWhere) and the number of rows to take (one more than asked, to know whether a
 * next page exists); `count` only runs when the client selects totalCount.
 */
export async function paginate<T extends Keyed>(
  args: PageArgs,
  fetch: (page: { after: CursorPosition | null; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
  key: OrderKey = "createdAt",
): Promise<Connection<T>> {
  const size = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after, key) : null;
  const rows = size === 0 ? [] : await fetch({ after, take: size + 1 });
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(node, key) }));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (total ??= count()),
  };
}
