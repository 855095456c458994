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
}

// The pg pool is created here (not inside PrismaPg) so that /metrics can read its counts.
const pools = new WeakMap<PrismaClient, pg.Pool>();

/** The pg pool behind a client made by createPrismaClient (for pool metrics). */
export function poolOf(prisma: PrismaClient): pg.Pool | undefined {
  return pools.get(prisma);
}

export function createPrismaClient(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const { schema, ...poolConfig } = poolConfigFromUrl(databaseUrl);
  const pool = new pg.Pool({ ...poolConfig, max: options.poolSize ?? 10 });
  // adapter-pg ignores ?schema= in the URL: it must be passed separately.
  const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
  const prisma = new PrismaClient({
    adapter,
    log: options.logQueries ? [{ emit: "event", level: "query" }] : [],
  });
  pools.set(prisma, pool);
  return prisma;
}
