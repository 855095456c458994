import { execFileSync } from "node:child_process";
import path from "node:path";
import { withAdminConnection } from "./admin";
import { templateDatabaseName, templateDatabaseUrl } from "./databases";

/**
 * Migrates a template database once per run with the real migration path (`prisma migrate
 * deploy`); each Jest worker then clones it (CREATE DATABASE ... TEMPLATE) in environment.ts.
 */
export default async function globalSetup() {
  process.env.CLAIMDESK_TEST_RUN = `${process.pid}`;
  const template = templateDatabaseName();
  await withAdminConnection(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${template}`);
  });
  const root = path.join(__dirname, "..", "..");
  execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: templateDatabaseUrl() },
    stdio: "pipe",
  });
}
