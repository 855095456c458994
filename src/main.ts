import { loadConfig } from "./config";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./db/embedded";
import { ensureDatabase } from "./db/ensure-database";
import { migrateDatabase } from "./db/migrate";
import { createPrismaClient } from "./db/prisma";
import { createServer } from "./server";
import { PublishedReadCache } from "./http/published-cache";
import { seedExampleStory } from "../prisma/seed-data/example-story";
import { LOCAL_USERS } from "../prisma/seed-data/local-users";

async function main() {
  const config = loadConfig();
  const say = (message: string) => console.log(`[claimdesk] ${message}`);
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.embeddedDataDir, config.embeddedPort, say);
    databaseUrl = embedded.databaseUrl;
    say(`embedded PostgreSQL on port ${config.embeddedPort}, data in ${config.embeddedDataDir}`);
  }
  await ensureDatabase(databaseUrl);
  if (config.migrateOnStart) await migrateDatabase(databaseUrl);
  const prisma = createPrismaClient(databaseUrl, { poolSize: config.databasePoolSize, statementTimeoutMs: config.statementTimeoutMs, connectTimeoutMs: config.databaseConnectTimeoutMs });
  if (config.seedWhenEmpty && (await prisma.article.count()) === 0) {
    await seedExampleStory(prisma);
    say("database was empty: loaded the example story");
    if (process.env.NODE_ENV !== "production") {
      say("local users (LOCAL USE ONLY), sign in with the signIn mutation:");
      for (const user of LOCAL_USERS) say(`  ${user.role.padEnd(12)} ${user.email}  password: ${user.password}`);
    }
  }
  const publishedCache = config.publishedCache ? new PublishedReadCache(databaseUrl, say, config.publishedCacheMaxChars) : undefined;
  await publishedCache?.start();
  const { app } = await createServer({ prisma, config, publishedCache });
  await app.listen({ port: config.port, host: config.host });
  say(`GraphQL ready at http://localhost:${config.port}/graphql`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    await app.close();
    await publishedCache?.stop();
    await prisma.$disconnect();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error("[claimdesk] failed to start:", error);
  process.exit(1);
});
