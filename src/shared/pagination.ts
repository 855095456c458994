import { badInput } from "./errors";
import { isUuid } from "./validation";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

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

type Keyed = { id: string; createdAt: Date; sequence?: number };

function keyValue(row: Keyed, key: OrderKey): string | number {
  return key === "createdAt" ? row.createdAt.toISOString() : row.sequence!;
}

export function encodeCursor(row: Keyed, key: OrderKey = "createdAt"): string {
  return Buffer.from(JSON.stringify([keyValue(row, key), row.id])).toString("base64url");
}

/** The position a cursor encodes: the order key's value and the id of the last row seen. */
export interface CursorPosition {
  value: Date | number;
  id: string;
}

function decodeCursor(cursor: string, key: OrderKey): CursorPosition {
  try {
    const [raw, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof id !== "string" || !isUuid(id)) throw new Error("bad cursor");
    if (key === "sequence") {
      if (typeof raw !== "number" || !Number.isInteger(raw)) throw new Error("bad cursor");
      return { value: raw, id };
    }
    const date = new Date(String(raw));
    if (typeof raw !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
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

/** Prisma `where` fragment selecting the rows after a cursor. */
export function afterCursorWhere(after: string | null | undefined, key: OrderKey = "createdAt") {
  if (!after) return {};
  const { value, id } = decodeCursor(after, key);
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
 * Runs a keyset page: `fetch` receives the extra where-clause, ordering and the number of rows to
 * take (one more than asked, to know whether a next page exists); `count` only runs when the
 * client selects totalCount. Hand-written SQL uses `after` (the decoded cursor, or null for the
 * first page) instead of `where`: rows strictly before it in (key DESC, id DESC) order.
 */
export async function paginate<T extends Keyed>(
  args: PageArgs,
  fetch: (page: { where: object; take: number; orderBy: ReturnType<typeof keysetOrder>; after: CursorPosition | null }) => Promise<T[]>,
  count: () => Promise<number>,
  key: OrderKey = "createdAt",
): Promise<Connection<T>> {
  const size = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after, key) : null;
  const where = afterCursorWhere(args.after, key);
  const rows = size === 0 ? [] : await fetch({ where, take: size + 1, orderBy: keysetOrder(key), after });
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
