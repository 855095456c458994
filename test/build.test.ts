/**
 * What the Docker image runs: `npm run build` output started with `node dist/src/main.js`
 * (`npm run start:prod`), in production mode, against a database that does not exist yet: it is
 * created, migrated by the compiled code (the Prisma CLI resolved from node_modules), serves
 * GraphQL with the SDL copied beside the compiled schema, seeds nothing, and stops on SIGTERM.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { poolConfigFromUrl, withDatabase } from "../src/db/connection";
import { withAdminConnection } from "./support/admin";
import { TEST_SERVER_URL } from "./support/databases";
import { ROOT, freePort, jsonLines, spawnLogged, waitFor } from "./support/processes";

const run = promisify(execFile);
const DATABASE = `claimdesk_test_${process.env.CLAIMDESK_TEST_RUN}_build`;

afterAll(async () => {
  await withAdminConnection((admin) => admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
});

it("npm run build produces JS that starts in production, migrates a new database and stops cleanly", async () => {
  await withAdminConnection((admin) => admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
  await run("npm", ["run", "build", "--silent"], { cwd: ROOT, timeout: 240_000 });
  expect(existsSync(path.join(ROOT, "dist", "src", "main.js"))).toBe(true);
  expect(existsSync(path.join(ROOT, "dist", "schema", "article.graphql"))).toBe(true);
  expect(existsSync(path.join(ROOT, "dist", "test"))).toBe(false);

  const port = await freePort();
  const server = spawnLogged(process.execPath, ["dist/src/main.js"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: withDatabase(TEST_SERVER_URL, DATABASE), PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
  });
  try {
    await waitFor(
      60_000,
      async () => {
        if (server.child.exitCode !== null) throw new Error(`dist/src/main.js exited:\n${server.excerpt()}`);
        const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      () => `not ready within 60 s:\n${server.excerpt()}`,
    );
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query Count { articles { totalCount } }" }),
    });
    // Production: no demo story.
    expect(await response.json()).toEqual({ data: { articles: { totalCount: 0 } } });
    // Every committed migration was applied by the compiled code.
    const client = new pg.Client(poolConfigFromUrl(withDatabase(TEST_SERVER_URL, DATABASE)));
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1");
      const committed = readdirSync(path.join(ROOT, "prisma", "migrations")).filter((name) => /^\d+_/.test(name)).sort();
      expect(rows.map((row) => row.migration_name)).toEqual(committed);
    } finally {
      await client.end();
    }
  } finally {
    const signalledAt = performance.now();
    server.child.kill("SIGTERM");
    const exit = await server.exited;
    console.log(`node dist/src/main.js: SIGTERM to exit ${exit.code} in ${Math.round(performance.now() - signalledAt)} ms`);
    expect(exit).toEqual({ code: 0, signal: null });
  }
  const lines = jsonLines(server.output());
  expect(lines.some((line) => line.msg === "stopped")).toBe(true);
  expect(lines.some((line) => String(line.msg).includes("example story"))).toBe(false);
}, 300_000);
