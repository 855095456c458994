import { randomUUID } from "node:crypto";
import type { Prisma } from "../src/generated/prisma/client";
import { ArticleListingDocument, type ArticleFilter } from "./generated/operations";
import { gqlOkAs, type Actor } from "./support/client";
import { testPrisma } from "./support/environment";

/**
 * `articles(filter)` is one hand-written statement: for every filter (and combination), as
 * anonymous reader and as staff, it must select what Prisma's `findMany` selects with the
 * equivalent `where` (the form the list used before), in the same order, page after page, with
 * the same count.
 */
const STATUSES = ["DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED"] as const;
const OUTLETS = ["Reuters", "reuters", "AFP", null] as const;
const RATINGS = ["UNVERIFIED", "REFUTED", "SUPPORTED"] as const;

function prismaWhere(filter: ArticleFilter, viewer: Actor): Prisma.ArticleWhereInput {
  const claim: Prisma.ClaimWhereInput[] = [];
  if (filter.sourceId) claim.push({ attributions: { some: { sourceId: filter.sourceId } } });
  if (filter.verdict) claim.push({ currentRating: filter.verdict });
  return {
    AND: [
      viewer ? {} : { status: "PUBLISHED" },
      filter.status?.length ? { status: { in: filter.status } } : {},
      filter.outlet ? { outlet: { equals: filter.outlet, mode: "insensitive" } } : {},
      filter.language ? { language: filter.language } : {},
      filter.publishedAfter ? { publishedAt: { gte: new Date(filter.publishedAfter) } } : {},
      filter.publishedBefore ? { publishedAt: { lt: new Date(filter.publishedBefore) } } : {},
      claim.length ? { claims: { some: { AND: claim } } } : {},
    ],
  };
}

describe("articles(filter) in SQL", () => {
  it("selects, orders, pages and counts as Prisma's findMany does", async () => {
    const prisma = await testPrisma();
    const sources = [randomUUID(), randomUUID()];
    await prisma.source.createMany({ data: sources.map((id, i) => ({ id, kind: "PERSON" as const, name: `S${i}` })) });
    // Several articles share a created_at, so that the id tie-break matters across pages.
    const base = Date.UTC(2025, 0, 1);
    const articles = Array.from({ length: 48 }, (_, i) => ({
      id: randomUUID(),
      slug: `filter-${i}`,
      title: `Article ${i}`,
      status: STATUSES[i % 4]!,
      outlet: OUTLETS[i % 4 === 0 ? (i / 4) % 4 : i % 3]!,
      language: i % 5 === 0 ? "de" : "en",
      publishedAt: i % 6 === 0 ? null : new Date(base + (i % 12) * 86_400_000),
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
    }));
    await prisma.article.createMany({ data: articles });
    for (const [i, article] of articles.entries()) {
      if (i % 7 === 6) continue; // some articles without claims
      const claims = [0, 1].map((c) => ({ id: randomUUID(), articleId: article.id, statement: `c${c}`, position: c, currentRating: RATINGS[(i + c) % 3]! }));
      await prisma.claim.createMany({ data: claims });
      await prisma.attribution.createMany({ data: claims.flatMap((claim, c) => ((i + c) % 2 ? [{ claimId: claim.id, sourceId: sources[(i + c) % 4 === 1 ? 0 : 1]!, role: "CLAIMANT" as const }] : [])) });
    }

    const filters: ArticleFilter[] = [
      {},
      { status: ["DRAFT", "ARCHIVED"] },
      { status: [] },
      { outlet: "REUTERS" },
      { outlet: "afp", language: "en" },
      { language: "de" },
      { publishedAfter: new Date(base + 3 * 86_400_000).toISOString() },
      { publishedBefore: new Date(base + 5 * 86_400_000).toISOString() },
      { publishedAfter: new Date(base + 2 * 86_400_000).toISOString(), publishedBefore: new Date(base + 9 * 86_400_000).toISOString(), status: ["PUBLISHED"] },
      { sourceId: sources[0]! },
      { verdict: "REFUTED" },
      { sourceId: sources[1]!, verdict: "SUPPORTED" },
      { sourceId: randomUUID() },
    ];
    const sizes = new Set<number>();
    for (const viewer of [null, "EDITOR"] as const) {
      for (const filter of filters) {
        const where = prismaWhere(filter, viewer);
        const expected = await prisma.article.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
        sizes.add(expected.length);
        const { articles: all } = await gqlOkAs(viewer, ArticleListingDocument, { first: 100, filter });
        const label = JSON.stringify({ viewer, filter });
        const rows = all.edges.map(({ node }) => ({ id: node.id, title: node.title, status: node.status, outlet: node.outlet, publishedAt: node.publishedAt }));
        const expectedRows = expected.map((row) => ({ id: row.id, title: row.title, status: row.status, outlet: row.outlet, publishedAt: row.publishedAt?.toISOString() ?? null }));
        expect({ label, rows }).toStrictEqual({ label, rows: expectedRows });
        expect({ label, count: all.totalCount }).toEqual({ label, count: await prisma.article.count({ where }) });
        // Page by page (3 at a time): the same rows in the same order.
        const paged = [];
        let after: string | null = null;
        for (;;) {
          const { articles: page }: { articles: typeof all } = await gqlOkAs(viewer, ArticleListingDocument, { first: 3, after, filter });
          paged.push(...page.edges.map((edge) => edge.node.id));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor ?? null;
        }
        expect({ label, ids: paged }).toEqual({ label, ids: expected.map((row) => row.id) });
      }
    }
    // Not vacuous: the filters select many different sets, from none to all 48.
    expect(sizes.size).toBeGreaterThan(8);
    expect(sizes).toContain(0);
    expect(sizes).toContain(48);
  }, 60_000);
});
