import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client";
import { poolConfigFromUrl } from "./connection";

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface PrismaOptions {
  poolSize?: number;
  /** Emit an event per SQL statement (used by the statement-count tests and the benchmark). */
  logQueries?: boolean;
  /**
   * PostgreSQL `statement_timeout` of every pooled session, reads and writes alike: the server
   * cancels a statement that runs (or waits for a lock) longer, which also frees the connection.
   * Writes share it on purpose: each statement of a write transaction is short, and one stuck
   * behind a lock is cancelled and its transaction rolled back (HTTP 503) long before the
   * transaction's own timeout (src/shared/write.ts). Unset: no limit (scripts, seeds, benchmarks).
   */
  statementTimeoutMs?: number;
  /** Longest wait for a new connection, and for a free one when the pool is full. Unset: forever. */
  connectTimeoutMs?: number;
}

// The pg pool is created here (not inside PrismaPg) so that /metrics can read its counts.
const pools = new WeakMap<PrismaClient, pg.Pool>();

type StatementListener = (sql: string, values: unknown[]) => void;
const statementListeners = new WeakMap<PrismaClient, StatementListener[]>();

/**
 * Runs one statement on the client's pool directly (the read planner's path: its statement builds
 * JSON, so Prisma's row mapping would only cost time). A client made with `logQueries` reports
 * these to `onDirectStatement` listeners, as Prisma reports its own through `$on("query")`.
 */
export function directQuery(prisma: PrismaClient): (text: string, values: unknown[]) => Promise<Array<Record<string, unknown>>> {
  const pool = pools.get(prisma);
  if (!pool) throw new Error("directQuery needs a client made by createPrismaClient");
  return async (text, values) => {
    for (const listener of statementListeners.get(prisma) ?? []) listener(text, values);
    const name = preparedName(text);
    return (await pool.query(name ? { name, text, values } : { text, values })).rows as Array<Record<string, unknown>>;
  };
}

/**
 * The planner's statements are long (a few KB for a nested article) and few (one per selection
 * shape): the first MAX_PREPARED distinct texts become named prepared statements, so each pooled
 * connection parses them once, and PostgreSQL keeps a generic plan when it costs no more than the
 * plans made for each parameter (its default plan_cache_mode; the parameters are the root's lookup
 * and filters, the nested lists are correlated to their parent rows either way). Past that
 * bound (a client sending ever new selections) statements stay unnamed: no connection's cache grows
 * without limit.
 */
const MAX_PREPARED = 500;
const preparedNames = new Map<string, string>();

function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (!name && preparedNames.size < MAX_PREPARED) {
    name = `claimdesk_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** Calls `listener` with every statement directQuery runs on this client (statement-count tests, the benchmark). */
export function onDirectStatement(prisma: PrismaClient, listener: StatementListener): void {
  statementListeners.set(prisma, [...(statementListeners.get(prisma) ?? []), listener]);
}

/** The pg pool behind a client made by createPrismaClient (for pool metrics). */
export function poolOf(prisma: PrismaClient): pg.Pool | undefined {
  return pools.get(prisma);
}

export function createPrismaClient(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const { schema, ...poolConfig } = poolConfigFromUrl(databaseUrl);
  const pool = new pg.Pool({
    ...poolConfig,
    max: options.poolSize ?? 10,
    // A startup parameter, not a SET: no extra statement per connection or transaction.
    ...(options.statementTimeoutMs ? { options: `-c statement_timeout=${options.statementTimeoutMs}` } : {}),
    ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
    // Detects a peer that vanished (host down, network cut) on idle pooled connections.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  releaseConnectionsThatDie(pool);
  // An idle pooled connection that dies (database restart, pg_terminate_backend) is dropped by the
  // pool, which then emits "error": unheard, that event would end the process. The adapter's own
  // listener is gone once the client disconnects, while the read planner may still hold the pool.
  pool.on("error", () => {});
  // adapter-pg ignores ?schema= in the URL: it must be passed separately.
  const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
  const prisma = new PrismaClient({
    adapter,
    log: options.logQueries ? [{ emit: "event", level: "query" }] : [],
  });
  pools.set(prisma, pool);
  return prisma;
}

/**
 * adapter-pg never releases a connection that dies inside an interactive transaction (Prisma's
 * ROLLBACK fails on it, and the adapter releases only after a ROLLBACK): each transaction cut by
 * pg_terminate_backend or a database restart would cost the pool a connection for good, until
 * every request waits for one. A connection that ends while checked out is released here (the
 * pool destroys it); the owner's own release, should it come later, does nothing.
 */
function releaseConnectionsThatDie(pool: pg.Pool): void {
  const watching = new Map<pg.PoolClient, () => void>();
  pool.on("acquire", (client) => {
    const onEnd = () => {
      watching.delete(client);
      const release = client.release.bind(client);
      client.release = () => {};
      release(new Error("connection ended while checked out"));
    };
    watching.set(client, onEnd);
    client.once("end", onEnd);
  });
  pool.on("release", (_error, client) => {
    const onEnd = watching.get(client);
    if (!onEnd) return;
    watching.delete(client);
    client.removeListener("end", onEnd);
  });
}
