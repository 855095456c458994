import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";
import { poolConfigFromUrl } from "./connection";

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface PrismaOptions {
  poolSize?: number;
  /** Emit an event per SQL statement (used by the statement-count tests and the benchmark). */
  logQueries?: boolean;
}

export function createPrismaClient(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const { schema, ...poolConfig } = poolConfigFromUrl(databaseUrl);
  // adapter-pg ignores ?schema= in the URL: it must be passed separately.
  const adapter = new PrismaPg({ ...poolConfig, max: options.poolSize ?? 10 }, schema ? { schema } : undefined);
  return new PrismaClient({
    adapter,
    log: options.logQueries ? [{ emit: "event", level: "query" }] : [],
  });
}
