import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { poolConfigFromUrl } from "../../src/db/connection";
import { TEMPLATE_DATABASE, TEST_SERVER_URL, templateDatabaseUrl } from "./databases";

/**
 * Migrates a template database once per run with the real migration path (`prisma migrate
 * deploy`); each Jest worker then clones it (CREATE DATABASE ... TEMPLATE) in per-test.ts.
 */
export default async function globalSetup() {
  const { schema: _schema, ...config } = poolConfigFromUrl(TEST_SERVER_URL);
  const admin = new pg.Client({ ...config, database: "postgres" });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const root = path.join(__dirname, "..", "..");
  execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: templateDatabaseUrl() },
    stdio: "pipe",
  });
}
