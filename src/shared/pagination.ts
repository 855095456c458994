import { badInput } from "./errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Keyset position of a row: ordering is always (createdAt DESC, id DESC), which never changes for a row. */
export interface Position {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: Position): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): Position {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { createdAt: date, id };
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

/** Prisma `where` fragment selecting the rows after a cursor in (createdAt DESC, id DESC) order. */
export function afterCursorWhere(after: string | null | undefined) {
  if (!after) return {};
  const { createdAt, id } = decodeCursor(after);
  return {
    OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }],
  };
}

export const keysetOrder = [{ createdAt: "desc" as const }, { id: "desc" as const }];

export interface Connection<T> {
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Runs a keyset page: `fetch` receives the extra where-clause and the number of rows to take
 * (one more than asked, to know whether a next page exists); `count` is only run when the client
 * selects totalCount.
 */
export async function paginate<T extends Position>(
  args: PageArgs,
  fetch: (page: { where: object; take: number; orderBy: typeof keysetOrder }) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  const size = pageSize(args.first);
  const rows = size === 0 ? [] : await fetch({ where: afterCursorWhere(args.after), take: size + 1, orderBy: keysetOrder });
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(node) }));
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
