/**
 * The README's command, `npm start`, stopped the way a terminal or a supervisor stops it: SIGTERM
 * or SIGINT to the npm process only. npm passes the signal on to the server (the start script
 * `exec`s node, so there is no shell or tsx process in between), which drains and exits 0; npm
 * then exits 0 and nothing of the process group is left running.
 *
 * Before: npm exited within 8 ms and the server kept running, orphaned, still answering writes.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { accepts, embeddedWorkDir, freePort, jsonLines, liveProcessesOfGroup, removeEmbeddedWorkDir, spawnLogged, waitFor, type Spawned } from "./support/processes";

const READY_WITHIN_MS = 90_000;
const GONE_WITHIN_MS = 20_000;

describe("npm start and signals", () => {
  let workDir: string;
  let dataDir: string;
  const running: Spawned[] = [];

  beforeAll(async () => {
    ({ workDir, dataDir } = await embeddedWorkDir("claimdesk-signals-"));
  });

  afterAll(async () => {
    // Only after a failure: kill whatever of the groups is left, then a PostgreSQL left behind.
    for (const npm of running) {
      try {
        process.kill(-npm.child.pid!, "SIGKILL");
      } catch {
        // group already gone
      }
    }
    await removeEmbeddedWorkDir({ workDir, dataDir });
  });

  async function npmStart(port: number, pgPort: number): Promise<Spawned> {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: "info", STARTUP_TIMEOUT_MS: "120000" };
    delete env.DATABASE_URL;
    delete env.NODE_ENV;
    // Its own process group, as a terminal would start it, so that the whole group can be inspected.
    const npm = spawnLogged("npm", ["start", "--silent"], { env, detached: true });
    running.push(npm);
    await waitFor(
      READY_WITHIN_MS,
      async () => {
        if (npm.child.exitCode !== null || npm.child.signalCode !== null) throw new Error(`npm start exited early:\n${npm.excerpt()}`);
        const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      () => `not ready within ${READY_WITHIN_MS} ms:\n${npm.excerpt()}`,
    );
    return npm;
  }

  async function stopWith(signal: NodeJS.Signals, npm: Spawned, port: number, pgPort: number) {
    const pgid = npm.child.pid!;
    expect(liveProcessesOfGroup(pgid).length).toBeGreaterThanOrEqual(2); // npm and the server (and PostgreSQL)
    const signalledAt = performance.now();
    process.kill(npm.child.pid!, signal); // npm only, not the group
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      npm.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`npm did not exit within ${GONE_WITHIN_MS} ms:\n${npm.excerpt()}`)), GONE_WITHIN_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const exitMs = Math.round(performance.now() - signalledAt);
    const left = await waitFor(
      GONE_WITHIN_MS,
      () => (liveProcessesOfGroup(pgid).length === 0 ? [] : undefined),
      () => `processes left in the group after ${signal}: ${liveProcessesOfGroup(pgid).join("; ")}\n${npm.excerpt()}`,
    );
    console.log(`npm start, ${signal} to npm: npm exited ${exit.code} after ${exitMs} ms, group empty after ${Math.round(performance.now() - signalledAt)} ms`);
    expect(left).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await accepts(port)).toBe(false);
    expect(await accepts(pgPort)).toBe(false);
    // A clean PostgreSQL shutdown removes its pid file.
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    const lines = jsonLines(npm.output());
    expect(lines.some((line) => line.msg === `${signal}: draining and shutting down`)).toBe(true);
    expect(lines.some((line) => line.msg === "stopped")).toBe(true);
  }

  it("SIGTERM to npm stops the server and the embedded PostgreSQL; then SIGINT does the same", async () => {
    const port = await freePort();
    const pgPort = await freePort();

    const first = await npmStart(port, pgPort);
    // A write is acknowledged while running...
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ articles { totalCount } }" }),
    });
    expect(await answer.json()).toEqual({ data: { articles: { totalCount: 1 } } });
    await stopWith("SIGTERM", first, port, pgPort);

    const second = await npmStart(port, pgPort);
    await stopWith("SIGINT", second, port, pgPort);
  }, 240_000);
});
