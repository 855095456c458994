import { randomUUID } from "node:crypto";
import { Prisma } from "../src/generated/prisma/client";
import { searchStatement } from "../src/modules/search/search.service";
import {
  ArticleSourcingDocument,
  ArticlesSourcingDocument,
  ArticleTitlesDocument,
  SourceClaimsDocument,
  SourceNamesDocument,
  type ArticleSourcingQuery,
} from "./generated/operations";
import { gqlOk, gqlOkAs, type Actor } from "./support/client";
import { onDirectStatement } from "../src/db/prisma";
import { takeStatements, testPrisma } from "./support/environment";

/**
 * The number of SQL statements a nested read costs must not depend on how long its lists are:
 * each root field is one statement, the read planner compiling the whole tree (src/shared/planner).
 * Each world is built straight through Prisma (createMany), then read through GraphQL.
 */

interface World {
  slug: string;
  articleIds: string[];
  /** A source attributed in every claim of the world's articles. */
  sourceId: string;
}

const VERDICT_RATINGS = ["UNVERIFIED", "SUPPORTED", "MOSTLY_SUPPORTED", "MISLEADING", "DISPUTED", "REFUTED", "UNPROVABLE"] as const;

/**
 * `articles` articles (status PUBLISHED, newest last), each with `claims` claims; each claim with
 * `attributions` attributions (to as many distinct sources, each but the first carried "via" the
 * previous one), `rebuttals` rebuttals (by their own sources) and `verdicts` verdicts.
 */
async function buildWorld(tag: string, size: { articles: number; claims: number; attributions: number; rebuttals: number; verdicts: number }): Promise<World> {
  const prisma = await testPrisma();
  const sources = Array.from({ length: size.attributions + size.rebuttals }, (_, i) => ({
    id: randomUUID(),
    kind: "ORGANIZATION" as const,
    name: `${tag} source ${i}`,
  }));
  await prisma.source.createMany({ data: sources });
  const articles = Array.from({ length: size.articles }, (_, i) => ({
    id: randomUUID(),
    slug: `${tag}-article-${i}`,
    title: `${tag} article ${i}`,
    body: "Body.",
    status: "PUBLISHED" as const,
    // Strictly increasing, so that articles(first: n) returns exactly this world's articles.
    createdAt: new Date(Date.now() + i),
  }));
  await prisma.article.createMany({ data: articles });

  const claims: Prisma.ClaimCreateManyInput[] = [];
  const attributions: Prisma.AttributionCreateManyInput[] = [];
  const rebuttals: Prisma.ResponseCreateManyInput[] = [];
  const rebuttalClaims: Prisma.ResponseAnswerCreateManyInput[] = [];
  const verdicts: Prisma.VerdictCreateManyInput[] = [];
  for (const article of articles) {
    for (let c = 0; c < size.claims; c += 1) {
      const claimId = randomUUID();
      claims.push({ id: claimId, articleId: article.id, statement: `${tag} claim ${c}`, position: c });
      let previous: string | null = null;
      for (let a = 0; a < size.attributions; a += 1) {
        const id = randomUUID();
        attributions.push({ id, claimId, sourceId: sources[a]!.id, role: a === 0 ? "CLAIMANT" : "CONDUIT", viaId: previous });
        previous = id;
      }
      for (let r = 0; r < size.rebuttals; r += 1) {
        const id = randomUUID();
        rebuttals.push({ id, sourceId: sources[size.attributions + r]!.id, text: `${tag} rebuttal ${r}` });
        rebuttalClaims.push({ responseId: id, claimId, stance: "DISPUTES" });
      }
      for (let v = 0; v < size.verdicts; v += 1) verdicts.push({ claimId, rating: VERDICT_RATINGS[v % VERDICT_RATINGS.length]! });
    }
  }
  await prisma.claim.createMany({ data: claims });
  // In order: an attribution's "via" is always inserted before it.
  await prisma.attribution.createMany({ data: attributions });
  await prisma.response.createMany({ data: rebuttals });
  await prisma.responseAnswer.createMany({ data: rebuttalClaims });
  await prisma.verdict.createMany({ data: verdicts });
  return { slug: articles[0]!.slug, articleIds: articles.map((article) => article.id), sourceId: sources[0]!.id };
}

interface Counts {
  articleBySlug: number;
  articlesPage: number;
  sourceWithAttributions: number;
}

function claimTreeSize(claims: NonNullable<ArticleSourcingQuery["article"]>["claims"]) {
  return {
    claims: claims.length,
    attributions: claims[0]?.attributions.length,
    vias: claims[0]?.attributions.filter((attribution) => attribution.via?.source.id).length,
    rebuttals: claims[0]?.rebuttals.length,
    rebuttalClaims: claims[0]?.rebuttals[0]?.claims.length,
    verdicts: claims[0]?.verdicts.length,
  };
}

/** Runs the three nested reads as `actor`, checks they returned the whole world, counts statements. */
async function measure(actor: Actor, world: World, scale: number): Promise<Counts> {
  takeStatements();
  const one = await gqlOkAs(actor, ArticleSourcingDocument, { slug: world.slug });
  const articleBySlug = takeStatements().length;
  expect(claimTreeSize(one.article!.claims)).toEqual({
    claims: 20 * scale,
    attributions: 3 * scale,
    vias: 3 * scale - 1,
    rebuttals: 2 * scale,
    rebuttalClaims: 1,
    verdicts: scale,
  });

  const page = await gqlOkAs(actor, ArticlesSourcingDocument, { first: 20 * scale });
  const articlesPage = takeStatements().length;
  expect(page.articles.edges.map((edge) => edge.node.id).sort()).toEqual([...world.articleIds].sort());
  for (const edge of page.articles.edges) expect(edge.node.claims).toHaveLength(20 * scale);

  const source = await gqlOkAs(actor, SourceClaimsDocument, { id: world.sourceId });
  const sourceWithAttributions = takeStatements().length;
  // Attributed once in every claim of every article.
  expect(source.source!.attributions).toHaveLength(20 * scale * 20 * scale);
  expect(source.source!.attributions.every((attribution) => attribution.claim.article.id)).toBe(true);

  return { articleBySlug, articlesPage, sourceWithAttributions };
}

describe("statement counts of nested reads", () => {
  it("do not grow with the lists: twice the claims, attributions, rebuttals, verdicts and articles cost the same", async () => {
    const single = await buildWorld("single", { articles: 20, claims: 20, attributions: 3, rebuttals: 2, verdicts: 1 });
    const asEditor1 = await measure("EDITOR", single, 1);
    const anonymous1 = await measure(null, single, 1);

    const double = await buildWorld("double", { articles: 40, claims: 40, attributions: 6, rebuttals: 4, verdicts: 2 });
    const asEditor2 = await measure("EDITOR", double, 2);
    const anonymous2 = await measure(null, double, 2);

    // Printed for the record (visible with --verbose / in CI logs).
    console.info("statements per nested read (1x, 2x):", JSON.stringify({ editor: [asEditor1, asEditor2], anonymous: [anonymous1, anonymous2] }));
    // One statement per root field, whatever the size of the tree (the read planner).
    const oneEach = { articleBySlug: 1, articlesPage: 1, sourceWithAttributions: 1 };
    expect({ asEditor1, asEditor2, anonymous1, anonymous2 }).toEqual({ asEditor1: oneEach, asEditor2: oneEach, anonymous1: oneEach, anonymous2: oneEach });
  }, 120_000);
});

/**
 * The main reads must be answered from indexes. A few thousand rows are loaded and ANALYZEd so
 * that the planner's choices are those of a real database (no enable_seqscan tricks); then the
 * very statements Prisma sends (captured with their parameters) and the search statement are
 * EXPLAINed, and no plan may read article, claim, attribution or source sequentially.
 */
describe("query plans", () => {
  const OUTLETS = ["DW", "Reuters", "AFP", "AP", "BBC", "Le Monde", "El País", "Der Spiegel", "NZZ", "Tagesschau", "Guardian", "Kyiv Independent", "Meduza", "Politico", "Axios", "Bloomberg", "Nikkei", "Al Jazeera", "ORF", "RTS"];
  const WORDS = "report government minister said market trade border energy policy court election budget health school water city council police weather vote".split(" ");

  async function loadCorpus() {
    const prisma = await testPrisma();
    const sources = Array.from({ length: 3000 }, (_, i) => ({
      id: randomUUID(),
      kind: (["PERSON", "ORGANIZATION", "GOVERNMENT"] as const)[i % 3]!,
      name: `Source ${i} ${WORDS[i % WORDS.length]}`,
      description: `A ${WORDS[(i * 7) % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} source${i % 500 === 0 ? " of zeppelin parts" : ""}`,
    }));
    await prisma.source.createMany({ data: sources });
    const articles = Array.from({ length: 2000 }, (_, i) => ({
      id: randomUUID(),
      slug: `plan-article-${i}`,
      title: `The ${WORDS[i % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]} story ${i}`,
      body: Array.from({ length: 60 }, (_, w) => WORDS[(i * 13 + w * 7) % WORDS.length]).join(" ") + (i % 200 === 0 ? " zeppelin" : ""),
      language: i % 4 === 0 ? "de" : "en",
      status: (["PUBLISHED", "DRAFT", "IN_REVIEW", "ARCHIVED"] as const)[i % 4]!,
      outlet: OUTLETS[i % OUTLETS.length],
      publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000),
    }));
    await prisma.article.createMany({ data: articles });
    const claims = articles.flatMap((article, i) =>
      Array.from({ length: 3 }, (_, c) => ({
        id: randomUUID(),
        articleId: article.id,
        statement: `Claim ${c} of ${i}: the ${WORDS[(i + c) % WORDS.length]} ${WORDS[(i * c) % WORDS.length]}`,
        position: c,
        currentRating: VERDICT_RATINGS[(i + c) % VERDICT_RATINGS.length]!,
      })),
    );
    await prisma.claim.createMany({ data: claims });
    const attributions = claims.flatMap((claim, i) =>
      [0, 1, 2].map((a) => ({ claimId: claim.id, sourceId: sources[(i * 3 + a) % sources.length]!.id, role: (["CLAIMANT", "CONDUIT", "EVIDENCE"] as const)[a]! })),
    );
    await prisma.attribution.createMany({ data: attributions });
    await prisma.verdict.createMany({ data: claims.map((claim) => ({ claimId: claim.id, rating: claim.currentRating })) });
    const rebuttals = claims.filter((_, i) => i % 2 === 0).map((claim, i) => ({ id: randomUUID(), claimId: claim.id, sourceId: sources[(i * 7) % sources.length]!.id }));
    await prisma.response.createMany({ data: rebuttals.map(({ id, sourceId }) => ({ id, sourceId, text: "Denied." })) });
    await prisma.responseAnswer.createMany({ data: rebuttals.map(({ id, claimId }) => ({ responseId: id, claimId, stance: "DENIES" as const })) });
    // VACUUM too: it moves the rows just inserted from the GIN indexes' pending lists into the
    // indexes proper, as autovacuum does on a live database (until then the planner rightly prices
    // a GIN scan high: the pending list is read linearly).
    await prisma.$executeRawUnsafe("VACUUM ANALYZE article, claim, attribution, source, verdict, response, response_answer");
    return { articles, claims, sources };
  }

  it("use indexes for the main reads and for search: no sequential scan of article, claim, attribution or source", async () => {
    const prisma = await testPrisma();
    const corpus = await loadCorpus();

    let capturing = false;
    const captured: Array<{ query: string; params: unknown[] }> = [];
    prisma.$on("query" as never, (event: { query: string; params: string }) => {
      if (capturing) captured.push({ query: event.query, params: JSON.parse(event.params) as unknown[] });
    });
    onDirectStatement(prisma, (query, params) => {
      if (capturing) captured.push({ query, params });
    });
    const capture = async (work: () => Promise<unknown>) => {
      captured.length = 0;
      capturing = true;
      try {
        await work();
      } finally {
        capturing = false;
      }
      return [...captured];
    };
    const explain = async (query: string, params: unknown[]) => {
      const rows = await prisma.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(`EXPLAIN ${query}`, ...params);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    };
    const find = (statements: Array<{ query: string; params: unknown[] }>, pattern: RegExp) => {
      const statement = statements.find((s) => pattern.test(s.query));
      if (!statement) throw new Error(`no statement matches ${pattern}:\n${statements.map((s) => s.query).join("\n")}`);
      return statement;
    };
    const SEQ_SCAN = /Seq Scan on (article|claim|attribution|source|response|response_answer|verdict)\b/;

    const target = corpus.articles[8]!;
    const nested = await capture(() => gqlOk(ArticleSourcingDocument, { slug: target.slug }));
    const sourceTree = await capture(() => gqlOk(SourceClaimsDocument, { id: corpus.sources[5]!.id }));
    const filters = await capture(async () => {
      expect((await gqlOk(SourceNamesDocument, { filter: { name: "urce 1234 " } })).sources.edges).toHaveLength(1);
      expect((await gqlOk(SourceNamesDocument, { filter: { kind: ["GOVERNMENT"] } })).sources.edges).toHaveLength(20);
      expect((await gqlOk(ArticleTitlesDocument, { filter: { outlet: "der spiegel" } })).articles.edges).toHaveLength(20);
      const range = { publishedAfter: "2024-02-01T00:00:00Z", publishedBefore: "2024-02-08T00:00:00Z" };
      expect((await gqlOk(ArticleTitlesDocument, { filter: range })).articles.edges).toHaveLength(7);
    });
    const byVerdict = await capture(async () => {
      const result = await prisma.claim.findMany({ where: { currentRating: { in: ["REFUTED"] } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 21 });
      expect(result.length).toBe(21);
    });

    const plans: Record<string, string> = {
      // One statement each: the article with its claims, their verdicts, attributions (sources, via) and rebuttals.
      "article by slug, with its tree": await explain(...args(find(nested, /FROM article a\s+WHERE a\.slug = /))),
      "source by id, with its attributions, their claims and articles": await explain(...args(find(sourceTree, /FROM source r\s+WHERE r\.id = /))),
      "sources by name (case-insensitive substring)": await explain(...args(find(filters, /FROM source s\s+WHERE [^\n]*s\.name ILIKE /))),
      "sources by kind": await explain(...args(find(filters, /FROM source s\s+WHERE [^\n]*s\.kind = ANY/))),
      "articles by outlet (case-insensitive)": await explain(...args(find(filters, /FROM article a\s+WHERE [^\n]*a\.outlet ILIKE /))),
      "articles by publication date": await explain(...args(find(filters, /FROM article a\s+WHERE [^\n]*a\.published_at >= /))),
      "claims by verdict": await explain(...args(find(byVerdict, /FROM "public"\."claim" WHERE "public"\."claim"\."current_rating" IN /))),
    };
    for (const [query, viewer] of [["zeppelin", null], ["zeppelin", { id: randomUUID(), role: "EDITOR" as const, name: "E", email: "e@x" }], ["weather minister", null]] as const) {
      const statement = searchStatement({ query, viewer, after: null, limit: 21 });
      const rows = await prisma.$queryRaw<Array<{ "QUERY PLAN": string }>>(Prisma.sql`EXPLAIN ${statement}`);
      plans[`search "${query}" as ${viewer ? "staff" : "anonymous"}`] = rows.map((row) => row["QUERY PLAN"]).join("\n");
    }

    // For the record: which scans each plan uses.
    const scans = (plan: string) => [...new Set(plan.match(/(Index Only Scan using|Index Scan using|Index Scan Backward using|Bitmap Index Scan on|Seq Scan on) \S+/g) ?? [])];
    console.info(Object.entries(plans).map(([name, plan]) => `${name}: ${scans(plan).join(", ")}`).join("\n"));
    for (const [name, plan] of Object.entries(plans)) {
      expect({ name, seqScan: SEQ_SCAN.test(plan) ? plan : null }).toEqual({ name, seqScan: null });
      expect({ name, usesIndex: /Index (Only )?Scan|Bitmap Index Scan/.test(plan) ? true : plan }).toEqual({ name, usesIndex: true });
    }
    // Search reads the full-text indexes.
    for (const table of ["article", "claim", "source"]) {
      expect(plans['search "zeppelin" as staff']).toContain(`Bitmap Index Scan on ${table}_search_vector_idx`);
    }

    // Search is bounded: every read of a full-text index sits directly under a Limit (the matches
    // of each kind stop at SEARCH_BOUNDS.matchesPerKind), so no Sort and no ranking sees more rows
    // than that, whatever the number of matches. "weather" is in a quarter of the corpus.
    for (const [query, viewer] of [["weather", null], ["weather minister", { id: randomUUID(), role: "EDITOR" as const, name: "E", email: "e@x" }]] as const) {
      const statement = searchStatement({ query, viewer, after: null, limit: 21, select: { totalCount: true, snippet: true } });
      const [row] = await prisma.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>(Prisma.sql`EXPLAIN (FORMAT JSON) ${statement}`);
      const indexReads: Array<{ index: string; underLimit: boolean }> = [];
      const walk = (node: PlanNode, ancestors: PlanNode[]) => {
        if (node["Index Name"]?.endsWith("_search_vector_idx")) {
          // Above the index: the heap scan (and any BitmapAnd/BitmapOr), then the Limit.
          const above = ancestors.filter((a) => !/^(Bitmap Heap Scan|BitmapAnd|BitmapOr)$/.test(a["Node Type"]));
          indexReads.push({ index: node["Index Name"], underLimit: above[above.length - 1]?.["Node Type"] === "Limit" });
        }
        for (const child of node.Plans ?? []) walk(child, [...ancestors, node]);
      };
      walk(row!["QUERY PLAN"][0]!.Plan, []);
      expect(new Set(indexReads.map((read) => read.index))).toEqual(new Set(["article_search_vector_idx", "claim_search_vector_idx", "source_search_vector_idx"]));
      for (const read of indexReads) expect({ query, ...read }).toEqual({ query, index: read.index, underLimit: true });
    }
  }, 120_000);
});

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function args(statement: { query: string; params: unknown[] }): [string, unknown[]] {
  return [statement.query, statement.params];
}
