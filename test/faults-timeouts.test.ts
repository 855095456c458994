/**
 * Timeouts and "service unavailable", in process against the shared test PostgreSQL: which
 * database errors count as "unavailable" (real errors, produced here), the HTTP 503 they become,
 * the request deadline, and statement_timeout freeing a connection stuck behind a lock.
 *
 * A database that accepts connections but never answers is simulated by a silent TCP listener.
 */
import net from "node:net";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { STORY_SLUG, seedExampleStory } from "../prisma/seed-data/example-story";
import { poolConfigFromUrl } from "../src/db/connection";
import { createPrismaClient, type PrismaClient } from "../src/db/prisma";
import { issueToken } from "../src/modules/user/user.tokens";
import { createServer } from "../src/server";
import { conflict, isDatabaseUnavailable, makeFormatError } from "../src/shared/errors";
import { userFor } from "./support/client";
import { testConfig } from "./support/config";
import { workerDatabaseUrl } from "./support/databases";
import { testPrisma } from "./support/environment";
import { LEAK } from "./support/fault-database";
import { GraphQLError } from "graphql";

const STORY_QUERY = "query($slug: String) { article(slug: $slug) { title claims { statement } } }";

let app: FastifyInstance | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  while (cleanups.length) await cleanups.pop()!().catch(() => {});
});

/** A TCP listener that accepts connections and never says a word (a frozen or black-holed database). */
async function silentDatabase(): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `postgresql://postgres@127.0.0.1:${(server.address() as net.AddressInfo).port}/claimdesk`;
}

async function closedPort(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `postgresql://postgres@127.0.0.1:${port}/claimdesk`;
}

function client(url: string, options: Parameters<typeof createPrismaClient>[1] = {}): PrismaClient {
  const prisma = createPrismaClient(url, { poolSize: 2, ...options });
  cleanups.push(() => prisma.$disconnect());
  return prisma;
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/** A plain pg connection to this worker's database, holding `LOCK TABLE article` until released. */
async function lockArticles(): Promise<() => Promise<void>> {
  const { schema: _schema, ...config } = poolConfigFromUrl(workerDatabaseUrl());
  const locker = new pg.Client(config);
  await locker.connect();
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE article IN ACCESS EXCLUSIVE MODE");
  const release = async () => {
    await locker.query("ROLLBACK").catch(() => {});
    await locker.end();
  };
  cleanups.push(release);
  return release;
}

async function serve(prisma: PrismaClient, env: Record<string, string>) {
  ({ app } = await createServer({ prisma, config: testConfig(env) }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const startedAt = performance.now();
    const response = await fetch(`${address}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      text,
      body: JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
      ms: Math.round(performance.now() - startedAt),
    };
  };
}

describe("which database errors mean 'unavailable'", () => {
  it("recognises unreachable, terminated, timed-out and cancelled, as Prisma and pg really report them", async () => {
    const refused = await failure(client(await closedPort()).article.count());
    const refusedInTransaction = await failure(client(await closedPort()).$transaction(async (tx) => tx.article.count()));
    const connectTimeout = await failure(client(await silentDatabase(), { connectTimeoutMs: 200 }).article.count());
    const statementTimeout = await failure(client(workerDatabaseUrl(), { statementTimeoutMs: 200 }).$queryRaw`SELECT pg_sleep(2)::text`);
    const prisma = client(workerDatabaseUrl());
    const { pid } = (await prisma.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`)[0]!;
    const terminated = await failure(
      prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SELECT pg_terminate_backend(${pid})`);
        await tx.article.count();
      }),
    );
    for (const error of [refused, refusedInTransaction, connectTimeout, statementTimeout, terminated]) {
      expect({ error: String(error), unavailable: isDatabaseUnavailable(error) }).toEqual({ error: String(error), unavailable: true });
    }
  });

  it("does not mistake bad input, conflicts or bugs for unavailability", async () => {
    const prisma = await testPrisma();
    await seedExampleStory(prisma, { localUsers: false });
    const story = await prisma.article.findFirstOrThrow({ where: { slug: STORY_SLUG } });
    const duplicate = await failure(prisma.article.create({ data: { title: "Duplicate", slug: STORY_SLUG, body: "" } }));
    const badSql = await failure(prisma.$queryRawUnsafe("SELECT no_such_column FROM article"));
    expect(story.slug).toBe(STORY_SLUG);
    for (const error of [duplicate, badSql, new TypeError("Cannot read properties of undefined"), conflict("changed")]) {
      expect(isDatabaseUnavailable(error)).toBe(false);
    }
  });

  it("formats an unavailable database as a masked SERVICE_UNAVAILABLE and hands the original to the logger", async () => {
    const logged: unknown[] = [];
    const format = makeFormatError((error) => logged.push(error));
    const original = await failure(client(await closedPort()).article.count());
    const wrapped = new GraphQLError(String((original as Error).message), { originalError: original as Error, path: ["articles"] });
    const formatted = format({ message: wrapped.message, path: ["articles"] }, wrapped);
    expect(formatted).toEqual({
      message: "The service is temporarily unavailable. Try again shortly.",
      path: ["articles"],
      extensions: { code: "SERVICE_UNAVAILABLE", reason: "DATABASE_UNAVAILABLE" },
    });
    expect(logged).toEqual([original]);
  });
});

describe("the pool after a connection dies inside a transaction", () => {
  it("gets the connection back: the next query runs instead of waiting for a connection that never returns", async () => {
    // One connection: if the dead one were never released, the next query would wait forever.
    const prisma = client(workerDatabaseUrl(), { poolSize: 1, connectTimeoutMs: 2_000 });
    for (let round = 0; round < 3; round++) {
      const { pid } = (await prisma.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`)[0]!;
      const cut = await failure(
        prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(`SELECT pg_terminate_backend(${pid})`);
          await tx.article.count();
        }),
      );
      expect(isDatabaseUnavailable(cut)).toBe(true);
      await expect(prisma.article.count()).resolves.toBe(0);
    }
  });
});

describe("HTTP answers while the database cannot", () => {
  it("answers 503 SERVICE_UNAVAILABLE with Retry-After, masked, when the database does not answer (reads and token checks)", async () => {
    const post = await serve(client(await silentDatabase(), { connectTimeoutMs: 300 }), { REQUEST_TIMEOUT_MS: "5000" });
    const anonymous = await post(STORY_QUERY, { slug: STORY_SLUG });
    // The token is checked while building the request context: the same answer.
    const signedIn = await post(STORY_QUERY, { slug: STORY_SLUG }, { authorization: "Bearer cdk_a-token-that-must-be-looked-up" });
    for (const answer of [anonymous, signedIn]) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe("1");
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors![0]!.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "DATABASE_UNAVAILABLE" });
      expect(answer.text).not.toMatch(LEAK);
    }
  });

  it("answers 503 DEADLINE_EXCEEDED at the request deadline instead of waiting, and keeps serving", async () => {
    const prisma = await testPrisma();
    await seedExampleStory(prisma, { localUsers: false });
    const post = await serve(prisma, { REQUEST_TIMEOUT_MS: "500" });
    expect((await post(STORY_QUERY, { slug: STORY_SLUG })).status).toBe(200);
    const release = await lockArticles();
    const blocked = await post(STORY_QUERY, { slug: STORY_SLUG });
    console.log(`request deadline 500 ms: a read blocked by a lock answered 503 after ${blocked.ms} ms`);
    expect(blocked.status).toBe(503);
    expect(blocked.retryAfter).toBe("1");
    expect(blocked.body).toEqual({
      errors: [
        {
          message: "The service is temporarily unavailable: the request did not complete in time. Try again shortly.",
          extensions: { code: "SERVICE_UNAVAILABLE", reason: "DEADLINE_EXCEEDED" },
        },
      ],
    });
    // Bounded by the deadline (a generous margin for two shared cores), not by the lock.
    expect(blocked.ms).toBeLessThan(500 + 1_500);
    await release();
    const after = await post(STORY_QUERY, { slug: STORY_SLUG });
    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();
  });

  it("statement_timeout cancels a statement stuck behind a lock: 503 before the deadline, and the connection is free again", async () => {
    await seedExampleStory(await testPrisma(), { localUsers: false });
    const editor = await userFor("EDITOR");
    const { token } = await issueToken(await testPrisma(), editor.id, "SESSION");
    const prisma = client(workerDatabaseUrl(), { statementTimeoutMs: 300, poolSize: 1 });
    const post = await serve(prisma, { REQUEST_TIMEOUT_MS: "10000" });
    const release = await lockArticles();
    const read = await post(STORY_QUERY, { slug: STORY_SLUG });
    const write = await post("mutation { createArticle(input: { title: \"Blocked by the lock\" }) { id } }", {}, { authorization: `Bearer ${token}` });
    console.log(`statement_timeout 300 ms: blocked read answered 503 after ${read.ms} ms, blocked write after ${write.ms} ms`);
    for (const answer of [read, write]) {
      expect(answer.status).toBe(503);
      expect(answer.body.errors![0]!.extensions).toEqual({ code: "SERVICE_UNAVAILABLE", reason: "DATABASE_UNAVAILABLE" });
      expect(answer.text).not.toMatch(LEAK);
      expect(answer.ms).toBeLessThan(5_000);
    }
    // Nothing of ours is still waiting on the lock: the server cancelled it (the lock is still held).
    const waiting = await prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    expect(Number(waiting[0]!.n)).toBe(0);
    await release();
    const after = await post(STORY_QUERY, { slug: STORY_SLUG });
    expect(after.status).toBe(200);
    expect(await (await testPrisma()).article.count({ where: { title: "Blocked by the lock" } })).toBe(0);
  });
});
