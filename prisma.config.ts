import { defineConfig } from "prisma/config";
import { MigrationAdapter, unrefLongTimers } from "./prisma/cli-adapter";
import { DEFAULT_DATABASE_URL, poolConfigFromUrl } from "./src/db/connection";
import { ensureDatabase } from "./src/db/ensure-database";

// schema.prisma reads env("DATABASE_URL"); default it so `prisma generate` works without one.
const databaseUrl = (process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL);

unrefLongTimers();

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => {
    await ensureDatabase(databaseUrl);
    const { schema: _schema, ...poolConfig } = poolConfigFromUrl(databaseUrl);
    return new MigrationAdapter(poolConfig);
  },
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
});
