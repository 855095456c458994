import path from "node:path";

/** Every setting claimdesk reads from the environment (documented in README.md and .env.example). */
export interface Config {
  /** PostgreSQL to use; when absent, `npm start` runs an embedded PostgreSQL. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  embeddedDataDir: string;
  embeddedPort: number;
  /** Load the example story when the database is empty (default on). */
  seedWhenEmpty: boolean;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  databasePoolSize: number;
  logLevel: string;
  /** Serve anonymous reads from a cache emptied on every write, across instances (default on). */
  publishedCache: boolean;
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function loadConfig(): Config {
  return {
    databaseUrl: process.env.DATABASE_URL || undefined,
    port: integer("PORT", 4000),
    host: process.env.HOST || "0.0.0.0",
    embeddedDataDir: path.resolve(process.env.EMBEDDED_PG_DIR || path.join(__dirname, "..", ".data", "postgres")),
    embeddedPort: integer("EMBEDDED_PG_PORT", 54329),
    seedWhenEmpty: process.env.SEED_WHEN_EMPTY !== "false",
    bodyLimit: integer("BODY_LIMIT_BYTES", 1_048_576),
    databasePoolSize: integer("DATABASE_POOL_SIZE", 10),
    logLevel: process.env.LOG_LEVEL || "info",
    publishedCache: process.env.PUBLISHED_CACHE !== "off",
  };
}
