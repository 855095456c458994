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
  last?: number | null;
  before?: string | null;
}

/** A direction of an order. */
export type Direction = "ASC" | "DESC";

/**
 * A keyset order of a connection: one key column, then `id` as the tie-break (same direction),
 * NULLs of a nullable key last. Cursors encode the order's name, the key's value and the id, so
 * they stay valid when rows are inserted and a cursor of another order is refused.
 */
export interface KeysetOrder {
  /** Written into the cursors (e.g. `TITLE_ASC`): a cursor of another order is BAD_USER_INPUT. */
  name: string;
  /** The key column, over `$` (the root alias). */
  column: string;
  /** Its SQL type: how a cursor's value is checked and cast. */
  type: "timestamptz" | "text" | "int";
  /** May the key be NULL (then ordered last, in both directions)? */
  nullable: boolean;
  direction: Direction;
}

/** The cursor's value of a key, as planned rows carry it (JSON: timestamps as ISO strings with milliseconds). */
export function keyJsonSql(order: KeysetOrder, alias: string): string {
  const column = order.column.replace(/\$/g, alias);
  return order.type === "timestamptz" ? `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : column;
}

/** The order every list had before orderBy: newest record first. */
export const CREATED_AT_DESC: KeysetOrder = { name: "CREATED_AT_DESC", column: "$.created_at", type: "timestamptz", nullable: false, direction: "DESC" };
/** An order key a list offers (`orderBy: { field }`). */
export type OrderKeySpec = Pick<KeysetOrder, "column" | "type" | "nullable">;

/**
 * The keyset order of `orderBy: { field, direction }` among a list's `keys` (by field name);
 * no orderBy: newest record first (CREATED_AT_DESC, what every list did before orderBy).
 */
export function orderOf<Field extends string>(keys: Record<Field, OrderKeySpec>, orderBy: { field: Field; direction?: Direction | null } | null | undefined): KeysetOrder {
  if (!orderBy) return CREATED_AT_DESC;
  const direction = orderBy.direction ?? "DESC";
  return { name: `${orderBy.field}_${direction}`, direction, ...keys[orderBy.field] };
}

/** The audit log's order: newest entry first, by its sequence number. */
export const SEQUENCE_DESC: KeysetOrder = { name: "SEQUENCE_DESC", column: "$.sequence", type: "int", nullable: false, direction: "DESC" };

/** A row of a keyed list, and its key's value (a Date for Prisma rows, an ISO string for planned rows). */
type KeyOf<T> = (row: T) => string | number | Date | null;

function encodeCursor(order: KeysetOrder, value: string | number | Date | null, id: string): string {
  const key = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([order.name, key, id])).toString("base64url");
}

/** The position a cursor encodes: the order key's value (null: a NULL key) and the id of the row. */
export interface CursorPosition {
  value: string | number | null;
  id: string;
}

const MAX_TEXT_KEY = 2000;

function decodeCursor(cursor: string, order: KeysetOrder, field: "after" | "before"): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badInput(field, "is not a cursor returned by this API");
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw badInput(field, "is not a cursor returned by this API");
  const [name, raw, id] = decoded as [unknown, unknown, unknown];
  if (typeof name !== "string" || typeof id !== "string" || !isUuid(id)) throw badInput(field, "is not a cursor returned by this API");
  if (name !== order.name) throw badInput(field, `is a cursor of another order (${name.slice(0, 40)}), not of ${order.name}: page with the orderBy that gave it`);
  if (raw === null) {
    if (!order.nullable) throw badInput(field, "is not a cursor returned by this API");
    return { value: null, id };
  }
  if (order.type === "int") {
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < -MAX_SEQUENCE - 1 || raw > MAX_SEQUENCE) throw badInput(field, "is not a cursor returned by this API");
    return { value: raw, id };
  }
  if (order.type === "text") {
    if (typeof raw !== "string" || raw.length > MAX_TEXT_KEY || raw.includes("\u0000")) throw badInput(field, "is not a cursor returned by this API");
    return { value: raw, id };
  }
  if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(raw) || !isDateInRange(new Date(raw))) throw badInput(field, "is not a cursor returned by this API");
  return { value: raw, id };
}

export function pageSize(first: number | null | undefined, field: "first" | "last" = "first"): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(field, `must be between 0 and ${MAX_PAGE_SIZE}`);
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

function castSql(order: KeysetOrder, value: string | number): Prisma.Sql {
  if (order.type === "timestamptz") return Prisma.sql`${value}::timestamptz`;
  if (order.type === "int") return Prisma.sql`${value}::int`;
  return Prisma.sql`${value}::text`;
}

/**
 * Hand-written SQL: ` AND <the rows strictly after the position>` in the order `order` walked
 * `forward` (or strictly before it, backward), NULL keys last; nothing without a position.
 */
export function keysetSql(position: CursorPosition | null, alias: string, order: KeysetOrder, forward = true): Prisma.Sql {
  if (!position) return Prisma.empty;
  const column = Prisma.raw(order.column.replace(/\$/g, alias));
  const id = Prisma.raw(`${alias}.id`);
  // Walking forward in an ASC order (or backward in a DESC one) goes to greater keys.
  const op = Prisma.raw((order.direction === "ASC") === forward ? ">" : "<");
  const cursorId = Prisma.sql`${position.id}::uuid`;
  if (position.value === null) {
    // NULL keys come last: forward, only NULLs with a further id; backward, every non-NULL key and the NULLs before.
    return forward
      ? Prisma.sql` AND (${column} IS NULL AND ${id} ${op} ${cursorId})`
      : Prisma.sql` AND (${column} IS NOT NULL OR ${id} ${op} ${cursorId})`;
  }
  const row = Prisma.sql`(${column}, ${id}) ${op} (${castSql(order, position.value)}, ${cursorId})`;
  if (!order.nullable) return Prisma.sql` AND ${row}`;
  return forward ? Prisma.sql` AND (${row} OR ${column} IS NULL)` : Prisma.sql` AND ${row}`;
}

/** Hand-written SQL: the order (walked forward, or reversed to fetch a page backward). */
export function keysetOrderSql(alias: string, order: KeysetOrder, forward = true): Prisma.Sql {
  const direction = (order.direction === "DESC") === forward ? "DESC" : "ASC";
  const nulls = order.nullable ? (forward ? " NULLS LAST" : " NULLS FIRST") : "";
  return Prisma.raw(`${order.column.replace(/\$/g, alias)} ${direction}${nulls}, ${alias}.id ${direction}`);
}

/** Prisma `findMany` over a non-nullable key (`sequence`, `createdAt`): the rows past a position. */
export function keysetWhere(position: CursorPosition | null, key: "createdAt" | "sequence", order: KeysetOrder, forward = true) {
  if (!position) return {};
  const op = (order.direction === "ASC") === forward ? "gt" : "lt";
  const value = key === "createdAt" ? new Date(position.value as string) : position.value;
  return { OR: [{ [key]: { [op]: value } }, { [key]: value, id: { [op]: position.id } }] };
}

/** Prisma `findMany`: the keyset order, walked forward or backward. */
export function keysetOrder(key: "createdAt" | "sequence", order: KeysetOrder, forward = true) {
  const direction = (order.direction === "DESC") === forward ? ("desc" as const) : ("asc" as const);
  return [{ [key]: direction }, { id: direction }] as Array<Record<"createdAt" | "sequence" | "id", "asc" | "desc">>;
}

export interface Connection<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** What `fetch` gets: the bounds (decoded cursors), the direction to walk and how many rows to take. */
export interface PageRequest {
  after: CursorPosition | null;
  before: CursorPosition | null;
  /** false for `last`: the rows are wanted from the end, in the reversed order (see keysetSql/keysetOrderSql). */
  forward: boolean;
  take: number;
}

/**
 * Runs a keyset page (every list of the API) in `order`: `first` (default 20) rows after `after`,
 * or the `last` rows before `before` (both bounds apply when both cursors come). `fetch` receives
 * the decoded bounds, the direction and the number of rows to take (one more than asked, to know
 * whether a further page exists) and returns them in the direction walked; `count` only runs when
 * the client selects totalCount. `first` with `last` is BAD_USER_INPUT.
 */
export async function paginate<T extends { id: string }>(
  args: PageArgs,
  order: KeysetOrder,
  keyOf: KeyOf<T>,
  fetch: (page: PageRequest) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  if (args.first != null && args.last != null) throw badInput("last", "cannot be given with first: ask for the first items after a cursor, or the last items before one");
  const forward = args.last == null;
  const size = forward ? pageSize(args.first) : pageSize(args.last, "last");
  const after = args.after ? decodeCursor(args.after, order, "after") : null;
  const before = args.before ? decodeCursor(args.before, order, "before") : null;
  const rows = size === 0 ? [] : await fetch({ after, before, forward, take: size + 1 });
  const page = rows.slice(0, size);
  if (!forward) page.reverse();
  const edges = page.map((node) => ({ node, cursor: encodeCursor(order, keyOf(node), node.id) }));
  const more = rows.length > size;
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: forward ? more : Boolean(args.before),
      hasPreviousPage: forward ? Boolean(args.after) : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (total ??= count()),
  };
}
