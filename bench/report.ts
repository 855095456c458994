/** The benchmark's Markdown report. */
import type { LoadResult } from "./load";
import type { OpName, ServerName } from "./operations";

export interface ServerRow {
  server: ServerName;
  /** Why this server did not run this operation (instead of a result). */
  skipped?: string;
  load?: LoadResult;
  statementsPerRequest?: number | null;
  peakRssMb?: number;
  /** The published-read cache's hits and misses over the measured run (from the server's /metrics). */
  cache?: { hits: number; misses: number };
}

export interface OpReport {
  op: OpName;
  /** Why the whole operation was skipped. */
  skipped?: string;
  rows: ServerRow[];
  /** Raw server's JSON equals claimdesk's for the checked parameters (reads only). */
  rawMatchesClaimdesk?: boolean | null;
  notes: string[];
}

export interface BenchReport {
  startedAt: string;
  machine: string;
  /** 1-minute load average of the machine before and after the run (other processes compete for the cores). */
  loadAverage: { before: number; after: number };
  settings: { scale: number; durationSeconds: number; warmupSeconds: number; connections: number; poolSize: number; seed: number };
  dataset: Record<string, number>;
  ops: OpReport[];
  /** Peak RSS of each server over the whole run (MB). */
  peakRssMb: Partial<Record<ServerName, number>>;
  targets: Array<{ target: string; value: string; met: boolean | null }>;
  profile?: string[];
}

const f0 = (n: number | undefined | null) => (n == null || Number.isNaN(n) ? "–" : Math.round(n).toLocaleString("en"));
const f1 = (n: number | undefined | null) => (n == null || Number.isNaN(n) ? "–" : n.toFixed(1));
const f2 = (n: number | undefined | null) => (n == null || Number.isNaN(n) ? "–" : n.toFixed(2));

export function rowFor(report: OpReport, server: ServerName): ServerRow | undefined {
  return report.rows.find((row) => row.server === server && row.load);
}

export function ratio(report: OpReport, a: ServerName, b: ServerName): number | null {
  const x = rowFor(report, a)?.load?.requestsPerSecond;
  const y = rowFor(report, b)?.load?.requestsPerSecond;
  return x && y ? x / y : null;
}

function hitRate(cache: { hits: number; misses: number }): number {
  return (100 * cache.hits) / Math.max(1, cache.hits + cache.misses);
}

export function renderMarkdown(report: BenchReport): string {
  const s = report.settings;
  const lines: string[] = [
    "# claimdesk benchmark",
    "",
    `Run ${report.startedAt} on ${report.machine}.`,
    `Scale ${s.scale} (seed ${s.seed}): ${Object.entries(report.dataset).map(([t, n]) => `${n.toLocaleString("en")} ${t}`).join(", ")}.`,
    `${s.connections} connections, ${s.warmupSeconds} s warm-up then ${s.durationSeconds} s measured per operation and server; pool size ${s.poolSize} for every server; autocannon in the harness process (no workers).`,
    "Latencies in ms; SQL/req = SQL statements per request; RSS = peak resident memory of the server process during that operation.",
    `Machine load (1-min average) before the run: ${report.loadAverage.before.toFixed(2)}` +
      (report.loadAverage.before > 1.5
        ? " — **other processes were competing for the cores: absolute numbers are lower than on a quiet machine; compare servers within this run only.**"
        : ` (quiet; ${report.loadAverage.after.toFixed(2)} after, the run itself keeping both cores busy).`),
    "",
  ];
  for (const op of report.ops) {
    lines.push(`## ${op.op}`, "");
    if (op.skipped) {
      lines.push(`Not available: ${op.skipped}`, "");
      continue;
    }
    lines.push("| server | req/s | p50 | p95 | p99 | errors | SQL/req | peak RSS (MB) |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const row of op.rows) {
      if (!row.load) {
        lines.push(`| ${row.server} | not run: ${row.skipped ?? "?"} | | | | | | |`);
        continue;
      }
      const l = row.load;
      const errorText = l.errors ? `**${l.errors}**` : "0";
      lines.push(`| ${row.server} | ${f0(l.requestsPerSecond)} | ${f1(l.p50)} | ${f1(l.p95)} | ${f1(l.p99)} | ${errorText} | ${f1(row.statementsPerRequest)} | ${f0(row.peakRssMb)} |`);
    }
    const toRaw = ratio(op, "claimdesk", "raw");
    const toPg = ratio(op, "claimdesk", "postgraphile");
    lines.push("");
    lines.push(`claimdesk/raw: **${f2(toRaw)}×** · claimdesk/PostGraphile: **${f2(toPg)}×** (requests per second)`);
    const cachedToRaw = ratio(op, "claimdesk-cached", "raw");
    if (cachedToRaw != null) lines.push(`claimdesk-cached/raw: **${f2(cachedToRaw)}×** (anonymous reads served from the published-read cache)`);
    for (const row of op.rows) {
      if (row.cache) lines.push(`${row.server} published-read cache: hit rate **${f1(hitRate(row.cache))}%** (${f0(row.cache.hits)} hits, ${f0(row.cache.misses)} misses over the measured run)`);
    }
    if (op.rawMatchesClaimdesk != null) lines.push(`Raw server's JSON equals claimdesk's: ${op.rawMatchesClaimdesk ? "yes" : "**NO**"}`);
    for (const note of op.notes) lines.push(`- ${note}`);
    lines.push("");
  }
  lines.push("## Peak RSS over the run", "");
  lines.push(Object.entries(report.peakRssMb).map(([server, mb]) => `${server} ${f0(mb)} MB`).join(" · "), "");
  lines.push("## Targets (issue \"Fast reads for frontends\")", "", "| target | measured | met |", "| --- | --- | --- |");
  for (const t of report.targets) lines.push(`| ${t.target} | ${t.value} | ${t.met == null ? "n/a" : t.met ? "yes" : "**no**"} |`);
  lines.push("");
  if (report.profile?.length) {
    lines.push("## claimdesk CPU profile (top frames by self time)", "", "```", ...report.profile, "```", "");
  }
  return lines.join("\n");
}

/** The issue's targets, checked against a report. */
export function checkTargets(ops: OpReport[], peakRssMb: Partial<Record<ServerName, number>>, scale: number): BenchReport["targets"] {
  const op = (name: OpName) => ops.find((o) => o.op === name);
  const targets: BenchReport["targets"] = [];
  const nested = op("articleBySlug");
  const page = op("articlesPage");
  const search = op("claimSearch");
  const num = (x: number | null | undefined, digits = 2) => (x == null ? "–" : x.toFixed(digits));
  if (nested) {
    const r = ratio(nested, "claimdesk", "raw");
    targets.push({ target: "nested article ≥ 0.5× raw", value: `${num(r)}×`, met: r == null ? null : r >= 0.5 });
    const p = ratio(nested, "claimdesk", "postgraphile");
    targets.push({ target: "nested article ≥ 1.15× PostGraphile", value: `${num(p)}×`, met: p == null ? null : p >= 1.15 });
    const l = rowFor(nested, "claimdesk")?.load;
    targets.push({ target: "nested article p99 ≤ 20 ms, 0 errors", value: l ? `${num(l.p99, 1)} ms, ${l.errors} errors` : "–", met: l ? l.p99 <= 20 && l.errors === 0 : null });
  }
  if (page) {
    const r = ratio(page, "claimdesk", "raw");
    targets.push({ target: "page of 20 ≥ 0.45× raw", value: `${num(r)}×`, met: r == null ? null : r >= 0.45 });
    const l = rowFor(page, "claimdesk")?.load;
    targets.push({ target: "page of 20 p99 ≤ 45 ms, 0 errors", value: l ? `${num(l.p99, 1)} ms, ${l.errors} errors` : "–", met: l ? l.p99 <= 45 && l.errors === 0 : null });
  }
  if (search) {
    const l = rowFor(search, "claimdesk")?.load;
    const atScale = scale >= 5;
    targets.push({
      target: "search p95 ≤ 20 ms at 100,000 claims (scale 5)",
      value: l ? `${num(l.p95, 1)} ms at scale ${scale}${atScale ? "" : " (not scale 5: indicative only)"}` : search.skipped ? "not available" : "–",
      met: l && atScale ? l.p95 <= 20 && l.errors === 0 : null,
    });
  }
  const mixed = op("mixed");
  if (mixed && !mixed.skipped) {
    const r = ratio(mixed, "claimdesk", "raw");
    const cache = rowFor(mixed, "claimdesk")?.cache;
    targets.push({
      target: "mixed 95/5 ≥ 1.0× raw (hit rate reported)",
      value: `${num(r)}×${cache ? `, hit rate ${hitRate(cache).toFixed(1)}%` : ""}`,
      met: r == null ? null : r >= 1,
    });
  }
  const rss = peakRssMb.claimdesk;
  targets.push({ target: "claimdesk RSS ≤ 200 MB", value: rss == null ? "–" : `${Math.round(rss)} MB`, met: rss == null ? null : rss <= 200 });
  return targets;
}
