/**
 * The README's first promise: with no DATABASE_URL, `npm start` runs an embedded PostgreSQL, loads
 * the example story and answers GraphQL; SIGTERM stops the server and the embedded PostgreSQL
 * cleanly; a restart on the same data directory keeps the data and does not seed it twice.
 *
 * This spawns the real entry point (`tsx src/main.ts`); it does not use the per-test database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { accepts, embeddedWorkDir, freePort, removeEmbeddedWorkDir } from "./support/processes";

const ROOT = path.join(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const STORY_SLUG = "china-fills-russias-critical-war-gaps-us-says";
const QUERY = "{ articles(first: 5) { totalCount edges { node { slug claims { statement } } } } }";
const READY_WITHIN_MS = 60_000;
const EXIT_WITHIN_MS = 20_000;

interface ArticlesAnswer {
  data?: { articles: { totalCount: number; edges: Array<{ node: { slug: string; claims: Array<{ statement: string }> } }> } };
  errors?: unknown[];
}

interface Server {
  child: ChildProcess;
  output: () => string;
  excerpt: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServer(env: NodeJS.ProcessEnv): Server {
  const child = spawn(TSX, ["src/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  // For failure messages: the start of the log (how it started) and its end (what went wrong last).
  const excerpt = () => (output.length <= 6_000 ? output : `${output.slice(0, 2_000)}\n[...]\n${output.slice(-4_000)}`);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, excerpt, exited };
}

async function queryArticles(port: number): Promise<ArticlesAnswer> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: QUERY }),
    signal: AbortSignal.timeout(5_000),
  });
  return (await response.json()) as ArticlesAnswer;
}

/** Polls until the server answers the query with the seeded story; fails early if the process dies. */
async function waitForStory(server: Server, port: number): Promise<ArticlesAnswer> {
  const deadline = Date.now() + READY_WITHIN_MS;
  let lastProblem: unknown = "no answer yet";
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`server exited (${server.child.exitCode ?? server.child.signalCode}) before answering:\n${server.excerpt()}`);
    }
    try {
      const answer = await queryArticles(port);
      if (answer.data?.articles.edges.some((edge) => edge.node.slug === STORY_SLUG)) return answer;
      lastProblem = answer;
    } catch (error) {
      lastProblem = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const last = lastProblem instanceof Error ? String(lastProblem) : JSON.stringify(lastProblem).slice(0, 500);
  throw new Error(`no answer with the example story within ${READY_WITHIN_MS} ms (last: ${last}):\n${server.excerpt()}`);
}

/**
 * Starts a GraphQL request and leaves it unfinished (half of the body sent); `finish` sends the
 * rest and resolves with the raw HTTP response once the server closes the connection.
 */
async function startRequest(port: number): Promise<{ finish: () => Promise<string> }> {
  const body = JSON.stringify({ query: "{ articles { totalCount } }" });
  const socket = net.connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let response = "";
  socket.on("data", (chunk: Buffer) => (response += chunk.toString("utf8")));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  socket.write(head + body.slice(0, 10));
  return {
    finish: async () => {
      socket.write(body.slice(10));
      await closed;
      return response;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stopServer(server: Server): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  server.child.kill("SIGTERM");
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`server did not exit within ${EXIT_WITHIN_MS} ms of SIGTERM:\n${server.excerpt()}`)), EXIT_WITHIN_MS).unref(),
  );
  return Promise.race([server.exited, timeout]);
}

describe("npm start without DATABASE_URL", () => {
  let workDir: string;
  let dataDir: string;
  const running: Server[] = [];

  beforeAll(async () => {
    ({ workDir, dataDir } = await embeddedWorkDir("claimdesk-startup-"));
  });

  afterAll(async () => {
    // Only after a failure: stop what is still running (the server, then a PostgreSQL left behind).
    for (const server of running) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
    }
    await removeEmbeddedWorkDir({ workDir, dataDir });
  });

  it("serves the example story from an embedded PostgreSQL, stops cleanly on SIGTERM and keeps the data across restarts", async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: "info", STARTUP_TIMEOUT_MS: "120000" };
    delete env.DATABASE_URL;
    delete env.SEED_WHEN_EMPTY;

    // First start: initialises the data folder, migrates, seeds.
    const startedAt = performance.now();
    const first = startServer(env);
    running.push(first);
    const answer = await waitForStory(first, port);
    const readyMs = Math.round(performance.now() - startedAt);
    console.log(`claimdesk startup (fresh data folder): spawn to first answered query in ${readyMs} ms`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.articles.totalCount).toBe(1);
    expect(answer.data!.articles.edges[0]!.node.slug).toBe(STORY_SLUG);
    expect(answer.data!.articles.edges[0]!.node.claims).toHaveLength(10);
    expect(first.output()).toContain("loaded the example story");

    // SIGTERM with a request in flight: the request is still answered, then the process exits 0.
    const inFlight = await startRequest(port);
    await sleep(300);
    const firstStopped = stopServer(first);
    await sleep(1_000);
    expect(await inFlight.finish()).toContain('{"data":{"articles":{"totalCount":1}}}');
    expect(await firstStopped).toEqual({ code: 0, signal: null });
    expect(await accepts(pgPort)).toBe(false);
    expect(await accepts(port)).toBe(false);
    // PostgreSQL removes its pid file only on a clean shutdown.
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);

    // Second start on the same folder: the data is still there, and is not seeded again.
    const restartedAt = performance.now();
    const second = startServer(env);
    running.push(second);
    const again = await waitForStory(second, port);
    console.log(`claimdesk startup (existing data folder): spawn to first answered query in ${Math.round(performance.now() - restartedAt)} ms`);
    expect(again.data!.articles.totalCount).toBe(1);
    expect(again.data!.articles.edges[0]!.node.claims).toHaveLength(10);
    expect(second.output()).not.toContain("initialising embedded PostgreSQL");
    expect(second.output()).not.toContain("loaded the example story");

    const secondExit = await stopServer(second);
    expect(secondExit).toEqual({ code: 0, signal: null });
    expect(await accepts(pgPort)).toBe(false);
  }, 120_000);
});
