/**
 * A start that cannot reach its database ends with one clear JSON line and exit code 1, fast,
 * whether PostgreSQL refuses connections or accepts TCP and never answers; STARTUP_TIMEOUT_MS
 * bounds the whole start whatever hangs.
 */
import { blackHole, freePort, jsonLines, spawnLogged } from "./support/processes";

const EXIT_WITHIN_MS = 30_000;

async function startAgainst(databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const startedAt = performance.now();
  const server = spawnLogged(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "info", ...env },
  });
  const timer = setTimeout(() => server.child.kill("SIGKILL"), EXIT_WITHIN_MS + 5_000);
  const exit = await server.exited;
  clearTimeout(timer);
  const elapsedMs = Math.round(performance.now() - startedAt);
  return { exit, elapsedMs, output: server.output() };
}

function theFatalLine(output: string) {
  const lines = jsonLines(output);
  const fatal = lines.filter((line) => line.level === 60);
  expect(fatal).toHaveLength(1);
  return fatal[0]!;
}

describe("start with an unreachable database", () => {
  it("exits 1 with one line naming the database when nothing listens on its port", async () => {
    const port = await freePort();
    const { exit, elapsedMs, output } = await startAgainst(`postgresql://postgres@127.0.0.1:${port}/claimdesk`);
    console.log(`start against a closed port: exit ${exit.code} after ${elapsedMs} ms`);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
    const fatal = theFatalLine(output);
    expect(fatal.msg).toContain(`connecting to PostgreSQL at 127.0.0.1:${port}`);
    expect(fatal.msg).toContain("ECONNREFUSED");
  }, 60_000);

  it("exits 1 within DATABASE_CONNECT_TIMEOUT_MS when PostgreSQL accepts TCP and never answers", async () => {
    const hole = await blackHole();
    try {
      const { exit, elapsedMs, output } = await startAgainst(`postgresql://postgres@127.0.0.1:${hole.port}/claimdesk`, { DATABASE_CONNECT_TIMEOUT_MS: "3000" });
      console.log(`start against a black-hole port (connect timeout 3000 ms): exit ${exit.code} after ${elapsedMs} ms`);
      expect(exit).toEqual({ code: 1, signal: null });
      expect(elapsedMs).toBeLessThan(EXIT_WITHIN_MS);
      const fatal = theFatalLine(output);
      expect(fatal.msg).toContain(`connecting to PostgreSQL at 127.0.0.1:${hole.port}`);
      expect(String(fatal.msg).toLowerCase()).toContain("timeout");
    } finally {
      await hole.close();
    }
  }, 60_000);

  it("gives up after STARTUP_TIMEOUT_MS whatever hangs, saying where it was stuck", async () => {
    const hole = await blackHole();
    try {
      const { exit, elapsedMs, output } = await startAgainst(`postgresql://postgres@127.0.0.1:${hole.port}/claimdesk`, {
        DATABASE_CONNECT_TIMEOUT_MS: "600000",
        STARTUP_TIMEOUT_MS: "2000",
      });
      console.log(`start against a black-hole port (startup timeout 2000 ms): exit ${exit.code} after ${elapsedMs} ms`);
      expect(exit).toEqual({ code: 1, signal: null });
      const fatal = theFatalLine(output);
      expect(fatal.msg).toBe(`startup did not finish within 2000 ms (stuck connecting to PostgreSQL at 127.0.0.1:${hole.port}); exiting`);
    } finally {
      await hole.close();
    }
  }, 60_000);
});
