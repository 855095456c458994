/**
 * The database fails under load, the server survives: PostgreSQL restarted, the pool's connections
 * terminated, PostgreSQL frozen (SIGSTOP). Each case runs the real server process (`tsx
 * src/main.ts`) on a PostgreSQL of its own (test/support/fault-database.ts), drives a small bounded
 * load (4 clients) and prints what it measured.
 *
 * What must hold: the process stays up; while the database cannot answer, clients get HTTP 503
 * with a masked SERVICE_UNAVAILABLE error (never SQL, driver or Prisma text) and no request hangs
 * past the request deadline; within 5 s of the database answering again, at least 99% of
 * requests succeed.
 */
import { STORY_SLUG } from "../prisma/seed-data/example-story";
import { LOCAL_USERS } from "../prisma/seed-data/local-users";
import {
  faultFixture,
  LEAK,
  post,
  recoverySeconds,
  runLoad,
  signIn,
  sleep,
  type Sample,
  type ServerProcess,
} from "./support/fault-database";

jest.setTimeout(180_000);

const REQUEST_TIMEOUT_MS = 2_000;
const MARGIN_MS = 1_000;
const RECOVERY_LIMIT_S = 5;
const STORY_QUERY = "query($slug: String) { article(slug: $slug) { title version claims { statement verdict { rating } } } }";
const STAFF_QUERY = "{ articles(first: 5) { totalCount edges { node { id title status } } } }";

const fault = faultFixture();

async function start(): Promise<{ server: ServerProcess; token: string }> {
  const server = await fault.spawnServer({
    // Anonymous reads must reach the database: the published cache is tested on its own.
    PUBLISHED_CACHE: "false",
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    STATEMENT_TIMEOUT_MS: "1000",
    DATABASE_CONNECT_TIMEOUT_MS: "1000",
    DATABASE_POOL_SIZE: "4",
  });
  const editor = LOCAL_USERS.find((user) => user.role === "EDITOR")!;
  return { server, token: await signIn(server.url, editor.email, editor.password) };
}

const CREATE = "mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }";

/** Anonymous readers, signed-in staff (whose token is checked in the database) and a writer (transactions). */
function mixedRequest(url: string, token: string) {
  return (client: number, n: number) => {
    if (client % 4 === 3) return post(url, CREATE, { input: { title: `Written under faults ${client}-${n}` } }, token, 15_000);
    if (client % 2 === 1) return post(url, STAFF_QUERY, {}, token, 15_000);
    return post(url, STORY_QUERY, { slug: STORY_SLUG }, undefined, 15_000);
  };
}

/** The requests that started in [from, to) (with `ended`: that also ended before `to`). */
function summarize(label: string, samples: Sample[], from: number, to: number, ended = false) {
  const window = samples.filter((sample) => sample.startedAt >= from && sample.startedAt < to && (!ended || sample.endedAt < to));
  const ok = window.filter((sample) => sample.ok).length;
  const statuses = new Map<string, number>();
  for (const sample of window) {
    const key = sample.ok ? "ok" : `${sample.status} ${sample.codes.join(",") || "-"}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const slowest = Math.max(0, ...window.map((sample) => sample.endedAt - sample.startedAt));
  return { label, requests: window.length, ok, statuses: Object.fromEntries(statuses), slowestMs: Math.round(slowest) };
}

/** Every failed answer is a masked 503 SERVICE_UNAVAILABLE; nothing leaks; the process answered. */
function expectMaskedFailures(samples: Sample[]) {
  const failed = samples.filter((sample) => !sample.ok);
  for (const sample of failed) {
    expect({ status: sample.status, codes: sample.codes }).toEqual({ status: 503, codes: expect.arrayContaining(["SERVICE_UNAVAILABLE"]) });
    expect(new Set(sample.codes)).toEqual(new Set(["SERVICE_UNAVAILABLE"]));
    expect(sample.text).not.toMatch(LEAK);
  }
  return failed.length;
}

/**
 * Load before, during and after an outage produced by `breakIt` (which resolves when the database
 * is back): checks the process, the failures and the recovery, and returns what it measured.
 */
async function outageUnderLoad(label: string, breakIt: () => Promise<void>) {
  const { server, token } = await start();
  let done = false;
  const load = runLoad({ concurrency: 4, request: mixedRequest(server.url, token), stop: () => done, maxMs: 60_000, maxRequests: 20_000 });
  await sleep(1_000);
  const brokenAt = performance.now();
  await breakIt();
  const backAt = performance.now();
  await sleep(RECOVERY_LIMIT_S * 1_000 + 1_000);
  done = true;
  const samples = await load;

  expect(server.alive()).toBe(true);
  const before = summarize("before", samples, 0, brokenAt, true);
  const during = summarize("during", samples, brokenAt, backAt);
  const after = summarize("after", samples, backAt, Infinity);
  const recovery = recoverySeconds(samples, backAt);
  const failures = expectMaskedFailures(samples);
  const afterRecovery = samples.filter((sample) => sample.startedAt >= backAt + RECOVERY_LIMIT_S * 1_000);
  console.log(
    `${label}: outage ${Math.round(backAt - brokenAt)} ms; recovered ${recovery?.toFixed(2)} s after the database came back; ` +
      `${failures} masked 503s of ${samples.length} requests\n${JSON.stringify([before, during, after], null, 1)}`,
  );
  expect(before.ok).toBe(before.requests);
  expect(before.requests).toBeGreaterThan(0);
  expect(recovery).toBeDefined();
  expect(recovery!).toBeLessThanOrEqual(RECOVERY_LIMIT_S);
  expect(afterRecovery.length).toBeGreaterThan(20);
  expect(afterRecovery.filter((sample) => sample.ok).length / afterRecovery.length).toBeGreaterThanOrEqual(0.99);
  return { samples, brokenAt, backAt, during };
}

describe("the database fails under load", () => {
  it("PostgreSQL restarted: masked 503s while it is down, then >= 99% OK within 5 s of it coming back", async () => {
    const { during } = await outageUnderLoad("PostgreSQL restart", async () => {
      await fault.database.stop();
      await sleep(2_000);
      await fault.database.start();
    });
    // The outage was seen by clients, as 503s (checked for every failure above).
    expect(during.requests).toBeGreaterThan(0);
    expect(during.ok).toBeLessThan(during.requests);
  });

  it("the pool's connections terminated (pg_terminate_backend): recovers the same way", async () => {
    let terminated = 0;
    await outageUnderLoad("pg_terminate_backend", async () => {
      // Three rounds, 300 ms apart, of every connection of the server's pool.
      for (let round = 0; round < 3; round++) {
        terminated += await fault.database.sql(async (client) => {
          const { rows } = await client.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE datname = 'claimdesk' AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND application_name <> 'fault-test'",
          );
          for (const { pid } of rows) await client.query("SELECT pg_terminate_backend($1)", [pid]);
          return rows.length;
        });
        await sleep(300);
      }
    });
    console.log(`pg_terminate_backend: ${terminated} connections terminated`);
    expect(terminated).toBeGreaterThan(0);
  });

  it("PostgreSQL frozen (SIGSTOP): requests fail within the request deadline instead of hanging, and it recovers on SIGCONT", async () => {
    const { samples, brokenAt, backAt, during } = await outageUnderLoad("PostgreSQL frozen", async () => {
      await fault.database.freeze();
      await sleep(5_000);
      fault.database.thaw();
    });
    // Requests started while frozen and answered before the thaw: none took longer than the deadline.
    const frozen = samples.filter((sample) => sample.startedAt >= brokenAt && sample.endedAt < backAt);
    const failTimes = frozen.filter((sample) => !sample.ok).map((sample) => Math.round(sample.endedAt - sample.startedAt));
    console.log(`PostgreSQL frozen: ${failTimes.length} failed while frozen, fail times ms (max ${Math.max(...failTimes)}): ${failTimes.join(" ")}`);
    expect(failTimes.length).toBeGreaterThan(4);
    expect(during.slowestMs).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + MARGIN_MS);
    for (const sample of samples) expect(sample.endedAt - sample.startedAt).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + MARGIN_MS);
  });
});
