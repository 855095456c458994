/** `npm run db:seed`: loads the example story into DATABASE_URL (idempotent). */
import { DEFAULT_DATABASE_URL } from "../src/db/connection";
import { createPrismaClient } from "../src/db/prisma";
import { seedExampleStory } from "./seed-data/example-story";
import { LOCAL_USERS } from "./seed-data/local-users";

async function main() {
  const prisma = createPrismaClient(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { poolSize: 2 });
  try {
    const { articleId } = await seedExampleStory(prisma);
    console.log(`Example story loaded (article ${articleId}).`);
    if (process.env.NODE_ENV !== "production") {
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
