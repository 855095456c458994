import { PrismaPg } from "@prisma/adapter-pg";
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
   * Unset: no limit (scripts, seeds, benchmarks).
   */
  statementTimeoutMs?: number;
  /** Longest wait for a new connection, and for a free one when the pool is full. Unset: forever. */
  connectTimeoutMs?: number;
}

export function createPrismaClient(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const { schema, ...poolConfig } = poolConfigFromUrl(databaseUrl);
  // adapter-pg ignores ?schema= in the URL: it must be passed separately.
  const adapter = new PrismaPg(
    {
      ...poolConfig,
      max: options.poolSize ?? 10,
      // A startup parameter, not a SET: no extra statement per connection or transaction.
      ...(options.statementTimeoutMs ? { options: `-c statement_timeout=${options.statementTimeoutMs}` } : {}),
      ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
      // Detects a peer that vanished (host down, network cut) on idle pooled connections.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
    schema ? { schema } : undefined,
  );
  return new PrismaClient({
    adapter,
    log: options.logQueries ? [{ emit: "event", level: "query" }] : [],
  });
}
