import pg from "pg";
import { poolConfigFromUrl } from "./connection";

/** pg waits forever for a server that accepts TCP and never answers; this bounds connecting. */
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Creates the database named in the URL when it does not exist yet (connecting to `postgres`). */
export async function ensureDatabase(databaseUrl: string, { connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS } = {}): Promise<void> {
  const { schema: _schema, ...config } = poolConfigFromUrl(databaseUrl);
  const admin = new pg.Client({ ...config, database: "postgres", connectionTimeoutMillis: connectTimeoutMs });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => {});
    throw error;
  }
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [config.database]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${String(config.database).replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created concurrently by another process
      });
    }
  } finally {
    await admin.end();
  }
}
