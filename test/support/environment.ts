import { createPrismaClient, onDirectStatement, type PrismaClient } from "../../src/db/prisma";
import { withAdminConnection } from "./admin";
import { templateDatabaseName, workerDatabaseName, workerDatabaseUrl } from "./databases";

let prismaPromise: Promise<PrismaClient> | undefined;
let statements: string[] = [];

async function cloneTemplate(): Promise<void> {
  await withAdminConnection(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${workerDatabaseName()} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${workerDatabaseName()} TEMPLATE ${templateDatabaseName()}`);
  });
}

/** This worker's Prisma client, on this worker's own database (cloned once per test file). */
export function testPrisma(): Promise<PrismaClient> {
  prismaPromise ??= (async () => {
    await cloneTemplate();
    const prisma = createPrismaClient(workerDatabaseUrl(), { poolSize: 5, logQueries: true });
    prisma.$on("query" as never, (event: { query: string }) => {
      statements.push(event.query);
    });
    onDirectStatement(prisma, (query) => statements.push(query));
    return prisma;
  })();
  return prismaPromise;
}

/** Every SQL statement sent since the last call, through Prisma or the read planner (for the statement-count tests). */
export function takeStatements(): string[] {
  const taken = statements;
  statements = [];
  return taken;
}

export async function resetDatabase(): Promise<void> {
  const prisma = await testPrisma();
  const tables = await prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length) {
    await prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
  }
  takeStatements();
}

export async function closeTestEnvironment(): Promise<void> {
  if (!prismaPromise) return;
  const prisma = await prismaPromise;
  prismaPromise = undefined;
  await prisma.$disconnect();
}

/** Every row of every table, in a stable order: compare before/after to prove nothing changed. */
export async function databaseSnapshot(): Promise<Record<string, unknown[]>> {
  const prisma = await testPrisma();
  const tables = await prisma.$queryRaw<Array<{ tablename: string }>>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`;
  const snapshot: Record<string, unknown[]> = {};
  for (const { tablename } of tables) {
    snapshot[tablename] = await prisma.$queryRawUnsafe(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t ORDER BY 1`);
  }
  return snapshot;
}
