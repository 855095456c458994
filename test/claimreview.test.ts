/**
 * ClaimReview (issue 11, part 2): Verdict.reviewUrl, Claim.claimReview and
 * GET /claimreview/<slug>.jsonld, checked against a JSON Schema of Google's required and
 * recommended properties (test/support/claimreview.schema.json); anonymity never leaks,
 * unpublished work never appears, UNVERIFIED claims are absent, one statement per batch.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { ConfigError, parseConfig } from "../src/config";
import { createServer } from "../src/server";
import { PublishedReadCache } from "../src/http/published-cache";
import { claimReviewsForArticles } from "../src/modules/claimreview";
import {
  ArticleByIdDocument,
  ArticleClaimReviewsDocument,
  ClaimReviewOfClaimDocument,
  ClaimsClaimReviewsDocument,
  PublishArticleDocument,
  RecordReviewedVerdictDocument,
  ReturnArticleDocument,
  SubmitArticleDocument,
  UpdateArticleDocument,
  UpdateSourceDocument,
  type RecordVerdictInput,
  type VerdictRating,
} from "./generated/operations";
import { gql, gqlOk, gqlOkAs } from "./support/client";
import { testConfig } from "./support/config";
import { workerDatabaseUrl } from "./support/databases";
import { takeStatements, testPrisma } from "./support/environment";
import { attribute, createArticle, createClaim, createSource, failsWithoutChange } from "./support/factories";

type Review = Record<string, unknown> & { url: string; reviewRating: Record<string, unknown>; itemReviewed: Record<string, unknown> };

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validateReview = ajv.compile(JSON.parse(readFileSync(path.join(__dirname, "support", "claimreview.schema.json"), "utf8")) as object);

function expectValid(review: unknown): asserts review is Review {
  const valid = validateReview(review);
  if (!valid) throw new Error(`ClaimReview invalid: ${JSON.stringify(validateReview.errors, null, 2)}\n${JSON.stringify(review, null, 2)}`);
}

/** The test server's default (development) publisher: test/support/config.ts sets no CLAIMREVIEW_* variable. */
const DEV_PUBLISHER = { "@type": "Organization", name: "claimdesk (development)", url: "http://localhost:4000/" };

const NAMED = "Mayor Ada Lindqvist";
const ANONYMOUS = "Deputy Harbourmaster Rolf Secretname";
const PARTIAL = "Inspector Mira Quietly";

async function verdict(input: RecordVerdictInput) {
  return (await gqlOk(RecordReviewedVerdictDocument, { input })).recordVerdict;
}

async function publish(articleId: string) {
  const { article } = await gqlOk(ArticleByIdDocument, { id: articleId });
  const submitted = (await gqlOk(SubmitArticleDocument, { input: { id: articleId, expectedVersion: article!.version } })).submitArticle;
  return (await gqlOk(PublishArticleDocument, { input: { id: articleId, expectedVersion: submitted.version } })).publishArticle;
}

/**
 * A made-up story: the harbour bridge tolls. Claims: `named` (a named claimant, REFUTED, with a
 * reviewUrl), `anonymous` (an ANONYMOUS claimant, MISLEADING), `partial` (a PARTIAL government
 * claimant, UNPROVABLE), `unverified` (UNVERIFIED) and `noUrl` (SUPPORTED, no reviewUrl).
 */
async function harbourStory({ published = true } = {}) {
  const slug = `harbour-tolls-${randomUUID().slice(0, 8)}`;
  const article = await createArticle({
    title: "Harbour bridge tolls to triple, council says",
    slug,
    body: "The council says tolls will triple.",
    url: "https://news.example.org/harbour-tolls",
    outlet: "Harbour Gazette",
    publishedAt: "2026-03-02T09:30:00.000Z",
  });
  const mayor = await createSource(NAMED, "PERSON", { url: "https://city.example.org/mayor" });
  const deputy = await createSource(ANONYMOUS, "PERSON");
  const inspector = await createSource(PARTIAL, "GOVERNMENT");
  const claim = (statement: string) => createClaim({ articleId: article.id, statement });
  const named = await claim("Bridge tolls will triple next year.");
  const anonymous = await claim("The bridge lost money every year since 2019.");
  const partial = await claim("Maintenance costs doubled in 2025.");
  const unverified = await claim("The toll booths will be removed.");
  const noUrl = await claim("The bridge carries 40,000 cars a day.");
  for (const c of [named, unverified, noUrl]) await attribute({ claimId: c.id, sourceId: mayor.id, role: "CLAIMANT" });
  await attribute({ claimId: anonymous.id, sourceId: deputy.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: "Not authorised to speak." });
  await attribute({ claimId: partial.id, sourceId: inspector.id, role: "CLAIMANT", anonymity: "PARTIAL", anonymityReason: "Fear of reprisal." });
  await verdict({ claimId: named.id, rating: "REFUTED", reviewUrl: "https://facts.example.org/checks/harbour-tolls" });
  await verdict({ claimId: anonymous.id, rating: "MISLEADING", reviewUrl: "https://facts.example.org/checks/harbour-tolls#losses" });
  await verdict({ claimId: partial.id, rating: "UNPROVABLE", reviewUrl: "https://facts.example.org/checks/harbour-tolls#costs" });
  await verdict({ claimId: unverified.id, rating: "UNVERIFIED" });
  await verdict({ claimId: noUrl.id, rating: "SUPPORTED" });
  if (published) await publish(article.id);
  return { slug, article, claims: { named, anonymous, partial, unverified, noUrl }, sources: { mayor, deputy, inspector } };
}

async function reviewOf(claimId: string, actor: "EDITOR" | null = null) {
  return (await gqlOkAs(actor, ClaimReviewOfClaimDocument, { id: claimId })).claim!.claimReview as Review | null;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A real HTTP server (its own configuration), listening on a free port: its address. */
async function server(env: Record<string, string> = {}) {
  const { app } = await createServer({ prisma: await testPrisma(), config: testConfig(env) });
  cleanups.push(() => app.close());
  return app.listen({ port: 0, host: "127.0.0.1" });
}

async function get(address: string, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${address}${url}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Claim.claimReview through that server's /graphql. */
async function claimReviewOverHttp(address: string, id: string) {
  const response = await fetch(`${address}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "query ($id: ID!) { claim(id: $id) { claimReview } }", variables: { id } }),
  });
  return (await response.json());
}

describe("Verdict.reviewUrl", () => {
  it("is recorded with the verdict, trimmed; an empty one is null", async () => {
    const article = await createArticle();
    const claim = await createClaim({ articleId: article.id, statement: "Tolls will triple." });
    const recorded = await verdict({ claimId: claim.id, rating: "REFUTED", reviewUrl: "  https://facts.example.org/checks/tolls  " });
    expect(recorded).toMatchObject({ rating: "REFUTED", reviewUrl: "https://facts.example.org/checks/tolls" });
    expect((await gqlOk(ClaimReviewOfClaimDocument, { id: claim.id })).claim!.verdict).toEqual({ rating: "REFUTED", reviewUrl: "https://facts.example.org/checks/tolls" });
    expect((await verdict({ claimId: claim.id, rating: "SUPPORTED", reviewUrl: "" })).reviewUrl).toBeNull();
    expect((await verdict({ claimId: claim.id, rating: "SUPPORTED" })).reviewUrl).toBeNull();
  });

  it.each([
    ["a relative URL", "/checks/tolls"],
    ["another scheme", "ftp://facts.example.org/checks"],
    ["not a URL", "see our website"],
    ["longer than 2048 characters", `https://facts.example.org/${"a".repeat(2048)}`],
  ])("refuses %s with BAD_USER_INPUT naming the field, and writes nothing", async (_label, reviewUrl) => {
    const article = await createArticle();
    const claim = await createClaim({ articleId: article.id, statement: "Tolls will triple." });
    const error = await failsWithoutChange(() => gql(RecordReviewedVerdictDocument, { input: { claimId: claim.id, rating: "REFUTED", reviewUrl } }));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("input.reviewUrl");
  });
});

describe("Claim.claimReview", () => {
  it("is schema.org ClaimReview JSON-LD meeting Google's requirements, for a named claimant", async () => {
    const { claims, article } = await harbourStory();
    const review = await reviewOf(claims.named.id);
    expectValid(review);
    expect(review).toEqual({
      "@context": "https://schema.org",
      "@type": "ClaimReview",
      url: "https://facts.example.org/checks/harbour-tolls",
      claimReviewed: "Bridge tolls will triple next year.",
      datePublished: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      author: DEV_PUBLISHER,
      reviewRating: { "@type": "Rating", ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: "Refuted", name: "Refuted" },
      itemReviewed: {
        "@type": "Claim",
        author: { "@type": "Person", name: NAMED, sameAs: "https://city.example.org/mayor" },
        datePublished: "2026-03-02T09:30:00.000Z",
        appearance: { "@type": "CreativeWork", url: "https://news.example.org/harbour-tolls", name: article.title, datePublished: "2026-03-02T09:30:00.000Z" },
      },
    });
    // The review's date is the verdict's.
    const prisma = await testPrisma();
    const latest = await prisma.verdict.findFirstOrThrow({ where: { claimId: claims.named.id }, orderBy: { sequence: "desc" } });
    expect(review.datePublished).toBe(latest.createdAt.toISOString());
    // Staff read the same thing.
    expect(await reviewOf(claims.named.id, "EDITOR")).toEqual(review);
  });

  it("never names an ANONYMOUS or PARTIAL claimant: a generic description stands in", async () => {
    const { claims, slug } = await harbourStory();
    const anonymous = await reviewOf(claims.anonymous.id);
    const partial = await reviewOf(claims.partial.id);
    expectValid(anonymous);
    expectValid(partial);
    expect(anonymous.itemReviewed.author).toEqual({ "@type": "Person", name: "Unnamed source" });
    expect(partial.itemReviewed.author).toEqual({ "@type": "Organization", name: "Unnamed officials" });
    const everything = JSON.stringify([anonymous, partial, (await gqlOkAs(null, ArticleClaimReviewsDocument, { slug })).article]);
    const route = (await get(await server(), `/claimreview/${slug}.jsonld`)).text;
    for (const text of [everything, route]) {
      for (const secret of [ANONYMOUS, PARTIAL, "Secretname", "Quietly", "Not authorised", "reprisal"]) expect(text).not.toContain(secret);
    }
    expect(route).toContain(NAMED);
  });

  it("prefers a named claimant, and never uses a REPUDIATED or DISPUTED attribution", async () => {
    const { claims, sources } = await harbourStory();
    const prisma = await testPrisma();
    // A second CLAIMANT of the anonymous claim, named: it becomes the author.
    await prisma.attribution.create({ data: { claimId: claims.anonymous.id, sourceId: sources.mayor.id, role: "CLAIMANT", anonymity: "NAMED" } });
    expect((await reviewOf(claims.anonymous.id))!.itemReviewed.author).toEqual({ "@type": "Person", name: NAMED, sameAs: "https://city.example.org/mayor" });
    // The mayor never said it (misattribution): back to the unnamed claimant.
    await prisma.attribution.updateMany({ where: { claimId: claims.anonymous.id, sourceId: sources.mayor.id }, data: { status: "REPUDIATED" } });
    expect((await reviewOf(claims.anonymous.id))!.itemReviewed.author).toEqual({ "@type": "Person", name: "Unnamed source" });
    await prisma.attribution.updateMany({ where: { claimId: claims.anonymous.id }, data: { status: "DISPUTED" } });
    const review = await reviewOf(claims.anonymous.id);
    expectValid(review);
    expect(review.itemReviewed).not.toHaveProperty("author");
  });

  it("maps every rating onto the documented 1..5 scale with a human label; UNVERIFIED gives null", async () => {
    const expected: Record<VerdictRating, { ratingValue?: number; alternateName: string } | null> = {
      SUPPORTED: { ratingValue: 5, alternateName: "Supported" },
      MOSTLY_SUPPORTED: { ratingValue: 4, alternateName: "Mostly supported" },
      DISPUTED: { ratingValue: 3, alternateName: "Disputed" },
      MISLEADING: { ratingValue: 2, alternateName: "Misleading" },
      REFUTED: { ratingValue: 1, alternateName: "Refuted" },
      UNPROVABLE: { alternateName: "Unprovable" },
      UNVERIFIED: null,
    };
    const { claims } = await harbourStory();
    for (const [rating, want] of Object.entries(expected) as Array<[VerdictRating, (typeof expected)[VerdictRating]]>) {
      const recorded = await verdict({ claimId: claims.named.id, rating, reviewUrl: "https://facts.example.org/checks/harbour-tolls" });
      const review = recorded.claim.claimReview as Review | null;
      if (want === null) {
        expect(review).toBeNull();
        continue;
      }
      expectValid(review);
      expect(review.reviewRating).toEqual({
        "@type": "Rating",
        ...(want.ratingValue !== undefined ? { ratingValue: want.ratingValue, bestRating: 5, worstRating: 1 } : {}),
        alternateName: want.alternateName,
        name: want.alternateName,
      });
      expect(await reviewOf(claims.named.id)).toEqual(review);
    }
  });

  it("is null for UNVERIFIED claims and for a verdict without a fact-check URL", async () => {
    const { claims } = await harbourStory();
    expect(await reviewOf(claims.unverified.id)).toBeNull();
    expect(await reviewOf(claims.noUrl.id)).toBeNull();
  });

  it("is null while the article is not PUBLISHED, for staff too, and again once it is returned to DRAFT", async () => {
    const { claims, article } = await harbourStory({ published: false });
    expect(await reviewOf(claims.named.id, "EDITOR")).toBeNull();
    expect((await gqlOkAs(null, ClaimReviewOfClaimDocument, { id: claims.named.id })).claim).toBeNull();
    const published = await publish(article.id);
    expectValid(await reviewOf(claims.named.id, "EDITOR"));
    await gqlOk(ReturnArticleDocument, { input: { id: article.id, expectedVersion: published.version, reason: "A correction is due." } });
    expect(await reviewOf(claims.named.id, "EDITOR")).toBeNull();
  });

  it("carries the claim's first appearance (its origin work) and partial dates as precise as known", async () => {
    const { claims } = await harbourStory();
    const prisma = await testPrisma();
    const work = await prisma.work.create({
      data: { type: "INTERVIEW", title: "Mayor on the bridge budget", url: "https://radio.example.org/mayor-interview", publishedAt: new Date("2026-01-01T00:00:00Z"), publishedPrecision: "MONTH" },
    });
    await prisma.claim.update({ where: { id: claims.named.id }, data: { originWorkId: work.id } });
    const review = await reviewOf(claims.named.id);
    expectValid(review);
    expect(review.itemReviewed.firstAppearance).toEqual({ "@type": "CreativeWork", url: "https://radio.example.org/mayor-interview", name: "Mayor on the bridge budget", datePublished: "2026-01" });
    // The claim was made when it first appeared.
    expect(review.itemReviewed.datePublished).toBe("2026-01");
  });

  it("reads ONE statement for a whole list of claims, whatever its length", async () => {
    const counts: number[] = [];
    for (const size of [2, 12]) {
      const article = await createArticle({ title: `List ${size}`, url: "https://news.example.org/list" });
      const source = await createSource(`Source ${size}`, "ORGANIZATION");
      const ids: string[] = [];
      for (let i = 0; i < size; i += 1) {
        const claim = await createClaim({ articleId: article.id, statement: `Claim ${i}.` });
        await attribute({ claimId: claim.id, sourceId: source.id, role: "CLAIMANT" });
        await verdict({ claimId: claim.id, rating: "SUPPORTED", reviewUrl: `https://facts.example.org/${i}` });
        ids.push(claim.id);
      }
      const { slug } = await publish(article.id);
      takeStatements();
      const read = await gqlOkAs(null, ArticleClaimReviewsDocument, { slug });
      counts.push(takeStatements().length);
      expect(read.article!.claims.map((claim) => claim.id)).toEqual(ids);
      for (const claim of read.article!.claims) expectValid(claim.claimReview);
      takeStatements();
      const listed = await gqlOkAs(null, ClaimsClaimReviewsDocument, { first: 50, filter: { articleId: article.id } });
      expect(takeStatements()).toHaveLength(2);
      expect(listed.claims.edges.filter((edge) => edge.node.claimReview !== null)).toHaveLength(size);
    }
    // The article's statement and the claim reviews' statement.
    expect(counts).toEqual([2, 2]);
  });
});

describe("GET /claimreview/<slug>.jsonld", () => {
  it("serves the article's reviews as application/ld+json, cacheable, without UNVERIFIED claims or reviews without a URL", async () => {
    const { slug, claims } = await harbourStory();
    const address = await server();
    const response = await get(address, `/claimreview/${slug}.jsonld`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/ld+json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const reviews = JSON.parse(response.text) as Review[];
    for (const review of reviews) expectValid(review);
    // Claim order; the UNVERIFIED claim and the one without a fact-check URL are absent.
    expect(reviews.map((review) => review.claimReviewed)).toEqual([claims.named.statement, claims.anonymous.statement, claims.partial.statement]);
    // Each review is exactly the claim's Claim.claimReview.
    expect(reviews[0]).toEqual(await reviewOf(claims.named.id));
    // Revalidation: the ETag answers 304.
    const etag = response.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(address, `/claimreview/${slug}.jsonld`, { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
  });

  it("answers 404 for an unknown slug, an unpublished article and anything not ending in .jsonld", async () => {
    const draft = await harbourStory({ published: false });
    const published = await harbourStory();
    const address = await server();
    for (const url of [`/claimreview/${draft.slug}.jsonld`, "/claimreview/no-such-article.jsonld", `/claimreview/${published.slug}`, `/claimreview/${published.slug}.json`, `/claimreview/${"x".repeat(300)}.jsonld`]) {
      const response = await get(address, url);
      expect([url, response.status, response.headers.get("cache-control")]).toEqual([url, 404, "no-store"]);
    }
    expect((await get(address, `/claimreview/${published.slug}.jsonld`)).status).toBe(200);
  });

  it("answers [] for a published article with no review", async () => {
    const { slug, claims } = await harbourStory();
    const prisma = await testPrisma();
    await prisma.claim.deleteMany({ where: { id: { in: [claims.named.id, claims.anonymous.id, claims.partial.id] } } });
    const response = await get(await server(), `/claimreview/${slug}.jsonld`);
    expect([response.status, JSON.parse(response.text)]).toEqual([200, []]);
  });
});

describe("the published-read cache", () => {
  it("keeps anonymous answers with claimReview, and drops them when the claimant, the verdict or the article changes", async () => {
    const { slug, claims, sources, article } = await harbourStory();
    const cache = new PublishedReadCache(workerDatabaseUrl());
    await cache.start();
    cleanups.push(() => cache.stop());
    const { app } = await createServer({ prisma: await testPrisma(), config: testConfig(), publishedCache: cache });
    cleanups.push(() => app.close());
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const read = async () => {
      const response = await fetch(`${address}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "query ($slug: String) { article(slug: $slug) { claims { id claimReview } } }", variables: { slug } }),
      });
      const body = (await response.json()) as { data: { article: { claims: Array<{ id: string; claimReview: Review | null }> } } };
      return body.data.article.claims.find((claim) => claim.id === claims.named.id)!.claimReview!;
    };
    /** Reads (a miss), reads again (a hit), writes and waits for the announcement, then reads: a miss showing the change. */
    const check = async (write: () => Promise<unknown>, shows: (review: Review) => boolean) => {
      const before = await read();
      const hits = cache.hits;
      expect(await read()).toEqual(before);
      expect(cache.hits).toBe(hits + 1);
      expect(shows(before)).toBe(false);
      const generation = cache.currentGeneration;
      await write();
      for (let attempt = 0; attempt < 100 && cache.currentGeneration === generation; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
      const misses = cache.misses;
      expect(shows(await read())).toBe(true);
      expect(cache.misses).toBe(misses + 1);
    };
    await check(
      () => gqlOk(UpdateSourceDocument, { input: { id: sources.mayor.id, expectedVersion: sources.mayor.version, name: "Mayor Ada Lindqvist-Berg" } }),
      (review) => (review.itemReviewed.author as { name: string }).name === "Mayor Ada Lindqvist-Berg",
    );
    await check(
      () => verdict({ claimId: claims.named.id, rating: "MOSTLY_SUPPORTED", reviewUrl: "https://facts.example.org/checks/harbour-tolls-update" }),
      (review) => review.url === "https://facts.example.org/checks/harbour-tolls-update",
    );
    const { article: current } = await gqlOk(ArticleByIdDocument, { id: article.id });
    await check(
      () => gqlOk(UpdateArticleDocument, { input: { id: article.id, expectedVersion: current!.version, url: "https://news.example.org/harbour-tolls-corrected" } }),
      (review) => (review.itemReviewed.appearance as { url: string }).url === "https://news.example.org/harbour-tolls-corrected",
    );
  });
});

describe("configuration", () => {
  it("publishes as the configured organisation, and fills the fact-check URL template for verdicts without one", async () => {
    const { slug, claims } = await harbourStory();
    const address = await server({
      CLAIMREVIEW_PUBLISHER_NAME: "Harbour Fact Desk",
      CLAIMREVIEW_PUBLISHER_URL: "https://facts.example.org/",
      CLAIMREVIEW_URL_TEMPLATE: "https://facts.example.org/articles/{articleSlug}#claim-{claimId}",
    });
    const reviews = JSON.parse((await get(address, `/claimreview/${slug}.jsonld`)).text) as Review[];
    expect(reviews.map((review) => review.url)).toEqual([
      "https://facts.example.org/checks/harbour-tolls",
      "https://facts.example.org/checks/harbour-tolls#losses",
      "https://facts.example.org/checks/harbour-tolls#costs",
      `https://facts.example.org/articles/${slug}#claim-${claims.noUrl.id}`,
    ]);
    for (const review of reviews) {
      expectValid(review);
      expect(review.author).toEqual({ "@type": "Organization", name: "Harbour Fact Desk", url: "https://facts.example.org/" });
    }
    // Claim.claimReview through this server's /graphql: the same organisation (each server its own).
    expect(await claimReviewOverHttp(address, claims.noUrl.id)).toEqual({ data: { claim: { claimReview: reviews[3] } } });
    expect((await reviewOf(claims.named.id))!.author).toEqual(DEV_PUBLISHER);
    // The same with graphql-js executing (GRAPHQL_JIT=off).
    const plain = await server({ CLAIMREVIEW_PUBLISHER_NAME: "Plain Desk", GRAPHQL_JIT: "off" });
    expect(await claimReviewOverHttp(plain, claims.named.id)).toMatchObject({ data: { claim: { claimReview: { author: { "@type": "Organization", name: "Plain Desk" } } } } });
  });

  it("is off in production until the publisher is configured: the route answers 404 and the field null", async () => {
    const { slug, claims } = await harbourStory();
    const address = await server({ NODE_ENV: "production" });
    expect((await get(address, `/claimreview/${slug}.jsonld`)).status).toBe(404);
    expect(await claimReviewOverHttp(address, claims.named.id)).toEqual({ data: { claim: { claimReview: null } } });
    expect(parseConfig({ NODE_ENV: "production", CLAIMREVIEW_PUBLISHER_NAME: " Harbour Fact Desk " }).claimReview).toEqual({ publisher: { name: "Harbour Fact Desk", url: null }, urlTemplate: null });
  });

  it("refuses bad CLAIMREVIEW_* values with a message naming the variable", () => {
    expect(() => parseConfig({ CLAIMREVIEW_PUBLISHER_NAME: "Desk", CLAIMREVIEW_PUBLISHER_URL: "facts.example.org" })).toThrow(/CLAIMREVIEW_PUBLISHER_URL must be an absolute http\(s\) URL/);
    expect(() => parseConfig({ CLAIMREVIEW_PUBLISHER_URL: "https://facts.example.org/" })).toThrow(ConfigError);
    expect(() => parseConfig({ CLAIMREVIEW_PUBLISHER_URL: "https://facts.example.org/" })).toThrow(/CLAIMREVIEW_PUBLISHER_URL needs CLAIMREVIEW_PUBLISHER_NAME/);
    expect(() => parseConfig({ CLAIMREVIEW_URL_TEMPLATE: "/articles/{articleSlug}" })).toThrow(/CLAIMREVIEW_URL_TEMPLATE must be an absolute http\(s\) URL/);
    expect(parseConfig({ CLAIMREVIEW_URL_TEMPLATE: "https://facts.example.org/{articleId}/{claimId}" }).claimReview.urlTemplate).toBe("https://facts.example.org/{articleId}/{claimId}");
  });
});

describe("claimReviewsForArticles (the export's ClaimReview mode)", () => {
  it("gives each published article's reviews in ONE statement; unpublished and unknown articles are absent", async () => {
    const one = await harbourStory();
    const two = await harbourStory();
    const draft = await harbourStory({ published: false });
    const prisma = await testPrisma();
    const settings = testConfig().claimReview;
    takeStatements();
    const byArticle = await claimReviewsForArticles(prisma, [one.article.id, two.article.id, draft.article.id, randomUUID()], settings);
    expect(takeStatements()).toHaveLength(1);
    expect([...byArticle.keys()].sort()).toEqual([one.article.id, two.article.id].sort());
    const reviews = byArticle.get(one.article.id)!;
    expect(reviews).toHaveLength(3);
    for (const review of reviews) expectValid(review);
    expect(reviews[0]).toEqual(await reviewOf(one.claims.named.id));
    expect(await claimReviewsForArticles(prisma, [one.article.id], { publisher: null, urlTemplate: null })).toEqual(new Map());
  });
});
