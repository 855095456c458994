import { createHash } from "node:crypto";
import {
  AuditPagesDocument,
  OrderedArticlesDocument,
  OrderedClaimsDocument,
  OrderedSourcesDocument,
  type ArticleOrderField,
  type ClaimOrderField,
  type OrderDirection,
} from "./generated/operations";
import { gql, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";
import { createArticle, createArticleWithClaims, createSource } from "./support/factories";

interface Page {
  edges: Array<{ cursor: string; node: { id: string } }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
}
type PageArgs = { first?: number; after?: string | null; last?: number; before?: string | null };

/** Every id, paging forward with `first: size`, checking pageInfo on the way. */
async function forward(fetch: (args: PageArgs) => Promise<Page>, size: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard += 1) {
    const page: Page = await fetch({ first: size, after });
    ids.push(...page.edges.map((edge) => edge.node.id));
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(page.pageInfo.startCursor ?? null).toBe(page.edges[0]?.cursor ?? null);
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor!;
  }
  throw new Error("paging forward did not end");
}

/** Every id, paging backward from the end with `last: size`, in the list's order. */
async function backward(fetch: (args: PageArgs) => Promise<Page>, size: number): Promise<string[]> {
  const pages: string[][] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 100; guard += 1) {
    const page: Page = await fetch({ last: size, before });
    pages.unshift(page.edges.map((edge) => edge.node.id));
    expect(page.pageInfo.hasNextPage).toBe(before !== null);
    expect(page.pageInfo.endCursor ?? null).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
    if (!page.pageInfo.hasPreviousPage) return pages.flat();
    before = page.pageInfo.startCursor!;
  }
  throw new Error("paging backward did not end");
}

/** The ids of `table` in the order the API documents (key NULLS LAST, then id, same direction), straight from SQL. */
async function expectedOrder(table: string, column: string, direction: OrderDirection, where = "TRUE"): Promise<string[]> {
  const prisma = await testPrisma();
  const rows = await prisma.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id::text AS id FROM ${table} WHERE ${where} ORDER BY ${column} ${direction} NULLS LAST, id ${direction}`);
  return rows.map((row) => row.id);
}

/** A deterministic shuffle (ids are random: ties on the key are broken by id). */
const scramble = <T>(items: T[]) => [...items].sort((a, b) => createHash("md5").update(JSON.stringify(a)).digest("hex").localeCompare(createHash("md5").update(JSON.stringify(b)).digest("hex")));

describe("ordered lists and backward pages", () => {
  it("orders articles by publishedAt (NULLs last), createdAt and title, forward and backward giving the same rows", async () => {
    const titles = ["Zebra crossing", "apple harvest", "Bridge budget", "Bridge budget", "Ćevapi festival", "Ferry timetable", "Harbour dues", "Mayor's pledge"];
    const prisma = await testPrisma();
    const dates = [null, "2021-03-01T10:00:00.000Z", null, "2021-03-01T10:00:00.000Z", "2019-12-31T23:59:59.999Z", "2024-06-01T00:00:00.000Z", null, "2020-01-01T00:00:00.000Z"];
    for (const [i, title] of scramble(titles).entries()) {
      const article = await createArticle({ title, body: "Text." });
      const at = dates[i];
      if (at) await prisma.article.update({ where: { id: article.id }, data: { publishedAt: new Date(at), publishedPrecision: "INSTANT" } });
    }
    const columns: Record<ArticleOrderField, string> = { PUBLISHED_AT: "published_at", CREATED_AT: "created_at", TITLE: "title" };
    for (const field of Object.keys(columns) as ArticleOrderField[]) {
      for (const direction of ["ASC", "DESC"] as const) {
        const fetch = async (args: PageArgs) => (await gqlOk(OrderedArticlesDocument, { ...args, orderBy: { field, direction } })).articles;
        const expected = await expectedOrder("article", columns[field], direction);
        for (const size of [1, 3]) {
          expect({ field, direction, size, ids: await forward(fetch, size) }).toEqual({ field, direction, size, ids: expected });
          expect({ field, direction, size, ids: await backward(fetch, size) }).toEqual({ field, direction, size, ids: expected });
        }
      }
    }
    // The default order is unchanged: newest record first, and direction defaults to DESC.
    const newest = await expectedOrder("article", "created_at", "DESC");
    expect((await gqlOk(OrderedArticlesDocument, { first: 20 })).articles.edges.map((edge) => edge.node.id)).toEqual(newest);
    expect((await gqlOk(OrderedArticlesDocument, { first: 20, orderBy: { field: "CREATED_AT" } })).articles.edges.map((edge) => edge.node.id)).toEqual(newest);
    const published = (await gqlOk(OrderedArticlesDocument, { first: 20, orderBy: { field: "PUBLISHED_AT", direction: "DESC" } })).articles.edges.map((edge) => edge.node.publishedAt);
    expect(published.slice(-3)).toEqual([null, null, null]);
    expect(published[0]).toBe("2024-06-01T00:00:00.000Z");
  });

  it("pages between two cursors, and forward from a cursor a backward page gave", async () => {
    for (const title of ["A", "B", "C", "D", "E", "F"]) await createArticle({ title, body: "Text." });
    const orderBy = { field: "TITLE", direction: "ASC" } as const;
    const all = (await gqlOk(OrderedArticlesDocument, { first: 6, orderBy })).articles.edges;
    expect(all.map((edge) => edge.node.title)).toEqual(["A", "B", "C", "D", "E", "F"]);
    const between = (await gqlOk(OrderedArticlesDocument, { after: all[0]!.cursor, before: all[4]!.cursor, first: 10, orderBy })).articles;
    expect(between.edges.map((edge) => edge.node.title)).toEqual(["B", "C", "D"]);
    const lastTwo = (await gqlOk(OrderedArticlesDocument, { last: 2, before: all[4]!.cursor, orderBy })).articles;
    expect(lastTwo.edges.map((edge) => edge.node.title)).toEqual(["C", "D"]);
    expect(lastTwo.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const next = (await gqlOk(OrderedArticlesDocument, { first: 5, after: lastTwo.pageInfo.endCursor, orderBy })).articles;
    expect(next.edges.map((edge) => edge.node.title)).toEqual(["E", "F"]);
    expect(next.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const first = (await gqlOk(OrderedArticlesDocument, { last: 10, orderBy })).articles;
    expect(first.edges.map((edge) => edge.node.title)).toEqual(["A", "B", "C", "D", "E", "F"]);
    expect(first.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: false });
    expect(first.totalCount).toBe(6);
  });

  it("orders claims by position or createdAt, within an article or across articles", async () => {
    const one = await createArticleWithClaims(["First.", "Second.", "Third.", "Fourth."]);
    await createArticleWithClaims(["Other first.", "Other second."]);
    const columns: Record<ClaimOrderField, string> = { POSITION: "position", CREATED_AT: "created_at" };
    for (const field of Object.keys(columns) as ClaimOrderField[]) {
      for (const direction of ["ASC", "DESC"] as const) {
        for (const filter of [{}, { articleId: one.article.id }]) {
          const fetch = async (args: PageArgs) => (await gqlOk(OrderedClaimsDocument, { ...args, filter, orderBy: { field, direction } })).claims;
          const expected = await expectedOrder("claim", columns[field], direction, "articleId" in filter ? `article_id = '${one.article.id}'` : "TRUE");
          expect(await forward(fetch, 2)).toEqual(expected);
          expect(await backward(fetch, 2)).toEqual(expected);
        }
      }
    }
    const reading = (await gqlOk(OrderedClaimsDocument, { first: 10, filter: { articleId: one.article.id }, orderBy: { field: "POSITION", direction: "ASC" } })).claims;
    expect(reading.edges.map((edge) => edge.node.id)).toEqual(one.claims.map((claim) => claim.id));
  });

  it("orders sources by name, for anonymous readers too (what they may see only)", async () => {
    for (const name of ["Reuters", "agence France-Presse", "Associated Press", "Kyodo", "Ansa"]) await createSource(name);
    await createSource("Reuters", "NEWS_OUTLET"); // the same name: the id breaks the tie
    const fetchAs = (actor: "EDITOR" | null, direction: OrderDirection) => async (args: PageArgs) =>
      (await gqlOkAs(actor, OrderedSourcesDocument, { ...args, orderBy: { field: "NAME", direction } })).sources;
    for (const direction of ["ASC", "DESC"] as const) {
      const expected = await expectedOrder("source", "name", direction);
      expect(await forward(fetchAs("EDITOR", direction), 2)).toEqual(expected);
      expect(await backward(fetchAs("EDITOR", direction), 2)).toEqual(expected);
      const anonymous = await forward(fetchAs(null, direction), 2);
      expect(await backward(fetchAs(null, direction), 2)).toEqual(anonymous);
    }
  });

  it("pages the audit log backward", async () => {
    for (const title of ["One", "Two", "Three", "Four", "Five"]) await createArticle({ title, body: "Text." });
    const fetch = async (args: PageArgs) => (await gqlOk(AuditPagesDocument, args)).auditLog;
    const ids = await forward(fetch, 2);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(await backward(fetch, 2)).toEqual(ids);
  });

  it("refuses first with last, a cursor of another order and a cursor it did not issue (BAD_USER_INPUT), changing nothing", async () => {
    for (const title of ["A", "B", "C"]) await createArticle({ title, body: "Text." });
    await createSource("Reuters");
    const before = await databaseSnapshot();
    const byTitle = (await gqlOk(OrderedArticlesDocument, { first: 1, orderBy: { field: "TITLE", direction: "ASC" } })).articles.pageInfo.endCursor!;
    const byDate = (await gqlOk(OrderedArticlesDocument, { first: 1 })).articles.pageInfo.endCursor!;
    const codes = [
      await gql(OrderedArticlesDocument, { first: 1, last: 1 }),
      await gql(OrderedArticlesDocument, { first: 1, after: byTitle }),
      await gql(OrderedArticlesDocument, { last: 1, before: byDate, orderBy: { field: "TITLE", direction: "ASC" } }),
      await gql(OrderedArticlesDocument, { first: 1, after: byTitle, orderBy: { field: "TITLE", direction: "DESC" } }),
      await gql(OrderedArticlesDocument, { last: 101 }),
      await gql(OrderedArticlesDocument, { last: -1 }),
      await gql(OrderedArticlesDocument, { before: "not a cursor", last: 1 }),
      await gql(OrderedSourcesDocument, { first: 1, after: byTitle, orderBy: { field: "NAME", direction: "ASC" } }),
      await gql(OrderedClaimsDocument, { last: 1, first: 1 }),
      await gql(AuditPagesDocument, { last: 1, first: 1 }),
      await gql(AuditPagesDocument, { last: 1, before: byDate }),
    ].map((result) => onlyError(result).extensions?.code);
    expect(codes).toEqual(Array(11).fill("BAD_USER_INPUT"));
    expect(await databaseSnapshot()).toEqual(before);
  });
});
