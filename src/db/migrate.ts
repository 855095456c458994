import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The folder holding package.json and prisma.config.ts: two levels up from src/db, three from dist/src/db. */
function projectRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "prisma"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root (package.json beside prisma/) above ${from}`);
  }
}

/** The Prisma CLI's entry point as installed in node_modules (resolved, not assumed at .bin). */
function prismaCli(root = projectRoot()): string {
  const manifest = require.resolve("prisma/package.json", { paths: [root] });
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: { prisma: string } };
  return path.join(path.dirname(manifest), bin.prisma);
}

export interface MigrateOptions {
  /** Kill the CLI after this long (it would otherwise wait on an unresponsive database). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Applies the committed migrations (`prisma migrate deploy`, WebAssembly engine, no download) with
 * the CLI run by this very node, so it works from `tsx src/main.ts` and from `node dist/src/main.js`.
 */
export async function migrateDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<void> {
  const root = projectRoot();
  try {
    await run(process.execPath, [prismaCli(root), "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      timeout: options.timeoutMs ?? 0,
      killSignal: "SIGKILL",
      signal: options.signal,
    });
  } catch (error) {
    // The CLI's own explanation (e.g. P1001) is on its stdout/stderr; keep its last lines only.
    const { stdout = "", stderr = "", killed } = error as { stdout?: string; stderr?: string; killed?: boolean };
    const output = `${stderr}\n${stdout}`.split("\n").map((line) => line.trim()).filter(Boolean);
    const detail = killed ? `killed after ${options.timeoutMs} ms` : output.slice(-3).join(" | ");
    throw new Error(`prisma migrate deploy failed: ${detail}`, { cause: error });
  }
}
