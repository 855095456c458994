/**
 * CPU time per request of each server, from /proc (user + system time of the server's process
 * over N sequential requests): what a request costs the server's Node process, which unlike
 * req/s hardly depends on what else the machine is doing; and the whole machine's CPU time per
 * request (the server, PostgreSQL's backend and this client together).
 *
 *   tsx bench/cpu.ts [--database claimdesk_bench] [--requests 400] [--only articleBySlug,...] [--servers claimdesk,raw,postgraphile] [--cpu-prof]
 *
 * Runs against an already generated bench database (`npm run bench` makes it).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadParams, readRequests, type OpName, type ServerName } from "./operations";
import { summarizeProfile } from "./profile";
import { startClaimdesk, startPostgraphile, startRaw, type RunningServer } from "./servers";

const { values } = parseArgs({
  options: {
    database: { type: "string", default: "claimdesk_bench" },
    requests: { type: "string", default: "400" },
    only: { type: "string", default: "articleBySlug,articlesPage,sourceWithAttributions" },
    servers: { type: "string", default: "claimdesk,raw,postgraphile" },
    "cpu-prof": { type: "boolean", default: false },
  },
});

const TICKS_PER_SECOND = 100;
const PROFILE_DIR = path.join(__dirname, "results", "profiles");

/** CPU time of the whole machine (every process: the server, PostgreSQL, this client), in ms. */
function machineCpuMs(): number {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return ((ticks.slice(0, 8).reduce((sum, value) => sum + value, 0) - idle) * 1000) / TICKS_PER_SECOND;
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function main() {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432");
  base.pathname = `/${values.database}`;
  const databaseUrl = base.toString();
  const params = await loadParams(databaseUrl);
  const count = Number(values.requests);
  const ops = values.only.split(",") as Array<Exclude<OpName, "mutationMix" | "claimSearch" | "mixed">>;
  const rows: string[] = [];
  for (const name of values.servers.split(",") as ServerName[]) {
    const server: RunningServer =
      name === "raw" ? await startRaw({ databaseUrl, poolSize: 10 }) : name === "postgraphile" ? await startPostgraphile({ databaseUrl, poolSize: 10 }) : await startClaimdesk({ databaseUrl, poolSize: 10, ...(values["cpu-prof"] ? { cpuProfDir: PROFILE_DIR } : {}) });
    try {
      for (const op of ops) {
        const requests = readRequests(op, name, params, {});
        const send = async (i: number) => {
          const response = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(requests[i % requests.length]) });
          const text = await response.text();
          if (!response.ok || text.includes('"errors"')) throw new Error(`${name} ${op}: ${text.slice(0, 300)}`);
        };
        for (let i = 0; i < 100; i += 1) await send(i); // warm-up
        const before = cpuMs(server.pid);
        const machineBefore = machineCpuMs();
        const started = performance.now();
        for (let i = 0; i < count; i += 1) await send(i);
        const wall = (performance.now() - started) / count;
        const machine = (machineCpuMs() - machineBefore) / count;
        rows.push(`| ${op} | ${name} | ${((cpuMs(server.pid) - before) / count).toFixed(2)} | ${machine.toFixed(2)} | ${wall.toFixed(2)} |`);
        console.error(rows.at(-1));
      }
    } finally {
      await server.stop();
    }
    if (name === "claimdesk" && values["cpu-prof"]) console.error(summarizeProfile(path.join(PROFILE_DIR, "claimdesk.cpuprofile"), 40).join("\n"));
  }
  console.log(["| operation | server | server CPU ms / request | machine CPU ms / request | wall ms / request (sequential) |", "| --- | --- | ---: | ---: | ---: |", ...rows].join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
