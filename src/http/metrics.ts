import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { requestFacts } from "./logging";
import type { PublishedReadCache } from "./published-cache";

/**
 * The process's Prometheus metrics, served at /metrics. One registry per process (servers created
 * in the same process, as in tests, share it); other modules import `metrics` to count their events:
 *
 *   import { metrics } from "../http/metrics";
 *   metrics.rateLimited.inc({ scope: "graphql" });
 */
const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "claimdesk_" });

/** Operation names are chosen by clients: past this many distinct ones, the rest count as "other". */
const MAX_OPERATION_NAMES = 200;
const operationNames = new Set<string>();

export function operationLabel(name: string | undefined): string {
  if (!name) return "anonymous";
  if (operationNames.has(name)) return name;
  if (operationNames.size >= MAX_OPERATION_NAMES || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return "other";
  operationNames.add(name);
  return name;
}

/** What /metrics reads when scraped: the pool and the cache of the running server(s). */
interface Sources {
  pool?: pg.Pool;
  publishedCache?: PublishedReadCache;
}
const sources = new Set<Sources>();

function sum(read: (source: Sources) => number | undefined): number {
  let total = 0;
  for (const source of sources) total += read(source) ?? 0;
  return total;
}

/** A counter of this registry. */
function counter<Label extends string>(name: string, help: string, labelNames: readonly Label[]): Counter<Label> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

const metrics = {
  registry,
  graphqlRequests: counter("claimdesk_graphql_requests_total", "GraphQL requests answered, by operation name and outcome (ok, or the first error's code)", ["operation", "outcome"]),
  graphqlDuration: new Histogram({
    name: "claimdesk_graphql_request_duration_seconds",
    help: "Time from receiving a GraphQL request to sending its answer, by operation name",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  httpRequests: counter("claimdesk_http_requests_total", "HTTP requests answered, by route and status code", ["route", "status"]),
  /** Every 429: the per-IP rate limit and the sign-in throttle. */
  rateLimited: counter("claimdesk_rate_limited_total", "Requests refused by a rate limit or the sign-in throttle", ["scope"]),
  poolConnections: new Gauge({
    name: "claimdesk_db_pool_connections",
    help: "Connections of the server's PostgreSQL pool: total, idle, and callers waiting for one",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      this.set({ state: "total" }, sum((s) => s.pool?.totalCount));
      this.set({ state: "idle" }, sum((s) => s.pool?.idleCount));
      this.set({ state: "waiting" }, sum((s) => s.pool?.waitingCount));
    },
  }),
  publishedCacheHits: new Counter({
    name: "claimdesk_published_cache_hits_total",
    help: "Anonymous reads answered from the published-read cache",
    registers: [registry],
    collect() {
      mirror(this, "hits");
    },
  }),
  publishedCacheSize: new Gauge({
    name: "claimdesk_published_cache_size",
    help: "What the published-read cache holds: answers (entries) and their size counted against PUBLISHED_CACHE_MAX_MB (bytes)",
    labelNames: ["unit"] as const,
    registers: [registry],
    collect() {
      this.set({ unit: "entries" }, sum((s) => s.publishedCache?.size.entries));
      this.set({ unit: "bytes" }, sum((s) => s.publishedCache?.size.bytes));
    },
  }),
  publishedCacheMisses: new Counter({
    name: "claimdesk_published_cache_misses_total",
    help: "Cacheable anonymous reads the published-read cache could not answer",
    registers: [registry],
    collect() {
      mirror(this, "misses");
    },
  }),
};

/** The cache keeps plain counts: each scrape adds what every live cache counted since the last one. */
const mirrored = new WeakMap<PublishedReadCache, { hits: number; misses: number }>();
function mirror(counter: Counter, field: "hits" | "misses"): void {
  for (const { publishedCache: cache } of sources) {
    if (!cache) continue;
    const seen = mirrored.get(cache) ?? { hits: 0, misses: 0 };
    if (cache[field] > seen[field]) counter.inc(cache[field] - seen[field]);
    seen[field] = cache[field];
    mirrored.set(cache, seen);
  }
}

/** Adds /metrics and lets it read this server's pool and cache until the server closes. */
export function registerMetrics(app: FastifyInstance, source: Sources): void {
  sources.add(source);
  app.addHook("onClose", async () => {
    sources.delete(source);
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.httpRequests.inc({ route, status: String(reply.statusCode) });
    // Both the per-IP limit and the sign-in throttle answer 429.
    if (reply.statusCode === 429) metrics.rateLimited.inc({ scope: route });
    if (route !== "/graphql") return;
    const facts = requestFacts(request);
    const operation = operationLabel(facts.operationName);
    const outcome = facts.outcome ?? (reply.statusCode < 400 ? "ok" : `HTTP_${reply.statusCode}`);
    metrics.graphqlRequests.inc({ operation, outcome });
    metrics.graphqlDuration.observe({ operation }, reply.elapsedTime / 1000);
  });
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", registry.contentType);
    return registry.metrics();
  });
}
