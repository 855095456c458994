/**
 * Liveness (/healthz), readiness (/readyz: database, published-cache listener, draining) and the
 * Prometheus metrics at /metrics, over real HTTP against this worker's database.
 */
import net from "node:net";
import { seedExampleStory } from "../prisma/seed-data/example-story";
import { createPrismaClient, type PrismaClient } from "../src/db/prisma";
import { PublishedReadCache } from "../src/http/published-cache";
import { operationLabel } from "../src/http/metrics";
import { createServer } from "../src/server";
import { blackHole } from "./support/processes";
import { testConfig } from "./support/config";
import { workerDatabaseUrl } from "./support/databases";
import { testPrisma } from "./support/environment";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function start(options: { prisma?: PrismaClient; publishedCache?: PublishedReadCache } = {}) {
  const { app, probes } = await createServer({
    prisma: options.prisma ?? (await testPrisma()),
    config: testConfig(),
    publishedCache: options.publishedCache,
  });
  cleanups.push(() => app.close());
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, probes, address };
}

async function get(address: string, path: string) {
  const response = await fetch(`${address}${path}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function post(address: string, query: string, operationName?: string) {
  const response = await fetch(`${address}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, operationName }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The value of one series in Prometheus text (0 when absent). */
function sample(metricsText: string, series: string): number {
  const line = metricsText.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/healthz", () => {
  it("answers 200 {ok:true} whenever the process serves HTTP", async () => {
    const { address } = await start();
    const response = await get(address, "/healthz");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ ok: true });
  });
});

describe("/readyz", () => {
  it("is 200 when the database answers and no cache is configured", async () => {
    const { address } = await start();
    const response = await get(address, "/readyz");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ ready: true, draining: false, checks: { database: "ok", publishedCache: "off" } });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("is 503 when the database refuses connections, without any error text", async () => {
    const prisma = createPrismaClient(`postgresql://postgres@127.0.0.1:${await closedPort()}/claimdesk`, { poolSize: 1 });
    cleanups.push(() => prisma.$disconnect().catch(() => {}));
    const { address } = await start({ prisma });
    const response = await get(address, "/readyz");
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({ ready: false, draining: false, checks: { database: "down", publishedCache: "off" } });
    // Liveness is not readiness: the process itself is fine.
    expect((await get(address, "/healthz")).status).toBe(200);
  });

  it("is 503 (timeout) when the database accepts TCP but never answers", async () => {
    const hole = await blackHole();
    cleanups.push(hole.close);
    const prisma = createPrismaClient(`postgresql://postgres@127.0.0.1:${hole.port}/claimdesk`, { poolSize: 1 });
    const { address } = await start({ prisma });
    const response = await get(address, "/readyz");
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text).checks.database).toBe("timeout");
  });

  it("is 503 while the published-read cache cannot listen, 200 while it does", async () => {
    const cache = new PublishedReadCache(workerDatabaseUrl());
    await cache.start();
    cleanups.push(() => cache.stop());
    const { address } = await start({ publishedCache: cache });
    const listening = await get(address, "/readyz");
    expect(listening.status).toBe(200);
    expect(JSON.parse(listening.text).checks).toEqual({ database: "ok", publishedCache: "ok" });

    await cache.stop();
    const lost = await get(address, "/readyz");
    expect(lost.status).toBe(503);
    expect(JSON.parse(lost.text).checks).toEqual({ database: "ok", publishedCache: "down" });
  });

  it("is 503 once the server is draining, while /healthz and GraphQL still answer (closing their connections)", async () => {
    const { address, probes } = await start();
    const before = await get(address, "/readyz");
    expect(before.status).toBe(200);
    expect(before.headers.get("connection")).not.toBe("close");
    probes.setDraining();
    const response = await get(address, "/readyz");
    expect(response.status).toBe(503);
    // Every answer while draining closes its connection, so keep-alive clients do not hold the shutdown.
    expect(response.headers.get("connection")).toBe("close");
    expect(JSON.parse(response.text)).toMatchObject({ ready: false, draining: true });
    expect((await get(address, "/healthz")).status).toBe(200);
    expect((await post(address, "{ __typename }")).body).toEqual({ data: { __typename: "Query" } });
  });
});

describe("/metrics", () => {
  it("exposes requests by operation and outcome, durations, pool usage, cache hits/misses, rate limits and process metrics", async () => {
    await seedExampleStory(await testPrisma());
    const cache = new PublishedReadCache(workerDatabaseUrl());
    await cache.start();
    cleanups.push(() => cache.stop());
    const { address } = await start({ publishedCache: cache });
    const before = (await get(address, "/metrics")).text;

    const query = "query ProbeArticles { articles(first: 1) { totalCount } }";
    expect((await post(address, query)).body.errors).toBeUndefined(); // cache miss
    expect((await post(address, query)).body.errors).toBeUndefined(); // cache hit
    const invalid = await post(address, "query ProbeBroken { noSuchField }");
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");

    const metrics = await get(address, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    const delta = (series: string) => sample(text, series) - sample(before, series);

    expect(delta('claimdesk_graphql_requests_total{operation="ProbeArticles",outcome="ok"}')).toBe(2);
    expect(delta('claimdesk_graphql_requests_total{operation="ProbeBroken",outcome="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(delta('claimdesk_graphql_request_duration_seconds_count{operation="ProbeArticles"}')).toBe(2);
    expect(text).toContain('claimdesk_graphql_request_duration_seconds_bucket{le="0.1",operation="ProbeArticles"}');
    expect(delta("claimdesk_published_cache_misses_total")).toBe(1);
    expect(delta("claimdesk_published_cache_hits_total")).toBe(1);
    expect(sample(text, 'claimdesk_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^claimdesk_db_pool_connections\{state="idle"\} \d+$/m);
    expect(text).toMatch(/^claimdesk_db_pool_connections\{state="waiting"\} 0$/m);
    expect(text).toContain("# TYPE claimdesk_rate_limited_total counter");
    expect(text).toMatch(/^claimdesk_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^claimdesk_http_requests_total\{route="\/graphql",status="200"\} \d+$/m);
  });

  it("counts clients' operation names into a bounded set of labels", async () => {
    expect(operationLabel(undefined)).toBe("anonymous");
    expect(operationLabel("Fine_Name1")).toBe("Fine_Name1");
    expect(operationLabel("x".repeat(65))).toBe("other");
    for (let i = 0; i < 250; i++) operationLabel(`Flood${i}`);
    expect(operationLabel("BrandNewAfterFlood")).toBe("other");
    expect(operationLabel("Fine_Name1")).toBe("Fine_Name1");
  });
});
