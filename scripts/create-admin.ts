/**
 * Creates the first admin (or any admin) of a claimdesk installation:
 *
 *   npm run admin:create -- --email ada@newsroom.example --name "Ada Admin" [--token "import script"]
 *
 * The password is read from ADMIN_PASSWORD, or generated and printed once. With --token, an API
 * token for scripts is issued to the new admin and printed once (only its hash is stored).
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` when DATABASE_URL is not set.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../src/db/embedded";
import { ensureDatabase } from "../src/db/ensure-database";
import { migrateDatabase } from "../src/db/migrate";
import { createPrismaClient } from "../src/db/prisma";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../src/modules/user/user.password";
import { issueToken } from "../src/modules/user/user.tokens";

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, token: { type: "string" } } });
  if (!values.email || !values.name) throw new Error('usage: npm run admin:create -- --email <email> --name "<name>" [--token "<token name>"]');
  const password = process.env.ADMIN_PASSWORD || randomBytes(18).toString("base64url");
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);

  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.embeddedDataDir, config.embeddedPort, console.log);
    databaseUrl = embedded.databaseUrl;
  }
  const prisma = createPrismaClient(databaseUrl, { poolSize: 1 });
  try {
    await ensureDatabase(databaseUrl);
    await migrateDatabase(databaseUrl);
    const email = values.email.trim().toLowerCase();
    if (await prisma.user.findUnique({ where: { email } })) throw new Error(`a user with the email ${email} already exists`);
    const user = await prisma.user.create({ data: { email, name: values.name, role: "ADMIN", passwordHash: await hashPassword(password) } });
    console.log(`Admin created: ${user.email} (${user.id})`);
    if (!process.env.ADMIN_PASSWORD) console.log(`Password (shown once): ${password}`);
    if (values.token) {
      const { token } = await issueToken(prisma, user.id, "API", { name: values.token });
      console.log(`API token "${values.token}" (shown once): ${token}`);
    }
  } finally {
    await prisma.$disconnect();
    await embedded?.stop();
  }
}

main().catch((error: Error) => {
  console.error(`admin:create failed: ${error.message}`);
  process.exit(1);
});
