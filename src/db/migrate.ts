import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const projectRoot = path.join(__dirname, "..", "..");

/** Applies the committed migrations (`prisma migrate deploy`, WebAssembly engine, no download). */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prisma = path.join(projectRoot, "node_modules", ".bin", "prisma");
  await run(prisma, ["migrate", "deploy"], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: databaseUrl } });
}
