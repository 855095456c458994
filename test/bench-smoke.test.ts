/**
 * The benchmark harness end to end, tiny: scale 0.01, 1 s per operation, no warm-up, claimdesk and
 * the raw-SQL server only (PostGraphile's own node_modules are not needed by `npm test`), in a
 * database of its own that is dropped afterwards.
 */
import { isDeepStrictEqual } from "node:util";
import { withDatabase } from "../src/db/connection";
import { createPrismaClient } from "../src/db/prisma";
import { createServer } from "../src/server";
import { loadParams, readRequests } from "../bench/operations";
import { createRawServer } from "../bench/raw-server";
import { defaultOptions, runBenchmark } from "../bench/run";
import { withAdminConnection } from "./support/admin";
import { TEST_SERVER_URL } from "./support/databases";
import { testConfig } from "./support/config";

const database = `claimdesk_bench_smoke_${process.pid}_${Date.now().toString(36)}`;
const databaseUrl = withDatabase(TEST_SERVER_URL, database);

afterAll(async () => {
  await withAdminConnection((admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
});

test("npm run bench works end to end for claimdesk and the raw server", async () => {
  const report = await runBenchmark(
    defaultOptions({ databaseUrl, scale: 0.01, durationSeconds: 1, warmupSeconds: 0, servers: ["claimdesk", "claimdesk-cached", "raw"], resultsDir: null, log: () => {} }),
  );

  const ran = report.ops.filter((op) => !op.skipped);
  expect(ran.map((op) => op.op)).toEqual(expect.arrayContaining(["articleBySlug", "articlesPage", "claimSearch", "sourceWithAttributions", "mutationMix", "mixed"]));
  for (const op of report.ops) {
    for (const row of op.rows) {
      if (op.op === "mixed" && row.server === "claimdesk-cached") {
        // The mixed workload's claimdesk row is the cached server; the hit rate comes from its /metrics.
        expect(row.skipped).toMatch(/claimdesk row/);
        expect(op.rows.find((r) => r.server === "claimdesk")?.cache?.hits).toBeGreaterThan(0);
        continue;
      }
      expect({ op: op.op, server: row.server, ran: Boolean(row.load), requests: row.load!.requests > 0 }).toEqual({ op: op.op, server: row.server, ran: true, requests: true });
      expect({ op: op.op, server: row.server, errors: row.load!.errors, firstError: row.load!.firstError }).toEqual({ op: op.op, server: row.server, errors: 0, firstError: undefined });
      // Statements per request are counted in-process without the cache (the cached path issues none).
      if (row.server !== "claimdesk-cached" && !(op.op === "mixed" && row.server === "claimdesk")) expect(row.statementsPerRequest).toBeGreaterThan(0);
    }
  }
  expect(report.ops.find((op) => op.op === "articleBySlug")?.rawMatchesClaimdesk).toBe(true);
  // The raw server runs claimdesk's bounded search plan: same hits, snippets, cursors and capped count.
  expect(report.ops.find((op) => op.op === "claimSearch")?.rawMatchesClaimdesk).toBe(true);

  // And directly, in-process: the raw server's JSON for articleBySlug equals claimdesk's.
  const params = await loadParams(databaseUrl);
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  const { app } = await createServer({ prisma, config: testConfig({ LOG_LEVEL: "error" }) });
  const claimdeskUrl = `${await app.listen({ port: 0, host: "127.0.0.1" })}/graphql`;
  const raw = await createRawServer({ databaseUrl, poolSize: 2 });
  const post = async (url: string, body: unknown) =>
    (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  try {
    for (const request of readRequests("articleBySlug", "claimdesk", params).slice(0, 3)) {
      const claimdesk = (await post(claimdeskUrl, request)) as { data: { article: { claims: unknown[] } | null } };
      const rawAnswer = await post(raw.url, request);
      expect(claimdesk.data.article?.claims.length).toBeGreaterThan(0);
      expect(isDeepStrictEqual(rawAnswer, claimdesk)).toBe(true);
      expect(rawAnswer).toEqual(claimdesk);
    }
  } finally {
    await raw.close();
    await app.close();
    await prisma.$disconnect();
  }
}, 120_000);
