/** `npm run db:seed`: loads the example story into DATABASE_URL (idempotent). */
import { DEFAULT_DATABASE_URL } from "../src/db/connection";
import { createPrismaClient } from "../src/db/prisma";
import { seedExampleStory } from "./seed-data/example-story";

async function main() {
  const prisma = createPrismaClient(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { poolSize: 2 });
  try {
    const { articleId } = await seedExampleStory(prisma);
    console.log(`Example story loaded (article ${articleId}).`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
