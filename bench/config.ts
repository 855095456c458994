import { withDatabase } from "../src/db/connection";

/** The PostgreSQL server the benchmark uses: BENCH_DATABASE_URL, else DATABASE_URL, else the local one. */
export function benchServerUrl(): string {
  return process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
}

export const DEFAULT_BENCH_DATABASE = "claimdesk_bench";

/**
 * The benchmark's own database on that server (it is dropped and recreated by the generator, so it
 * is never the database named in the URL unless BENCH_DATABASE says so).
 */
export function benchDatabaseUrl(database = process.env.BENCH_DATABASE || DEFAULT_BENCH_DATABASE): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`bench database name must be a plain identifier, got "${database}"`);
  return withDatabase(benchServerUrl(), database);
}

/** Pool size of every server under test (claimdesk's default DATABASE_POOL_SIZE). */
export const DEFAULT_POOL_SIZE = 10;

/** Minimal `--flag value` / `--flag=value` / `--switch` parser. */
export function parseFlags(argv: string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    if (eq !== -1) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) {
      flags.set(arg.slice(2), argv[++i]!);
    } else {
      flags.set(arg.slice(2), true);
    }
  }
  return flags;
}

export function numberFlag(flags: Map<string, string | true>, name: string, env: string | undefined, fallback: number): number {
  const raw = flags.get(name) ?? (env ? process.env[env] : undefined);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
  return value;
}
