/**
 * Sends random operations, generated from the schema by the seeded fuzzer of test/support/fuzz.ts,
 * and prints what came back:
 *
 *   npm run fuzz -- --count 10000 --seed nightly-1
 *   npm run fuzz -- --seed claimdesk-fuzz-1 --only 627,1286      replays operations by index
 *   npm run fuzz -- --url http://localhost:4000/graphql            a running development server
 *
 * Without --url it starts the server in this process on a fresh database (claimdesk_fuzz_<pid>) of
 * the PostgreSQL of DATABASE_URL (default postgresql://postgres@127.0.0.1:5432), loads the example
 * story, and drops the database at the end (--keep keeps it). With --url the server must hold the
 * example story and the local users (what `npm start` seeds in development); the fuzzer signs in as
 * them and WILL create, change and delete data there. Exit code 1 when anything failed.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { parseConfig } from "../src/config";
import { poolConfigFromUrl, withDatabase } from "../src/db/connection";
import { ensureDatabase } from "../src/db/ensure-database";
import { migrateDatabase } from "../src/db/migrate";
import { createPrismaClient } from "../src/db/prisma";
import { buildSchema } from "../src/schema";
import { createServer } from "../src/server";
import { LOCAL_USERS } from "../prisma/seed-data/local-users";
import { checkAnswer, collectGarbage, describeOperation, memoryMb, generateOperation, groupFindings, runFuzz, send, type Credentials, type FuzzPools, type FuzzRole } from "../test/support/fuzz";
import { exampleStoryPools, prepareFuzzDatabase } from "../test/support/fuzz-target";

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: "string", default: "2000" },
      seed: { type: "string", default: `${Date.now()}` },
      url: { type: "string" },
      only: { type: "string" },
      concurrency: { type: "string", default: "4" },
      keep: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
    },
  });
  const count = Number(values.count);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(concurrency) || concurrency < 1) throw new Error("--count and --concurrency take positive integers");
  const seed = values.seed;
  const schema = buildSchema();
  const target = values.url ? await remoteTarget(values.url) : await localTarget(values.keep);
  try {
    if (values.only) {
      for (const index of values.only.split(",").map(Number)) {
        const operation = generateOperation(schema, seed, index, target.pools);
        const answer = await send(target.url, operation, target.credentials);
        const findings = checkAnswer(operation, answer.status, answer.body);
        console.log(`${describeOperation(operation, 4000)}\n  -> HTTP ${answer.status} ${answer.body.slice(0, 2000)}\n  ${findings.length ? findings.map((f) => `FAIL ${f.kind}: ${f.detail}`).join("\n  ") : "ok"}\n`);
      }
      return;
    }
    collectGarbage();
    const before = memoryMb();
    const summary = await runFuzz({
      url: target.url,
      schema,
      seed,
      count,
      pools: target.pools,
      credentials: target.credentials,
      concurrency,
      progress: { every: 500, call: (done) => process.stderr.write(`  ${done}/${count} RSS ${memoryMb().rss} MB\n`) },
    });
    collectGarbage();
    const after = memoryMb();
    const groups = groupFindings(summary.findings);
    console.log(`seed ${seed}: ${count} operations in ${(summary.elapsedMs / 1000).toFixed(1)} s (${((count * 1000) / summary.elapsedMs).toFixed(0)}/s) against ${values.url ?? "an in-process server"}`);
    console.log(`HTTP status: ${JSON.stringify(summary.byStatus)}`);
    console.log(`error codes (operations with at least one): ${JSON.stringify(summary.byCode)}`);
    console.log(`answers without any error: ${summary.clean}; tokens renewed after signOut: ${summary.renewedTokens}`);
    if (!values.url) console.log(`process memory after a full GC (server included): RSS ${before.rss} -> ${after.rss} MB, JS heap ${before.heapUsed} -> ${after.heapUsed} MB`);
    console.log(`failures: ${summary.findings.length} in ${groups.length} classes`);
    for (const group of groups) {
      console.log(`\n${group.count} x ${group.key}\n  ${describeOperation(group.smallest.operation, values.verbose ? 4000 : 600)}\n  -> HTTP ${group.smallest.status} ${group.smallest.excerpt.slice(0, 300)}`);
    }
    process.exitCode = summary.findings.length ? 1 : 0;
  } finally {
    await target.close();
  }
}

interface Target {
  url: string;
  pools: FuzzPools;
  credentials: Credentials;
  close(): Promise<void>;
}

/** A running server: sign in as the local users. */
async function remoteTarget(url: string): Promise<Target> {
  const signIn = async (role: FuzzRole) => {
    const user = LOCAL_USERS.find((candidate) => candidate.role === role)!;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "mutation($input: SignInInput!) { signIn(input: $input) { token } }", variables: { input: { email: user.email, password: user.password } } }),
    });
    const json = (await response.json()) as { data?: { signIn?: { token: string } }; errors?: unknown };
    if (!json.data?.signIn) throw new Error(`cannot sign in as ${user.email}: ${JSON.stringify(json.errors)}`);
    return json.data.signIn.token;
  };
  const tokens = new Map<FuzzRole, Promise<string>>();
  return {
    url,
    pools: exampleStoryPools(),
    credentials: {
      token: (role) => {
        if (!tokens.has(role)) tokens.set(role, signIn(role));
        return tokens.get(role)!;
      },
      renew: async (role) => {
        tokens.set(role, signIn(role));
        await tokens.get(role);
      },
    },
    close: async () => {},
  };
}

/** The server in this process, on a fresh database. */
async function localTarget(keep: boolean): Promise<Target> {
  const serverUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const databaseUrl = withDatabase(serverUrl, `claimdesk_fuzz_${process.pid}`);
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  const prisma = createPrismaClient(databaseUrl, { poolSize: 5 });
  const { pools, credentials } = await prepareFuzzDatabase(prisma);
  const config = parseConfig({ ...process.env, NODE_ENV: "test", LOG_LEVEL: process.env.LOG_LEVEL ?? "silent", RATE_LIMIT_MAX: "100000" });
  const { app } = await createServer({ prisma, config });
  const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/graphql`;
  return {
    url,
    pools,
    credentials,
    close: async () => {
      await app.close();
      await prisma.$disconnect();
      if (keep) {
        console.log(`database kept: ${databaseUrl}`);
        return;
      }
      const { schema: _schema, ...config } = poolConfigFromUrl(serverUrl);
      const admin = new pg.Client({ ...config, database: "postgres" });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "claimdesk_fuzz_${process.pid}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
