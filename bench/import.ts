/**
 * `npm run bench:import -- [--scale 5] [--file /tmp/claimdesk-bench.ndjson] [--regenerate] [--reexport]`
 *
 * The bulk import's target (issue 11): 10,000 articles, 100,000 claims and 300,000 attributions
 * (the bench generator at scale 5) imported into an empty database in at most 60 s with a peak
 * RSS of at most 300 MB.
 *
 * 1. The generator's data (bench/generate.ts) in the database `claimdesk_bench_import_src`
 *    (generated when missing, or with --regenerate).
 * 2. Exported to NDJSON (npm run export) when the file is missing, or with --reexport.
 * 3. A fresh, migrated, empty database `claimdesk_bench_import_dst`; the import runs in a child
 *    process (so its peak RSS is its own) and reports seconds and VmHWM.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import { finished } from "node:stream/promises";
import { loadavg } from "node:os";
import pg from "pg";
import { exportNdjson } from "../src/bulk/export";
import { importNdjson } from "../src/bulk/import";
import { databaseName, poolConfigFromUrl } from "../src/db/connection";
import { migrateDatabase } from "../src/db/migrate";
import { benchDatabaseUrl, numberFlag, parseFlags } from "./config";
import { generateDataset } from "./generate";

const SOURCE_DB = "claimdesk_bench_import_src";
const TARGET_DB = "claimdesk_bench_import_dst";

function vmHwmMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

async function admin(url: string, sql: string) {
  const { schema: _schema, ...config } = poolConfigFromUrl(url);
  const client = new pg.Client({ ...config, database: "postgres" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function hasData(url: string): Promise<boolean> {
  const { schema: _schema, ...config } = poolConfigFromUrl(url);
  const client = new pg.Client(config);
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM article");
    return Number(rows[0]!.n) > 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** The child: the import alone, then one JSON line on stdout. */
async function child(file: string, url: string) {
  const result = await importNdjson({ databaseUrl: url, file, onPhase: (p) => console.error(`[import] ${p} at ${process.uptime().toFixed(1)} s`) });
  console.log(JSON.stringify({ ok: result.ok, seconds: result.seconds, vmHwmMb: vmHwmMb(), records: result.records, summary: result.summary, errors: result.errors.slice(0, 5) }));
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const childFile = flags.get("child-file");
  if (typeof childFile === "string") return child(childFile, flags.get("child-url") as string);

  const scale = numberFlag(flags, "scale", undefined, 5);
  const file = typeof flags.get("file") === "string" ? (flags.get("file") as string) : `/tmp/claimdesk-bench-scale${scale}.ndjson`;
  const sourceUrl = benchDatabaseUrl(SOURCE_DB);
  const targetUrl = benchDatabaseUrl(TARGET_DB);

  if (flags.has("regenerate") || (!existsSync(file) && !(await hasData(sourceUrl)))) {
    await generateDataset({ databaseUrl: sourceUrl, scale, log: (m) => console.error(`[generate] ${m}`) });
  }
  if (flags.has("reexport") || flags.has("regenerate") || !existsSync(file)) {
    const t0 = performance.now();
    const out = createWriteStream(file);
    const { records } = await exportNdjson({ databaseUrl: sourceUrl, out });
    out.end();
    await finished(out);
    console.error(`[export] ${JSON.stringify(records)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const size = statSync(file).size;

  await admin(targetUrl, `DROP DATABASE IF EXISTS "${databaseName(targetUrl)}" WITH (FORCE)`);
  await admin(targetUrl, `CREATE DATABASE "${databaseName(targetUrl)}"`);
  await migrateDatabase(targetUrl);

  const load = loadavg().map((l) => l.toFixed(2)).join(", ");
  const started = performance.now();
  const run = spawnSync(process.execPath, [...process.execArgv, __filename, "--child-file", file, "--child-url", targetUrl], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const wall = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`import child failed (${run.status}): ${run.stdout}`);
  const result = JSON.parse(run.stdout.trim().split("\n").pop()!) as { ok: boolean; seconds: number; vmHwmMb: number; records: number; summary: Record<string, { created: number }>; errors: unknown[] };
  const loadAfter = loadavg().map((l) => l.toFixed(2)).join(", ");
  const created = Object.entries(result.summary).map(([k, v]) => `${k} ${v.created}`).join(", ");
  console.log(`file: ${file} (${(size / 1e6).toFixed(0)} MB, ${result.records} records)`);
  console.log(`import ok: ${result.ok}${result.ok ? "" : ` ${JSON.stringify(result.errors)}`}`);
  console.log(`created: ${created}`);
  console.log(`import: ${result.seconds.toFixed(1)} s (child process wall ${wall.toFixed(1)} s incl. node start), peak RSS (VmHWM) ${result.vmHwmMb.toFixed(0)} MB`);
  console.log(`load average before: ${load}; after: ${loadAfter} (2 cores)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
