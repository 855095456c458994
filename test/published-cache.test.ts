import type { FastifyInstance } from "fastify";
import { STORY, STORY_SLUG, seedExampleStory } from "../prisma/seed-data/example-story";
import { PublishedReadCache } from "../src/http/published-cache";
import { issueToken } from "../src/modules/user/user.tokens";
import { createServer } from "../src/server";
import { CreateArticleDocument, UpdateArticleDocument } from "./generated/operations";
import { gqlOk, userFor } from "./support/client";
import { workerDatabaseUrl } from "./support/databases";
import { takeStatements, testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

// Real HTTP on an ephemeral port (see server.test.ts for why app.inject is not used).
let app: FastifyInstance | undefined;
let cache: PublishedReadCache | undefined;
afterEach(async () => {
  await app?.close();
  await cache?.stop();
  app = undefined;
  cache = undefined;
});

const STORY_QUERY = "query Story($slug: String) { article(slug: $slug) { title version claims { statement verdict { rating } } } }";

async function start() {
  const prisma = await testPrisma();
  await seedExampleStory(prisma, { localUsers: false });
  cache = new PublishedReadCache(workerDatabaseUrl());
  await cache.start();
  ({ app } = await createServer({ prisma, config: testConfig(), publishedCache: cache }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${address}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables: { slug: STORY_SLUG } }),
    });
    return (await response.json()) as { data?: { article?: { title: string; version: number } }; errors?: unknown[] };
  };
}

async function until(condition: () => Promise<boolean>, what: string) {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("the published-read cache", () => {
  it("answers a repeated anonymous query without touching the database", async () => {
    const post = await start();
    const first = await post(STORY_QUERY);
    expect(first.data?.article?.title).toBe(STORY.title);
    expect(takeStatements().length).toBeGreaterThan(0);
    const second = await post(STORY_QUERY);
    expect(second).toEqual(first);
    expect(takeStatements()).toEqual([]);
    expect(cache!.hits).toBe(1);
  });

  it("never serves signed-in staff from it", async () => {
    const post = await start();
    const editor = await userFor("EDITOR");
    const { token } = await issueToken(await testPrisma(), editor.id, "SESSION");
    await post(STORY_QUERY);
    await post(STORY_QUERY);
    takeStatements();
    const asStaff = await post(STORY_QUERY, { authorization: `Bearer ${token}` });
    expect(asStaff.data?.article?.title).toBe(STORY.title);
    expect(takeStatements().length).toBeGreaterThan(0);
  });

  it("is emptied by every committed write, from any instance, so readers see the change", async () => {
    const post = await start();
    const before = await post(STORY_QUERY);
    await post(STORY_QUERY); // now cached
    await gqlOk(UpdateArticleDocument, { input: { id: STORY.id, expectedVersion: before.data!.article!.version, title: "A corrected headline" } });
    await until(async () => (await post(STORY_QUERY)).data?.article?.title === "A corrected headline", "the cache to be invalidated");
    const after = await post(STORY_QUERY);
    expect(after.data?.article).toMatchObject({ title: "A corrected headline", version: before.data!.article!.version + 1 });
  });

  it("serves nothing from the cache once it stops listening", async () => {
    const post = await start();
    await post(STORY_QUERY);
    await post(STORY_QUERY);
    expect(cache!.hits).toBe(1);
    await cache!.stop();
    takeStatements();
    const answer = await post(STORY_QUERY);
    expect(answer.data?.article?.title).toBe(STORY.title);
    expect(takeStatements().length).toBeGreaterThan(0);
    expect(cache!.hits).toBe(1);
  });

  it("keeps within its size budget, evicting the oldest entries first, and never stores a result computed before a write", async () => {
    await testPrisma();
    cache = new PublishedReadCache(workerDatabaseUrl(), () => {}, 1_000);
    await cache.start();
    const result = (n: number) => ({ data: { text: "x".repeat(200), n } });
    for (let n = 0; n < 6; n++) cache.set(`key-${n}`, result(n), cache.currentGeneration);
    expect(cache.get("key-0")).toBeUndefined(); // evicted: six ~220-character results do not fit in 1,000
    expect(cache.get("key-5")).toEqual(result(5));
    expect(cache.get("key-1")).toBeUndefined();
    expect(cache.get("key-2")).toEqual(result(2));

    const computedAt = cache.currentGeneration;
    await gqlOk(CreateArticleDocument, { input: { title: "Any write empties the cache" } });
    await until(async () => cache!.currentGeneration !== computedAt, "the write's notification");
    expect(cache.get("key-5")).toBeUndefined();
    cache.set("late", result(9), computedAt);
    expect(cache.get("late")).toBeUndefined();
  });
});
