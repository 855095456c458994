import type { FastifyInstance } from "fastify";
import { DRAFT, STORY, STORY_SLUG, seedExampleStory } from "../prisma/seed-data/example-story";
import { PublishedReadCache } from "../src/http/published-cache";
import { issueToken } from "../src/modules/user/user.tokens";
import { createPrismaClient, poolOf, type PrismaClient } from "../src/db/prisma";
import { createServer } from "../src/server";
import {
  DeleteClaimDocument,
  RecordVerdictDocument,
  UpdateArticleDocument,
  UpdateAttributionDocument,
  UpdateClaimDocument,
  UpdateRebuttalDocument,
  UpdateSourceDocument,
} from "./generated/operations";
import { gqlOk, userFor } from "./support/client";
import { workerDatabaseUrl } from "./support/databases";
import { takeStatements, testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

// Real HTTP on an ephemeral port (see server.test.ts for why app.inject is not used).
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const STORY_QUERY = "query Story($slug: String) { article(slug: $slug) { title version claims { statement verdict { rating } } } }";
/** Everything a reader sees of the story that the invalidation tests change. */
const FULL_STORY = `query FullStory($slug: String) {
  article(slug: $slug) {
    id title version
    claims {
      id statement version verdict { rating }
      attributions { id quote version source { id name version } }
      rebuttals { id quote version source { id name } }
    }
  }
}`;

interface Story {
  id: string;
  title: string;
  version: number;
  claims: Array<{
    id: string;
    statement: string;
    version: number;
    verdict: { rating: string };
    attributions: Array<{ id: string; quote: string | null; version: number; source: { id: string; name: string; version: number } }>;
    rebuttals: Array<{ id: string; quote: string | null; version: number; source: { id: string; name: string } }>;
  }>;
}
type Answer = { data?: { article?: Story | null }; errors?: unknown[] };

interface Instance {
  cache: PublishedReadCache;
  post: (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<Answer>;
}

/** A server with its own published-read cache; `prisma` defaults to the test's (its statements are counted). */
async function instance(prisma?: PrismaClient): Promise<Instance> {
  const cache = new PublishedReadCache(workerDatabaseUrl());
  await cache.start();
  cleanups.push(() => cache.stop());
  const { app } = await createServer({ prisma: prisma ?? (await testPrisma()), config: testConfig(), publishedCache: cache });
  cleanups.push(() => (app as FastifyInstance).close());
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    cache,
    post: async (query, variables = { slug: STORY_SLUG }, headers = {}) => {
      const response = await fetch(`${address}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer;
    },
  };
}

async function start() {
  const prisma = await testPrisma();
  await seedExampleStory(prisma, { localUsers: false });
  return instance(prisma);
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs a write, and waits until `cache` has heard of it (its announcement, or nothing: see `announces`). */
async function written(cache: PublishedReadCache, write: () => Promise<unknown>) {
  const before = cache.currentGeneration;
  await write();
  await until(() => cache.currentGeneration > before, "the write's announcement");
}

/**
 * A write that announces nothing to the caches: proven by a notification sent right after it,
 * which arrives after the write's would have (notifications are delivered in commit order).
 */
async function writtenSilently(cache: PublishedReadCache, write: () => Promise<unknown>) {
  const before = cache.currentGeneration;
  await write();
  const prisma = await testPrisma();
  await written(cache, () => prisma.$executeRaw`SELECT pg_notify('claimdesk_content_changed', '{"tags":["Article:marker"]}')`);
  expect(cache.currentGeneration).toBe(before + 1); // the marker's announcement only
}

describe("the published-read cache", () => {
  it("answers a repeated anonymous query without touching the database", async () => {
    const { post, cache } = await start();
    const first = await post(STORY_QUERY);
    expect(first.data?.article?.title).toBe(STORY.title);
    expect(takeStatements().length).toBeGreaterThan(0);
    const second = await post(STORY_QUERY);
    expect(second).toEqual(first);
    expect(takeStatements()).toEqual([]);
    expect(cache.hits).toBe(1);
  });

  it("never serves signed-in staff from it", async () => {
    const { post } = await start();
    const editor = await userFor("EDITOR");
    const { token } = await issueToken(await testPrisma(), editor.id, "SESSION");
    await post(STORY_QUERY);
    await post(STORY_QUERY);
    takeStatements();
    const asStaff = await post(STORY_QUERY, undefined, { authorization: `Bearer ${token}` });
    expect(asStaff.data?.article?.title).toBe(STORY.title);
    expect(takeStatements().length).toBeGreaterThan(0);
  });

  it("keeps cached published reads when a draft is written (a second read is a hit)", async () => {
    const { post, cache } = await start();
    await post(STORY_QUERY);
    await writtenSilently(cache, () =>
      gqlOk(UpdateArticleDocument, { input: { id: DRAFT.id, expectedVersion: 1, title: "A draft's new title", body: `${DRAFT.body} More.` } }),
    );
    const hits = cache.hits;
    takeStatements();
    expect((await post(STORY_QUERY)).data?.article?.title).toBe(STORY.title);
    expect(cache.hits).toBe(hits + 1);
    expect(takeStatements()).toEqual([]);
  });

  it("keeps article A's cached read when another published article is written", async () => {
    const { post, cache } = await start();
    const prisma = await testPrisma();
    const other = await prisma.article.create({ data: { slug: "another-story", title: "Another story", body: "Text.", status: "PUBLISHED" } });
    await post(STORY_QUERY);
    await written(cache, () => gqlOk(UpdateArticleDocument, { input: { id: other.id, expectedVersion: other.version, title: "Another story, corrected" } }));
    const hits = cache.hits;
    expect((await post(STORY_QUERY)).data?.article?.title).toBe(STORY.title);
    expect(cache.hits).toBe(hits + 1);
  });

  it("drops the reads that show what a write to the article's claim, attribution, verdict or rebuttal, or a source rename, changed", async () => {
    const { post, cache } = await start();
    const read = async () => (await post(FULL_STORY)).data!.article!;
    /** Reads twice (the second a hit), writes, then reads once: a miss that shows the change. */
    const check = async (write: (story: Story) => Promise<unknown>, shows: (story: Story) => boolean) => {
      const story = await read();
      const hits = cache.hits;
      expect(await read()).toEqual(story);
      expect(cache.hits).toBe(hits + 1);
      expect(shows(story)).toBe(false);
      await written(cache, () => write(story));
      const misses = cache.misses;
      const after = await read();
      expect(cache.misses).toBe(misses + 1);
      expect(shows(after)).toBe(true);
    };
    const claim = (story: Story) => story.claims[4]!;
    const attribution = (story: Story) => claim(story).attributions[1]!;
    const rebuttal = (story: Story) => story.claims[0]!.rebuttals[0]!;

    await check(
      (story) => gqlOk(UpdateClaimDocument, { input: { id: claim(story).id, expectedVersion: claim(story).version, statement: "A corrected statement." } }),
      (story) => claim(story).statement === "A corrected statement.",
    );
    await check(
      (story) => gqlOk(UpdateAttributionDocument, { input: { id: attribution(story).id, expectedVersion: attribution(story).version, quote: "A corrected quote" } }),
      (story) => attribution(story).quote === "A corrected quote",
    );
    await check(
      (story) => gqlOk(RecordVerdictDocument, { input: { claimId: claim(story).id, rating: "DISPUTED", rationale: "Disputed since." } }),
      (story) => claim(story).verdict.rating === "DISPUTED",
    );
    await check(
      (story) => gqlOk(UpdateRebuttalDocument, { input: { id: rebuttal(story).id, expectedVersion: rebuttal(story).version, quote: "A corrected denial" } }),
      (story) => rebuttal(story).quote === "A corrected denial",
    );
    await check(
      (story) => {
        const { source } = attribution(story);
        return gqlOk(UpdateSourceDocument, { input: { id: source.id, expectedVersion: source.version, name: "Renamed source" } });
      },
      (story) => attribution(story).source.name === "Renamed source",
    );
  });

  it("drops a cached lookup of an attribution when its claim is deleted (rows a deletion takes with it are announced)", async () => {
    const { post, cache } = await start();
    const story = (await post(FULL_STORY)).data!.article!;
    const claim = story.claims[4]!;
    const LOOKUP = "query Attribution($id: ID!) { attribution(id: $id) { id quote } }";
    const lookup = async () => (await post(LOOKUP, { id: claim.attributions[0]!.id })).data as { attribution: { id: string } | null };
    expect((await lookup()).attribution?.id).toBe(claim.attributions[0]!.id);
    const hits = cache.hits;
    await lookup();
    expect(cache.hits).toBe(hits + 1);
    await written(cache, () => gqlOk(DeleteClaimDocument, { input: { id: claim.id, expectedVersion: claim.version } }));
    expect((await lookup()).attribution).toBeNull();
  });

  it("never keeps a read that raced a write, across two instances (the fill started before the write, ended after it)", async () => {
    const prisma = await testPrisma();
    await seedExampleStory(prisma, { localUsers: false });
    const other = createPrismaClient(workerDatabaseUrl(), { poolSize: 3 });
    cleanups.push(() => other.$disconnect());
    const writer = await instance(prisma);
    const reader = await instance(other);
    const editor = await userFor("EDITOR");
    const { token } = await issueToken(prisma, editor.id, "SESSION");

    // Both instances hold the story.
    for (const server of [writer, reader]) {
      await server.post(STORY_QUERY);
      expect((await server.post(STORY_QUERY)).data?.article?.title).toBe(STORY.title);
    }
    expect([writer.cache.hits, reader.cache.hits]).toEqual([1, 1]);

    // A fill of the reader (a query it has not cached) is made to straddle the write: its one
    // statement reads the story (the old title), then its answer is held back until the write has
    // been announced.
    const RACING_QUERY = STORY_QUERY.replace("query Story", "query StoryAgain");
    const pool = poolOf(other)!;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let readDone!: () => void;
    const read = new Promise<void>((resolve) => (readDone = resolve));
    pool.query = ((...args: unknown[]) =>
      query(...args).then(async (result) => {
        readDone();
        await held;
        return result;
      })) as typeof pool.query;
    const racing = reader.post(RACING_QUERY);
    await read;
    pool.query = query as typeof pool.query; // only the racing fill is held

    // The write, through the other instance, commits while the fill waits; both caches hear of it.
    const generation = reader.cache.currentGeneration;
    const answer = await writer.post(
      "mutation Retitle($input: UpdateArticleInput!) { updateArticle(input: $input) { title } }",
      { input: { id: STORY.id, expectedVersion: 1, title: "Retitled while a reader filled" } },
      { authorization: `Bearer ${token}` },
    );
    expect(answer.errors).toBeUndefined();
    await until(() => reader.cache.currentGeneration > generation, "the reader to hear of the write");

    // The fill ends after the invalidation: it answered what it read, and was not stored.
    release();
    expect((await racing).data?.article?.title).toBe(STORY.title);
    const misses = reader.cache.misses;
    expect((await reader.post(RACING_QUERY)).data?.article?.title).toBe("Retitled while a reader filled");
    expect(reader.cache.misses).toBe(misses + 1);
    expect((await reader.post(STORY_QUERY)).data?.article?.title).toBe("Retitled while a reader filled");
    expect((await writer.post(STORY_QUERY)).data?.article?.title).toBe("Retitled while a reader filled");
  });

  it("serves nothing from the cache once it stops listening", async () => {
    const { post, cache } = await start();
    await post(STORY_QUERY);
    await post(STORY_QUERY);
    expect(cache.hits).toBe(1);
    await cache.stop();
    takeStatements();
    const answer = await post(STORY_QUERY);
    expect(answer.data?.article?.title).toBe(STORY.title);
    expect(takeStatements().length).toBeGreaterThan(0);
    expect(cache.hits).toBe(1);
  });

  it("keeps within its byte and entry budgets, least recently used first", async () => {
    await testPrisma();
    const cache = new PublishedReadCache(workerDatabaseUrl(), () => {}, { maxBytes: 1_000, maxEntries: 100 });
    await cache.start();
    cleanups.push(() => cache.stop());
    const data = (n: number) => ({ text: "é".repeat(100), n }); // 200 bytes of UTF-8 in 100 characters
    const tags = new Set(["Article:a"]);
    for (let n = 0; n < 4; n++) cache.set(`key-${n}`, data(n), tags, cache.currentGeneration);
    expect(cache.get("key-0")).toBe(JSON.stringify(data(0))); // now the most recently used
    cache.set("key-4", data(4), tags, cache.currentGeneration); // ~220 bytes each: 4 fit in 1,000, not 5
    expect(cache.get("key-1")).toBeUndefined();
    expect(cache.get("key-0")).toBeDefined();
    expect(cache.size.entries).toBe(4);
    expect(cache.size.bytes).toBeLessThanOrEqual(1_000);

    const few = new PublishedReadCache(workerDatabaseUrl(), () => {}, { maxBytes: 1_000_000, maxEntries: 2 });
    await few.start();
    cleanups.push(() => few.stop());
    for (let n = 0; n < 3; n++) few.set(`key-${n}`, data(n), tags, few.currentGeneration);
    expect([few.get("key-0"), few.size.entries]).toEqual([undefined, 2]);
  });

  it("never stores a result computed before an invalidation of what it read, and drops only what a write names", async () => {
    await testPrisma();
    const cache = new PublishedReadCache(workerDatabaseUrl());
    await cache.start();
    cleanups.push(() => cache.stop());
    const prisma = await testPrisma();
    const announce = (payload: string) => written(cache, () => prisma.$executeRaw`SELECT pg_notify('claimdesk_content_changed', ${payload})`);

    cache.set("a", { n: 1 }, new Set(["Article:a", "Claim:c"]), cache.currentGeneration);
    cache.set("b", { n: 2 }, new Set(["Article:b", "list:Article"]), cache.currentGeneration);
    const computedAt = cache.currentGeneration;
    await announce(JSON.stringify({ tags: ["Claim:c"] }));
    expect([cache.get("a"), cache.get("b")]).toEqual([undefined, '{"n":2}']);
    expect(cache.set("late", { n: 3 }, new Set(["Claim:c"]), computedAt)).toBeUndefined(); // read before the write
    expect(cache.set("unrelated", { n: 4 }, new Set(["Article:b"]), computedAt)).toBe('{"n":4}'); // not concerned by it

    await announce(JSON.stringify({ tags: ["list:Article"] }));
    expect(cache.get("b")).toBeUndefined();
    await announce("not json"); // unreadable, or an older instance's empty payload: everything
    expect(cache.size.entries).toBe(0);
    expect(cache.set("older", { n: 5 }, new Set(["Article:z"]), computedAt)).toBeUndefined();
  });
});
