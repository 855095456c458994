/**
 * The servers under test, each started as a child process on a free port (so that its CPU and its
 * memory are its own and can be measured): claimdesk (built, then `npm run start:prod`'s command), the raw-SQL
 * server and PostGraphile.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { ServerName } from "./operations";

export const PROJECT_ROOT = path.join(__dirname, "..");
export const POSTGRAPHILE_DIR = path.join(__dirname, "postgraphile");

export interface RunningServer {
  name: ServerName;
  /** GraphQL endpoint. */
  url: string;
  pid: number;
  /** SQL statements the server has sent so far, where it can tell (raw, PostGraphile). */
  statements(): Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilReady(child: ChildProcess, probe: () => Promise<boolean>, log: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log()}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(150);
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s:\n${log()}`);
}

function startChild(
  name: ServerName,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; port: number; probe: (base: string) => Promise<boolean>; statsPath?: string; timeoutMs?: number },
): Promise<RunningServer> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const base = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const server: RunningServer = {
    name,
    url: `${base}/graphql`,
    pid: child.pid!,
    statements: async () => {
      if (!options.statsPath) return null;
      const response = await fetch(`${base}${options.statsPath}`);
      return ((await response.json()) as { statements: number }).statements;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return waitUntilReady(child, () => options.probe(base), () => `[${name}] ${output}`, options.timeoutMs ?? 90_000).then(
    () => server,
    async (error: Error) => {
      await server.stop();
      throw new Error(`${name}: ${error.message}`);
    },
  );
}

const ok = async (url: string, init?: RequestInit) => (await fetch(url, init)).ok;

/**
 * The command production runs (package.json "start:prod", which the Docker image's CMD repeats):
 * `node <V8 flags> dist/src/main.js`, split into node's arguments.
 */
function productionArgs(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const [command, ...args] = (manifest.scripts["start:prod"] ?? "").trim().split(/\s+/);
  if (command !== "node" || !args.at(-1)?.endsWith(".js")) throw new Error(`package.json start:prod is not "node [flags] <file>.js"`);
  return args;
}

/** Where the bench compiles claimdesk (git-ignored): not dist/, which `npm run build` and its test own. */
const BUILD_DIR = path.join(__dirname, ".build");
let built = false;

/**
 * Compiles the server as `npm run build` does (tsconfig.build.json, plus the SDL beside it) into
 * bench/.build, once per run, without type-checking (`--noCheck`: ~9 s instead of ~40 s; `npm run
 * typecheck` is what checks). The bench then measures the JavaScript production runs.
 */
function buildClaimdesk(): void {
  if (built) return;
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = require.resolve("typescript/bin/tsc", { paths: [PROJECT_ROOT] });
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--noCheck", "--outDir", BUILD_DIR], { cwd: PROJECT_ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("claimdesk: compiling into bench/.build failed");
  cpSync(path.join(PROJECT_ROOT, "schema"), path.join(BUILD_DIR, "schema"), { recursive: true });
  built = true;
}

export async function startClaimdesk(options: { databaseUrl: string; poolSize: number; cpuProfDir?: string; cached?: boolean }): Promise<RunningServer> {
  const port = await freePort();
  // As in production: compiled, with start:prod's flags (tsx's loader and source maps cost ~20 MB of RSS).
  buildClaimdesk();
  const args = productionArgs();
  const entry = path.join(BUILD_DIR, path.relative("dist", args.pop()!));
  const nodeArgs = [...args];
  if (options.cpuProfDir) {
    mkdirSync(options.cpuProfDir, { recursive: true });
    nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`, "--cpu-prof-name=claimdesk.cpuprofile");
  }
  return startChild(options.cached ? "claimdesk-cached" : "claimdesk", process.execPath, [...nodeArgs, entry], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      PORT: String(port),
      HOST: "127.0.0.1",
      SEED_WHEN_EMPTY: "false",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      PUBLISHED_CACHE: options.cached ? "on" : "off",
      // The load generator is one client IP: the per-IP rate limit would measure 429s.
      RATE_LIMIT_MAX: "1000000000",
    },
    port,
    probe: (base) => ok(`${base}/healthz`),
  });
}

export async function startRaw(options: { databaseUrl: string; poolSize: number }): Promise<RunningServer> {
  const port = await freePort();
  return startChild("raw", process.execPath, ["--require", "tsx/cjs", path.join(__dirname, "raw-server.ts")], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, POOL_SIZE: String(options.poolSize), PORT: String(port) },
    port,
    probe: (base) => ok(`${base}/healthz`),
    statsPath: "/__bench/stats",
  });
}

/** Installs bench/postgraphile's own dependencies (`npm ci`) when they are missing; false if that fails. */
export function ensurePostgraphileInstalled(log: (message: string) => void): boolean {
  if (existsSync(path.join(POSTGRAPHILE_DIR, "node_modules", "postgraphile"))) return true;
  log("bench/postgraphile/node_modules is missing: running npm ci there");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: POSTGRAPHILE_DIR, stdio: "inherit" });
  return result.status === 0 && existsSync(path.join(POSTGRAPHILE_DIR, "node_modules", "postgraphile"));
}

export async function startPostgraphile(options: { databaseUrl: string; poolSize: number }): Promise<RunningServer> {
  const port = await freePort();
  return startChild("postgraphile", process.execPath, [path.join(POSTGRAPHILE_DIR, "server.js")], {
    cwd: POSTGRAPHILE_DIR,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, POOL_SIZE: String(options.poolSize), PORT: String(port), NODE_ENV: "production" },
    port,
    probe: (base) =>
      ok(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' }),
    statsPath: "/__bench/stats",
  });
}
