/**
 * `npm run bench`: generates the dataset (unless --skip-generate), starts claimdesk, the raw-SQL
 * server and PostGraphile as child processes on free ports, loads each with each operation
 * (warm-up, then measured), and writes the Markdown report to bench/results/latest.md.
 *
 *   npm run bench -- [--scale 1] [--duration 10] [--connections 10] [--warmup 3] [--skip-generate]
 *                    [--only articleBySlug,articlesPage] [--servers claimdesk,raw] [--seed 42]
 *                    [--pool-size 10] [--database claimdesk_bench] [--cpu-prof] [--report latest]
 *
 * Every flag also reads an environment variable: BENCH_SCALE, BENCH_DURATION, BENCH_CONNECTIONS,
 * BENCH_WARMUP, BENCH_SKIP_GENERATE=1, BENCH_ONLY, BENCH_SERVERS, BENCH_SEED, BENCH_POOL_SIZE,
 * BENCH_DATABASE; the server is BENCH_DATABASE_URL, else DATABASE_URL, else local PostgreSQL.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import pg from "pg";
import { poolConfigFromUrl } from "../src/db/connection";
import { editorHeaders } from "./auth";
import { benchDatabaseUrl, DEFAULT_POOL_SIZE, numberFlag, parseFlags } from "./config";
import { generateDataset } from "./generate";
import { requestBodies, runLoad, sampleRss, type LoadPlan } from "./load";
import {
  loadParams,
  MIXED_READS,
  mutationCycle,
  OP_NAMES,
  readRequests,
  responseProblem,
  SERVER_NAMES,
  type BenchParams,
  type GraphQLRequest,
  type OpName,
  type ServerName,
} from "./operations";
import { summarizeProfile } from "./profile";
import { checkTargets, renderMarkdown, type BenchReport, type OpReport, type ServerRow } from "./report";
import { searchAvailable, SEARCH_DOCUMENTS } from "./search";
import { ensurePostgraphileInstalled, startClaimdesk, startPostgraphile, startRaw, type RunningServer } from "./servers";
import { countClaimdeskStatements } from "./statements";

export interface BenchOptions {
  databaseUrl: string;
  scale: number;
  seed: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  poolSize: number;
  skipGenerate: boolean;
  only: OpName[];
  servers: ServerName[];
  cpuProf: boolean;
  /** Where the report goes (`<reportName>.md` and `.json`); null writes nothing. */
  resultsDir: string | null;
  reportName: string;
  log: (message: string) => void;
}

export const RESULTS_DIR = path.join(__dirname, "results");

export function defaultOptions(overrides: Partial<BenchOptions> = {}): BenchOptions {
  return {
    databaseUrl: benchDatabaseUrl(),
    scale: 1,
    seed: 42,
    durationSeconds: 10,
    warmupSeconds: 3,
    connections: 10,
    poolSize: DEFAULT_POOL_SIZE,
    skipGenerate: false,
    only: [...OP_NAMES],
    servers: [...SERVER_NAMES],
    cpuProf: false,
    resultsDir: RESULTS_DIR,
    reportName: "latest",
    log: (message) => console.log(`[bench] ${message}`),
    ...overrides,
  };
}

async function post(url: string, request: GraphQLRequest, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(request) });
  return response.text();
}

/**
 * Sends every read of a rotation once, `connections` at a time: the mixed workload is measured in
 * its steady state (every read seen once, as on a site that has been up for a while), so its hit
 * rate counts what writes and the budget drop, not first reads.
 */
async function readEachOnce(url: string, bodies: string[], connections: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).text();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

/** The published-read cache's counters of a claimdesk server, from its /metrics (null when it has none). */
async function cacheCounters(server: RunningServer): Promise<{ hits: number; misses: number } | null> {
  const text = await (await fetch(server.url.replace(/\/graphql$/, "/metrics"))).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const hits = value("claimdesk_published_cache_hits_total");
  const misses = value("claimdesk_published_cache_misses_total");
  return Number.isNaN(hits) || Number.isNaN(misses) ? null : { hits, misses };
}

async function datasetCounts(databaseUrl: string): Promise<Record<string, number>> {
  const { schema: _schema, ...config } = poolConfigFromUrl(databaseUrl);
  const client = new pg.Client(config);
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of ["article", "claim", "source", "attribution", "response", "verdict"]) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      counts[table === "attribution" ? "attributions" : table === "response" ? "rebuttals" : `${table}s`] = Number(rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

async function postgresVersion(databaseUrl: string): Promise<string> {
  const { schema: _schema, ...config } = poolConfigFromUrl(databaseUrl);
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version.split(" ")[0]!;
  } finally {
    await client.end();
  }
}

/** PostGraphile's own cursors for the same pages (walked with its endCursor). */
async function walkPostgraphilePages(server: RunningServer, pages: number): Promise<Array<string | null>> {
  const cursors: Array<string | null> = [null];
  let after: string | null = null;
  const [first] = readRequests("articlesPage", "postgraphile", { pageCursors: [null] } as BenchParams, { postgraphileCursors: [null] });
  for (let i = 1; i < pages; i++) {
    const body = JSON.parse(await post(server.url, { ...first!, variables: { ...first!.variables, after } })) as {
      data?: { articles?: { pageInfo?: { endCursor?: string | null; hasNextPage?: boolean } } };
    };
    const info = body.data?.articles?.pageInfo;
    if (!info?.hasNextPage || !info.endCursor) break;
    after = info.endCursor;
    cursors.push(after);
  }
  return cursors;
}

export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg()[0]!;
  if (loadBefore > 1.5) log(`warning: the machine is busy (1-min load average ${loadBefore.toFixed(2)} on ${os.cpus().length} cores): results will be noisy`);
  if (!options.skipGenerate) {
    await generateDataset({ databaseUrl: options.databaseUrl, scale: options.scale, seed: options.seed, log: (m) => log(`generate: ${m}`) });
  }
  const dataset = await datasetCounts(options.databaseUrl);
  if (!dataset.articles) throw new Error("the bench database is empty: run without --skip-generate first");
  const params = await loadParams(options.databaseUrl);
  const headers = await editorHeaders({ databaseUrl: options.databaseUrl });

  const skippedServers = new Map<ServerName, string>();
  if (options.servers.includes("postgraphile") && !ensurePostgraphileInstalled(log)) {
    skippedServers.set("postgraphile", "bench/postgraphile dependencies could not be installed (npm ci failed)");
  }

  const servers = new Map<ServerName, RunningServer>();
  /** Started for one operation only (the cached claimdesk of `mixed`); stop() twice is harmless. */
  const extraServers: RunningServer[] = [];
  const cpuProfDir = options.cpuProf ? path.join(RESULTS_DIR, "profiles") : undefined;
  if (cpuProfDir) rmSync(path.join(cpuProfDir, "claimdesk.cpuprofile"), { force: true });
  const ops: OpReport[] = [];
  const peakRssMb: Partial<Record<ServerName, number>> = {};
  let profile: string[] | undefined;
  try {
    for (const name of options.servers) {
      if (skippedServers.has(name)) continue;
      const t0 = performance.now();
      const config = { databaseUrl: options.databaseUrl, poolSize: options.poolSize };
      const server =
        name === "claimdesk" ? await startClaimdesk({ ...config, cpuProfDir })
        : name === "claimdesk-cached" ? await startClaimdesk({ ...config, cached: true })
        : name === "raw" ? await startRaw(config)
        : await startPostgraphile(config);
      servers.set(name, server);
      log(`${name} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${server.url} (pid ${server.pid})`);
    }

    const claimdesk = servers.get("claimdesk");
    const searchOk = claimdesk ? await searchAvailable(claimdesk.url) : false;
    const postgraphile = servers.get("postgraphile");
    const postgraphileCursors = postgraphile ? await walkPostgraphilePages(postgraphile, params.pageCursors.length) : [null];
    const extra = { postgraphileCursors, ...(searchOk ? { search: SEARCH_DOCUMENTS } : {}) };

    for (const op of options.only) {
      const report: OpReport = { op, rows: [], notes: [] };
      ops.push(report);
      if (op === "claimSearch" && !searchOk) {
        report.skipped = claimdesk
          ? "claimdesk's schema has no Query.search yet (schema/search.graphql / src/modules/search/ not there)"
          : "claimdesk is not part of this run (its schema decides whether search exists)";
        log(`${op}: not available (${report.skipped})`);
        continue;
      }
      if (op === "mixed") {
        report.notes.push(
          `95% anonymous reads (${MIXED_READS.join(", ")} in turn, each through its own rotation) and 5% writes as an EDITOR (one request in 20): ` +
            "half a verdict on a claim of an article the reads show, half a verdict or a new claim in a draft. " +
            "claimdesk runs with its published-read cache (PUBLISHED_CACHE on, its default); the raw server answers the same requests (no cache).",
        );
      }
      if (op === "mutationMix") report.notes.push("One cycle = createClaim + attributeClaim + recordVerdict (3 requests; req/s counts requests). Raw: one data-modifying CTE per mutation, without claimdesk's validation, audit or auth.");
      if (op === "articleBySlug" || op === "articlesPage" || op === "sourceWithAttributions") {
        report.notes.push("PostGraphile query: same data in its own naming (lists with orderBy; latest verdict = verdictsList(orderBy: SEQUENCE_DESC, first: 1)).");
      }

      // Correctness first: a few requests per server, and the raw server's JSON against claimdesk's.
      const answers = new Map<ServerName, unknown[]>();
      for (const [name, server] of servers) {
        if (op === "mutationMix" || op === "mixed") continue;
        const requests = readRequests(op, name, params, extra).slice(0, 3);
        const parsed: unknown[] = [];
        for (const request of requests) {
          const body = await post(server.url, request);
          const problem = responseProblem(body);
          if (problem) report.notes.push(`${name}: check request failed: ${problem}`);
          parsed.push(JSON.parse(body));
        }
        answers.set(name, parsed);
      }
      if (answers.has("raw") && answers.has("claimdesk")) {
        // Search snippets are cut in JavaScript by claimdesk (trimSnippet) and as a plain window by the
        // raw server (bench/search.ts): hits, ranks, counts and cursors must match; snippets may not.
        const comparable = (answer: unknown) => (op === "claimSearch" ? withoutSnippets(answer) : answer);
        report.rawMatchesClaimdesk = isDeepStrictEqual(comparable(answers.get("raw")), comparable(answers.get("claimdesk")));
        if (!report.rawMatchesClaimdesk) log(`${op}: raw JSON differs from claimdesk's`);
      }

      for (const name of options.servers) {
        const row: ServerRow = { server: name };
        report.rows.push(row);
        let server = servers.get(name);
        let ownServer = false;
        if (op === "mixed" && name === "claimdesk") {
          // The mixed workload measures claimdesk as deployed: with its published-read cache.
          server = servers.get("claimdesk-cached");
          if (!server) {
            server = await startClaimdesk({ databaseUrl: options.databaseUrl, poolSize: options.poolSize, cached: true });
            extraServers.push(server);
            ownServer = true;
          }
        } else if (op === "mixed" && name === "claimdesk-cached" && options.servers.includes("claimdesk")) {
          row.skipped = "the claimdesk row of the mixed workload runs with the cache";
          continue;
        }
        if (!server) {
          row.skipped = skippedServers.get(name) ?? "not started";
          continue;
        }
        let plan: LoadPlan;
        if (op === "mixed") {
          if (name === "postgraphile") {
            row.skipped = "reads only (its generated CRUD mutations have none of claimdesk's rules)";
            continue;
          }
          plan = { kind: "mixed", reads: MIXED_READS.map((read) => requestBodies(readRequests(read, name, params, extra))), params, writeHeaders: headers };
        } else if (op === "mutationMix") {
          if (name === "postgraphile") {
            row.skipped = "reads only (its generated CRUD mutations have none of claimdesk's rules)";
            continue;
          }
          plan = { kind: "mutationMix", params, cycleOffset: 0 };
        } else {
          const requests = readRequests(op, name, params, extra);
          if (!requests.length) {
            row.skipped = op === "claimSearch" ? "no full-text search without a custom SQL function" : "no parameters";
            continue;
          }
          plan = { kind: "read", bodies: requestBodies(requests) };
        }
        const rss = sampleRss(server.pid);
        if (plan.kind === "mixed") await readEachOnce(server.url, plan.reads.flat(), options.connections);
        const load = { url: server.url, plan, connections: options.connections, headers: op === "mutationMix" ? headers : {} };
        if (options.warmupSeconds > 0) await runLoad({ ...load, durationSeconds: options.warmupSeconds });
        const before = await server.statements();
        const cacheBefore = op === "mixed" && name.startsWith("claimdesk") ? await cacheCounters(server) : null;
        row.load = await runLoad({ ...load, durationSeconds: options.durationSeconds });
        const after = await server.statements();
        const cacheAfter = cacheBefore ? await cacheCounters(server) : null;
        if (cacheBefore && cacheAfter) row.cache = { hits: cacheAfter.hits - cacheBefore.hits, misses: cacheAfter.misses - cacheBefore.misses };
        row.peakRssMb = rss.stop();
        peakRssMb[name] = Math.max(peakRssMb[name] ?? 0, row.peakRssMb);
        if (before != null && after != null && row.load.requests) row.statementsPerRequest = (after - before) / row.load.requests;
        const l = row.load;
        log(
          `${op} ${name}: ${l.requestsPerSecond.toFixed(0)} req/s, p50 ${l.p50.toFixed(1)} p95 ${l.p95.toFixed(1)} p99 ${l.p99.toFixed(1)} ms, ` +
            `${l.errors} errors, RSS ${row.peakRssMb.toFixed(0)} MB` +
            (row.cache ? `, cache hit rate ${((100 * row.cache.hits) / Math.max(1, row.cache.hits + row.cache.misses)).toFixed(1)}%` : "") +
            (l.firstError ? `; first error: ${l.firstError}` : ""),
        );
        if (ownServer) await server.stop();
      }
    }

    // claimdesk's statements per request, counted in-process on a logging Prisma client.
    if (claimdesk) {
      const groups: Record<string, Array<(send: (request: GraphQLRequest) => Promise<unknown>) => Promise<number>>> = {};
      for (const report of ops) {
        // mixed: its claimdesk row is a cached server, whose statements the in-process count would not see.
        if (report.skipped || report.op === "mixed" || !report.rows.some((row) => row.server === "claimdesk" && row.load)) continue;
        if (report.op === "mutationMix") {
          groups[report.op] = [1_000_001, 1_000_002, 1_000_003].map((i) => async (send) => {
            const cycle = mutationCycle(params, i);
            const created = (await send(cycle.createClaim())) as { data?: { createClaim?: { id: string } } };
            const id = created.data?.createClaim?.id ?? "00000000-0000-4000-8000-000000000000";
            await send(cycle.attributeClaim(id));
            await send(cycle.recordVerdict(id));
            return 3;
          });
        } else {
          groups[report.op] = readRequests(report.op, "claimdesk", params, extra)
            .slice(0, 5)
            .map((request) => async (send) => {
              await send(request);
              return 1;
            });
        }
      }
      const counts = await countClaimdeskStatements(options.databaseUrl, groups, headers);
      for (const report of ops) {
        const row = report.rows.find((r) => r.server === "claimdesk" && r.load);
        const count = counts[report.op];
        if (row && count) row.statementsPerRequest = count.perRequest;
      }
    }
  } finally {
    for (const server of [...servers.values(), ...extraServers]) await server.stop();
  }
  if (cpuProfDir) {
    const file = path.join(cpuProfDir, "claimdesk.cpuprofile");
    if (existsSync(file)) {
      profile = summarizeProfile(file);
      log(`CPU profile of claimdesk: ${file}`);
    }
  }

  const cpus = os.cpus();
  const report: BenchReport = {
    startedAt,
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${await postgresVersion(options.databaseUrl)}`,
    loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
    settings: {
      scale: options.scale,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      connections: options.connections,
      poolSize: options.poolSize,
      seed: options.seed,
    },
    dataset,
    ops,
    peakRssMb,
    targets: checkTargets(ops, peakRssMb, options.scale),
    ...(profile ? { profile } : {}),
  };
  if (options.resultsDir) {
    mkdirSync(options.resultsDir, { recursive: true });
    writeFileSync(path.join(options.resultsDir, `${options.reportName}.md`), renderMarkdown(report));
    writeFileSync(path.join(options.resultsDir, `${options.reportName}.json`), JSON.stringify(report, null, 2));
  }
  return report;
}

function listFlag<T extends string>(flags: Map<string, string | true>, name: string, env: string, allowed: readonly T[]): T[] | undefined {
  const raw = flags.get(name) ?? process.env[env];
  if (raw === undefined || raw === "") return undefined;
  if (raw === true) throw new Error(`--${name} needs a comma-separated list`);
  const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}" (known: ${allowed.join(", ")})`);
  return items as T[];
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const database = flags.get("database");
  const options = defaultOptions({
    databaseUrl: benchDatabaseUrl(typeof database === "string" ? database : undefined),
    scale: numberFlag(flags, "scale", "BENCH_SCALE", 1),
    seed: numberFlag(flags, "seed", "BENCH_SEED", 42),
    durationSeconds: numberFlag(flags, "duration", "BENCH_DURATION", 10),
    warmupSeconds: numberFlag(flags, "warmup", "BENCH_WARMUP", 3),
    connections: numberFlag(flags, "connections", "BENCH_CONNECTIONS", 10),
    poolSize: numberFlag(flags, "pool-size", "BENCH_POOL_SIZE", DEFAULT_POOL_SIZE),
    skipGenerate: flags.has("skip-generate") || process.env.BENCH_SKIP_GENERATE === "1",
    cpuProf: flags.has("cpu-prof"),
  });
  const reportName = flags.get("report");
  if (typeof reportName === "string") {
    if (!/^[\w.-]+$/.test(reportName)) throw new Error("--report must be a plain file name");
    options.reportName = reportName;
  }
  options.only = listFlag(flags, "only", "BENCH_ONLY", OP_NAMES) ?? options.only;
  options.servers = listFlag(flags, "servers", "BENCH_SERVERS", SERVER_NAMES) ?? options.servers;
  const report = await runBenchmark(options);
  console.log("");
  console.log(renderMarkdown(report));
  console.log(`(written to ${path.relative(process.cwd(), path.join(RESULTS_DIR, `${options.reportName}.md`))})`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

/** A JSON answer with every `snippet` property dropped. */
function withoutSnippets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSnippets);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "snippet").map(([key, inner]) => [key, withoutSnippets(inner)]));
  return value;
}
