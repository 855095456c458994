/**
 * `npm run db:seed`: loads the example story into DATABASE_URL (idempotent).
 * `npm run db:seed -- --file <export.ndjson>`: loads any claimdesk NDJSON export instead (the bulk
 * import, docs/bulk.md), e.g. prisma/seed-data/example-story.ndjson. Local users are created first in
 * both cases (not in production), so that verdict recorders in the file find their users.
 */
import { runImport, formatReport, formatSummary } from "../src/bulk/cli";
import { DEFAULT_DATABASE_URL } from "../src/db/connection";
import { createPrismaClient } from "../src/db/prisma";
import { seedExampleStory } from "./seed-data/example-story";
import { LOCAL_USERS, seedLocalUsers } from "./seed-data/local-users";

function fileFlag(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === "--file" || a.startsWith("--file="));
  if (i === -1) return undefined;
  const value = argv[i]!.includes("=") ? argv[i]!.slice("--file=".length) : argv[i + 1];
  if (!value) throw new Error("usage: npm run db:seed -- [--file <export.ndjson>]");
  return value;
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const file = fileFlag(process.argv.slice(2));
  const local = process.env.NODE_ENV !== "production";
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  try {
    if (file) {
      if (local) await prisma.$transaction((tx) => seedLocalUsers(tx));
      await prisma.$disconnect();
      const result = await runImport(file, false, databaseUrl);
      const report = formatReport(result);
      if (report) console.log(report);
      console.log(formatSummary(result));
      if (!result.ok) process.exitCode = 1;
    } else {
      const { articleId } = await seedExampleStory(prisma);
      console.log(`Example story loaded (article ${articleId}).`);
    }
    if (local && process.exitCode !== 1) {
      console.log("Local users (LOCAL USE ONLY; sign in with the signIn mutation):");
      for (const user of LOCAL_USERS) console.log(`  ${user.role.padEnd(12)} ${user.email}  password: ${user.password}`);
    }
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
