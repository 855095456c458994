import { randomUUID } from "node:crypto";
import { SearchCountDocument, SearchDocument, SearchIdsDocument, type SearchIdsQuery, type SearchQuery } from "./generated/operations";
import { SEARCH_BOUNDS } from "../src/modules/search/search.service";
import { gql, gqlAs, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { databaseSnapshot, takeStatements, testPrisma } from "./support/environment";

type Status = "DRAFT" | "IN_REVIEW" | "PUBLISHED" | "ARCHIVED";
let counter = 0;

async function article(fields: { title: string; summary?: string; body?: string; language?: string; status?: Status }) {
  const prisma = await testPrisma();
  counter += 1;
  return prisma.article.create({
    data: { slug: `search-${counter}`, title: fields.title, summary: fields.summary ?? null, body: fields.body ?? "", language: fields.language ?? "en", status: fields.status ?? "PUBLISHED" },
  });
}

async function claim(articleId: string, statement: string, quote?: string) {
  const prisma = await testPrisma();
  return prisma.claim.create({ data: { articleId, statement, quote: quote ?? null } });
}

async function source(name: string, description?: string) {
  const prisma = await testPrisma();
  return prisma.source.create({ data: { kind: "ORGANIZATION", name, description: description ?? null } });
}

type Edge = SearchQuery["search"]["edges"][number];
const itemId = (edge: Edge) => edge.node.item.id;

describe("search", () => {
  it("ranks a title hit above a body hit, and answers a Relay connection", async () => {
    const inBody = await article({ title: "Weather in Berlin", body: "Rain all week. Officials said nothing about sanctions or anything else of note today." });
    const inTitle = await article({ title: "New sanctions against Moscow", body: "Rain all week. Officials said nothing about the weather or anything else of note today." });
    await article({ title: "Unrelated", body: "Nothing to see here." });

    const { search } = await gqlOk(SearchDocument, { query: "sanctions" });
    expect(search.totalCount).toBe(2);
    expect(search.edges.map(itemId)).toEqual([inTitle.id, inBody.id]);
    expect(search.edges[0]!.node.rank).toBeGreaterThan(search.edges[1]!.node.rank);
    for (const edge of search.edges) {
      expect(edge.node.rank).toBeGreaterThan(0);
      expect(edge.node.rank).toBeLessThan(1);
    }
    expect(search.edges[0]!.node.snippet).toContain("<mark>sanctions</mark>");
    expect(search.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false, startCursor: search.edges[0]!.cursor, endCursor: search.edges[1]!.cursor });
  });

  it("finds each kind, says what it is and highlights the match", async () => {
    const story = await article({ title: "Supply chains", body: "Exports of microelectronics grew sharply, the report says." });
    const made = await claim(story.id, "China supplied 90% of Russia's microelectronics imports in 2023", "90 percent of microelectronics");
    const agency = await source("Microelectronics Industry Association", "Trade body of chip makers");

    const { search } = await gqlOk(SearchDocument, { query: "microelectronics" });
    expect(search.totalCount).toBe(3);
    const byKind = new Map(search.edges.map((edge) => [edge.node.kind, edge.node]));
    expect([...byKind.keys()].sort()).toEqual(["ARTICLE", "CLAIM", "SOURCE"]);

    const articleHit = byKind.get("ARTICLE")!;
    expect(articleHit.item).toMatchObject({ __typename: "Article", id: story.id, slug: story.slug });
    expect(articleHit.snippet).toContain("<mark>microelectronics</mark>");

    const claimHit = byKind.get("CLAIM")!;
    expect(claimHit.item).toMatchObject({ __typename: "Claim", id: made.id, article: { id: story.id } });
    expect(claimHit.snippet).toContain("<mark>microelectronics</mark>");

    const sourceHit = byKind.get("SOURCE")!;
    expect(sourceHit.item).toMatchObject({ __typename: "Source", id: agency.id, name: agency.name });
    expect(sourceHit.snippet).toBe("<mark>Microelectronics</mark> Industry Association Trade body of chip makers");
  });

  it("escapes HTML in snippets: only the <mark> tags are markup", async () => {
    await article({ title: "Markup", body: `A <script>alert("x")</script> tag, 5 < 6 & a "quoted" sanctions <b>word</b>.` });
    const { search } = await gqlOk(SearchDocument, { query: "sanctions" });
    const snippet = search.edges[0]!.node.snippet;
    expect(snippet).toContain("<mark>sanctions</mark>");
    expect(snippet).toContain("5 &lt; 6 &amp; a &quot;quoted&quot;");
    expect(snippet.replaceAll("<mark>", "").replaceAll("</mark>", "")).not.toMatch(/[<>]/);
  });

  it("matches in the article's language: German word forms through the german configuration", async () => {
    const german = await article({
      title: "Neue Maßnahmen",
      body: "Die Regierung verhängte gestern weitere Sanktionen gegen mehrere russische Banken.",
      language: "de",
    });
    const germanClaim = await claim(german.id, "Die Sanktionen treffen die russischen Banken");
    // The same words in an article tagged English are stemmed by english, which leaves them as they are.
    await article({ title: "Neue Maßnahmen (en)", body: "Die Regierung verhängte gestern weitere Sanktionen gegen mehrere russische Banken.", language: "en" });

    // "Sanktion" and "Bank" appear only as "Sanktionen" and "Banken": german stems them alike.
    const { search } = await gqlOk(SearchDocument, { query: "Sanktion Bank" });
    expect(search.edges.map(itemId).sort()).toEqual([german.id, germanClaim.id].sort());
    expect(search.edges.find((edge) => edge.node.kind === "ARTICLE")!.node.snippet).toContain("<mark>Sanktionen</mark>");
    expect(search.edges.find((edge) => edge.node.kind === "CLAIM")!.node.snippet).toContain("<mark>Banken</mark>");

    // German stop words are not indexed for the German article; the English one keeps "die".
    const stop = await gqlOk(SearchDocument, { query: "die" });
    expect(stop.search.edges.map((edge) => edge.node.kind)).toEqual(["ARTICLE"]);
    expect(stop.search.edges[0]!.node.item).toMatchObject({ title: "Neue Maßnahmen (en)" });
  });

  it("re-indexes an article's claims when its language changes", async () => {
    const story = await article({ title: "Bericht", body: "Text.", language: "en" });
    const made = await claim(story.id, "Die Sanktionen treffen die Banken");
    expect((await gqlOk(SearchDocument, { query: "Sanktion" })).search.totalCount).toBe(0);
    const prisma = await testPrisma();
    await prisma.article.update({ where: { id: story.id }, data: { language: "de-AT" } });
    const { search } = await gqlOk(SearchDocument, { query: "Sanktion" });
    expect(search.edges.map(itemId)).toEqual([made.id]);
  });

  it("understands web-search syntax: phrases, or, exclusions", async () => {
    const both = await article({ title: "China and Russia", body: "Trade between China and Russia." });
    const chinaOnly = await article({ title: "China", body: "Trade with China." });
    const russiaOnly = await article({ title: "Russia", body: "Trade with Russia." });
    const ids = async (query: string) => (await gqlOk(SearchDocument, { query })).search.edges.map(itemId).sort();
    expect(await ids("china russia")).toEqual([both.id]);
    expect(await ids('"china and russia"')).toEqual([both.id]);
    expect(await ids("china -russia")).toEqual([chinaOnly.id]);
    expect(await ids("china or russia")).toEqual([both.id, chinaOnly.id, russiaOnly.id].sort());
  });

  it("pages with stable keyset cursors, ties broken by kind and id, and counts every hit", async () => {
    // 12 articles, 8 claims and 5 sources with the same text: equal ranks within each kind.
    const expected = new Set<string>();
    const host = await article({ title: "Host", body: "No match here." });
    for (let i = 0; i < 12; i += 1) expected.add((await article({ title: "Pipeline report", body: "Text." })).id);
    for (let i = 0; i < 8; i += 1) expected.add((await claim(host.id, "The pipeline was damaged")).id);
    for (let i = 0; i < 5; i += 1) expected.add((await source(`Pipeline operator ${i}`)).id);

    const seen: Edge[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { search }: SearchQuery = await gqlOk(SearchDocument, { query: "pipeline", first: 10, after });
      expect(search.totalCount).toBe(pages === 0 ? 25 : 27);
      expect(search.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...search.edges);
      pages += 1;
      // The same cursor gives the same page again.
      if (after) expect((await gqlOk(SearchDocument, { query: "pipeline", first: 10, after })).search.edges.map(itemId)).toEqual(search.edges.map(itemId));
      if (pages === 1) {
        // Writes between pages (a better hit, a worse one) neither repeat nor skip what was already paged.
        await article({ title: "Pipeline pipeline pipeline", body: "Pipeline." });
        await article({ title: "Other", body: "A long text that mentions the pipeline once among many other words of no interest." });
      }
      if (!search.pageInfo.hasNextPage) break;
      after = search.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    const ids = seen.map(itemId);
    expect(new Set(ids).size).toBe(ids.length);
    // All 25 original hits, plus the worse hit written meanwhile (it ranks after the cursor); the better one ranks before it.
    expect(ids.filter((id) => expected.has(id))).toHaveLength(25);
    expect(ids).toHaveLength(26);
    const ranks = seen.map((edge) => edge.node.rank);
    expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
    // Equal ranks: articles, then claims, then sources, each by id (descending).
    for (let i = 1; i < seen.length; i += 1) {
      const [prev, next] = [seen[i - 1]!.node, seen[i]!.node];
      if (prev.rank !== next.rank) continue;
      const order = { ARTICLE: 3, CLAIM: 2, SOURCE: 1 };
      expect(order[prev.kind] > order[next.kind] || (prev.kind === next.kind && prev.item.id > next.item.id)).toBe(true);
    }
  });

  it("caps first at 100 like every connection, and refuses a forged cursor", async () => {
    await article({ title: "Capped" });
    const over = onlyError(await gql(SearchDocument, { query: "capped", first: 101 }));
    expect(over.extensions?.code).toBe("BAD_USER_INPUT");
    expect(over.message).toContain("first");
    expect(onlyError(await gql(SearchDocument, { query: "capped", first: -1 })).extensions?.code).toBe("BAD_USER_INPUT");
    expect((await gqlOk(SearchDocument, { query: "capped", first: 100 })).search.totalCount).toBe(1);
    const forged = onlyError(await gql(SearchDocument, { query: "capped", after: "bm90IGEgY3Vyc29y" }));
    expect(forged.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const tooLong = onlyError(await gql(SearchDocument, { query: "x".repeat(2001) }));
    expect(tooLong.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "query" });
  });

  it("answers an empty connection when there is nothing to search for", async () => {
    await article({ title: "The quick brown fox" });
    await article({ title: "A lazy dog" });
    for (const query of ["", "   \t\n ", "!!! ... ,,, ???", "the and of", "-fox", "\u0000"]) {
      const { search } = await gqlOk(SearchDocument, { query });
      expect(search).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, edges: [] });
    }
  });

  it("never errors on hostile queries and changes nothing", async () => {
    const story = await article({ title: "Drop table article", body: "Quotes ' and \" and backslashes \\ and operators & | ! ( ) :* <-> < > ; -- appear here." });
    await claim(story.id, "Article tables are dropped");
    await source("O'Brien & Partners", "Law firm");
    const before = await databaseSnapshot();
    const hostile = [
      '"unterminated',
      "a & | ! ( ) :*",
      "'; DROP TABLE article; --",
      "\\",
      "'",
      "\\'",
      "& | ! ( ) : * < > <-> <2>",
      "!!!",
      "((((",
      "a:* & b:A | !c",
      "o'brien",
      "\u0000 NUL \u0000",
      "\ud800 lone surrogate",
      "x".repeat(1000),
      "ä".repeat(1000),
      "🦊".repeat(500),
      "word ".repeat(200).trim(),
      "'; SELECT pg_sleep(10); --".repeat(30).slice(0, 1000),
    ];
    for (const query of hostile) {
      const result = await gql(SearchDocument, { query });
      expect({ query, errors: result.errors }).toEqual({ query, errors: undefined });
      expect(result.data?.search.totalCount).toBeGreaterThanOrEqual(0);
    }
    expect((await gqlOk(SearchDocument, { query: "'; DROP TABLE article; --" })).search.edges.map((edge) => edge.node.kind).sort()).toEqual(["ARTICLE", "CLAIM"]);
    expect((await gqlOk(SearchDocument, { query: "o'brien" })).search.edges.map((edge) => edge.node.kind)).toEqual(["SOURCE"]);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("searches the first 16 words of a long query and ignores the rest", async () => {
    const words = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa".split(" ");
    const story = await article({ title: "Alphabet", body: words.join(" ") });
    const ids = async (query: string) => (await gqlOk(SearchDocument, { query })).search.edges.map(itemId);
    expect(await ids(words.join(" "))).toEqual([story.id]);
    expect(await ids(`${words.join(" ")} quebec`)).toEqual([story.id]);
    expect(await ids(`${words.slice(0, 15).join(" ")} quebec`)).toEqual([]);
  });

  it("costs one statement, the items' trees included, whatever the page size", async () => {
    const story = await article({ title: "Harbour report" });
    for (let i = 0; i < 30; i += 1) await claim(story.id, `Harbour claim ${i}`);
    for (let i = 0; i < 30; i += 1) await source(`Harbour authority ${i}`);
    const count = async (query: string, first: number) => {
      takeStatements();
      expect((await gqlOk(SearchDocument, { query, first })).search.edges).toHaveLength(first);
      return takeStatements().length;
    };
    // Sources, claims (with their articles), or all three kinds: one statement (the read planner).
    expect(await count("authority", 3)).toBe(1);
    expect(await count("authority", 30)).toBe(1);
    expect(await count("claim", 3)).toBe(1);
    expect(await count("claim", 30)).toBe(1);
    expect(await count("harbour", 61)).toBe(1);
    expect(await count("   ", 0)).toBe(0);
  });

  it("counts only when totalCount is selected, highlights only when snippet is, and caps the count at 1,000", async () => {
    const story = await article({ title: "Host" });
    const prisma = await testPrisma();
    const over = SEARCH_BOUNDS.countCap + 2;
    await prisma.claim.createMany({ data: Array.from({ length: over }, (_, i) => ({ articleId: story.id, statement: `The quarry flooded ${i}` })) });

    takeStatements();
    const counted = await gqlOk(SearchCountDocument, { query: "quarry" });
    expect(counted.search).toEqual({ totalCount: SEARCH_BOUNDS.countCap, totalCountIsExact: false });
    const [countStatement] = takeStatements();
    expect(countStatement).toContain("count(*)");
    expect(countStatement).not.toContain("ts_headline");

    // Neither totalCount nor snippet selected: the statement neither counts nor highlights.
    const ids = await gqlOk(SearchIdsDocument, { query: "quarry", first: 5 });
    expect(ids.search.edges).toHaveLength(5);
    const [idsStatement] = takeStatements();
    expect(idsStatement).toMatch(/claimdesk_websearch_each/);
    expect(idsStatement).not.toContain("count(*)");
    expect(idsStatement).not.toContain("ts_headline");

    // Under the cap the count is exact.
    const few = await gqlOk(SearchCountDocument, { query: "host" });
    expect(few.search).toEqual({ totalCount: 1, totalCountIsExact: true });
  });

  it("ranks a bounded set of articles: title and summary matches first, then the most recent; paging stops at the bound", async () => {
    const prisma = await testPrisma();
    const extra = 5;
    const bodyOnly = SEARCH_BOUNDS.rankedArticles + extra;
    // The one title match is the oldest article of all: it is ranked anyway.
    const titled = await prisma.article.create({
      data: { slug: "bounded-title", title: "Lighthouse keepers", body: "Nothing else.", language: "en", status: "PUBLISHED", publishedAt: new Date(Date.UTC(2000, 0, 1)) },
    });
    const day = 86_400_000;
    const created = [];
    for (let i = 0; i < bodyOnly; i += 1) {
      created.push({ id: randomUUID(), slug: `bounded-${i}`, title: `Coast report ${i}`, body: "The lighthouse was repainted.", language: "en", status: "PUBLISHED" as const, publishedAt: new Date(Date.UTC(2020, 0, 1) + i * day) });
    }
    await prisma.article.createMany({ data: created });
    // Besides the title match, the most recent body-only matches are ranked; the oldest are past the bound.
    const newest = new Set(created.slice(bodyOnly - (SEARCH_BOUNDS.rankedArticles - 1)).map((row) => row.id));

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { search }: SearchIdsQuery = await gqlOk(SearchIdsDocument, { query: "lighthouse", first: 40, after });
      seen.push(...search.edges.map((edge) => edge.node.item.id));
      if (!search.pageInfo.hasNextPage) break;
      after = search.pageInfo.endCursor;
    }
    expect(seen[0]).toBe(titled.id);
    expect(seen).toHaveLength(SEARCH_BOUNDS.rankedArticles);
    expect(new Set(seen.slice(1))).toEqual(newest);
    // The count is not bounded by the ranking: every hit, exactly.
    expect((await gqlOk(SearchCountDocument, { query: "lighthouse" })).search).toEqual({ totalCount: bodyOnly + 1, totalCountIsExact: true });
  });

  it("shows anonymous readers published work only, and staff everything", async () => {
    const published = await article({ title: "Published embargo story", status: "PUBLISHED" });
    const draft = await article({ title: "Draft embargo story", status: "DRAFT" });
    const archived = await article({ title: "Archived embargo story", status: "ARCHIVED" });
    const publishedClaim = await claim(published.id, "The embargo holds");
    const draftClaim = await claim(draft.id, "The embargo leaks");
    const prisma = await testPrisma();
    const cited = await source("Embargo watchdog");
    const uncited = await source("Embargo whistleblower");
    const rebutter = await source("Embargo ministry");
    await prisma.attribution.create({ data: { claimId: publishedClaim.id, sourceId: cited.id, role: "CLAIMANT" } });
    await prisma.attribution.create({ data: { claimId: draftClaim.id, sourceId: uncited.id, role: "CLAIMANT" } });
    await prisma.response.create({ data: { sourceId: rebutter.id, text: "Denied", answers: { create: [{ claimId: publishedClaim.id, stance: "DENIES" }] } } });

    const anonymous = await gqlOkAs(null, SearchDocument, { query: "embargo" });
    expect(anonymous.search.edges.map(itemId).sort()).toEqual([published.id, publishedClaim.id, cited.id, rebutter.id].sort());
    expect(anonymous.search.totalCount).toBe(4);

    const all = [published.id, draft.id, archived.id, publishedClaim.id, draftClaim.id, cited.id, uncited.id, rebutter.id].sort();
    for (const role of ["REPORTER", "FACT_CHECKER", "EDITOR", "ADMIN"] as const) {
      const result = await gqlAs(role, SearchDocument, { query: "embargo" });
      expect(result.errors).toBeUndefined();
      expect(result.data!.search.edges.map(itemId).sort()).toEqual(all);
    }
  });
});
