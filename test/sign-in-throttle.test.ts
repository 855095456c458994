import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { createServer } from "../src/server";
import { hashPassword, passwordChecks } from "../src/modules/user/user.password";
import { IP_FAILURE_FACTOR, MemoryAttemptStore } from "../src/modules/user/user.throttle";
import { testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

/*
 * Failed sign-ins lock the account (whether it exists or not) and the client IP out for a while,
 * with HTTP 429 RATE_LIMITED; unknown emails cost the same scrypt hash as wrong passwords.
 * Real HTTP on 127.0.0.1:0 (see test/server.test.ts for why `app.inject` is not used).
 */

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const PASSWORD = "correct horse battery staple";
const WRONG = "wrong horse battery staple";

interface Answer {
  status: number;
  retryAfter: string | null;
  token?: string;
  error?: { message: string; extensions: Record<string, unknown> };
}

async function start(env: Record<string, string> = {}) {
  const { app } = await createServer({ prisma: await testPrisma(), config: testConfig(env) });
  apps.push(app);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return async function signIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${address}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: "mutation($input: SignInInput!) { signIn(input: $input) { token } }", variables: { input: { email, password } } }),
    });
    const body = (await response.json()) as { data?: { signIn: { token: string } } | null; errors?: Answer["error"][] };
    expect(body.errors?.length ?? 0).toBeLessThanOrEqual(1);
    return { status: response.status, retryAfter: response.headers.get("retry-after"), token: body.data?.signIn.token, error: body.errors?.[0] };
  };
}

async function createUser(email: string) {
  const prisma = await testPrisma();
  return prisma.user.create({ data: { email, name: email, role: "EDITOR", passwordHash: await hashPassword(PASSWORD) } });
}

function expectWrongPassword(answer: Answer) {
  expect(answer.token).toBeUndefined();
  expect(answer.error).toEqual({ message: "Wrong email or password", locations: expect.any(Array), path: ["signIn"], extensions: { code: "UNAUTHENTICATED" } });
}

function expectLockedOut(answer: Answer, lockoutSeconds: number) {
  expect(answer.status).toBe(429);
  expect(answer.token).toBeUndefined();
  const seconds = Number(answer.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(lockoutSeconds);
  expect(answer.error).toEqual({
    message: "Too many failed sign-ins: try again later",
    locations: expect.any(Array),
    path: ["signIn"],
    extensions: { code: "RATE_LIMITED", retryAfterSeconds: seconds },
  });
}

describe("signIn throttling", () => {
  it("locks an account out after SIGN_IN_MAX_FAILURES failures, even for the right password; other accounts are unaffected", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "3", SIGN_IN_LOCKOUT_MS: "600000" });
    await createUser("ada@newsroom.example");
    await createUser("grace@newsroom.example");
    for (let i = 0; i < 3; i += 1) expectWrongPassword(await signIn("ada@newsroom.example", WRONG));
    expectLockedOut(await signIn("ada@newsroom.example", PASSWORD), 600);
    // The email is normalised before it is counted: case and spaces do not open a new window.
    expectLockedOut(await signIn("  ADA@Newsroom.Example ", PASSWORD), 600);
    expect((await signIn("grace@newsroom.example", PASSWORD)).token).toMatch(/^cdk_/);
  });

  it("locks an unknown email out exactly as a known one, so the lockout reveals nothing", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "2" });
    await createUser("ada@newsroom.example");
    for (const email of ["ada@newsroom.example", "nobody@newsroom.example"]) {
      expectWrongPassword(await signIn(email, WRONG));
      expectWrongPassword(await signIn(email, WRONG));
      expectLockedOut(await signIn(email, WRONG), 15 * 60);
    }
  });

  it("a successful sign-in clears the account's failures", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "3" });
    await createUser("ada@newsroom.example");
    for (let round = 0; round < 2; round += 1) {
      expectWrongPassword(await signIn("ada@newsroom.example", WRONG));
      expectWrongPassword(await signIn("ada@newsroom.example", WRONG));
      expect((await signIn("ada@newsroom.example", PASSWORD)).token).toMatch(/^cdk_/);
    }
  });

  it("the lockout ends when its window does", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "1", SIGN_IN_LOCKOUT_MS: "1000" });
    await createUser("ada@newsroom.example");
    expectWrongPassword(await signIn("ada@newsroom.example", WRONG));
    expectLockedOut(await signIn("ada@newsroom.example", PASSWORD), 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signIn("ada@newsroom.example", PASSWORD)).token).toMatch(/^cdk_/);
  });

  it("locks a client IP out after IP_FAILURE_FACTOR times as many failures, across emails (client IP from a trusted proxy)", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "1", TRUST_PROXY: "true" });
    await createUser("ada@newsroom.example");
    const attacker = { "x-forwarded-for": "198.51.100.7" };
    for (let i = 0; i < IP_FAILURE_FACTOR; i += 1) expectWrongPassword(await signIn(`guess-${i}@newsroom.example`, WRONG, attacker));
    expectLockedOut(await signIn("ada@newsroom.example", PASSWORD, attacker), 15 * 60);
    expect((await signIn("ada@newsroom.example", PASSWORD, { "x-forwarded-for": "198.51.100.8" })).token).toMatch(/^cdk_/);
  });

  it("does not count successful sign-ins against the IP: a newsroom behind one address keeps signing in", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "1", TRUST_PROXY: "true" });
    await createUser("ada@newsroom.example");
    const newsroom = { "x-forwarded-for": "192.0.2.10" };
    for (let i = 0; i < IP_FAILURE_FACTOR * 2; i += 1) expect((await signIn("ada@newsroom.example", PASSWORD, newsroom)).token).toMatch(/^cdk_/);
    expectWrongPassword(await signIn("ada@newsroom.example", WRONG, newsroom));
  });

  it("counts parallel attempts atomically: a burst of guesses gets no more than the limit through", async () => {
    const signIn = await start({ SIGN_IN_MAX_FAILURES: "3" });
    await createUser("ada@newsroom.example");
    const answers = await Promise.all(Array.from({ length: 10 }, () => signIn("ada@newsroom.example", WRONG)));
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(7);
    for (const answer of answers) if (answer.status !== 429) expectWrongPassword(answer);
  });

  it("with REDIS_URL, failures counted by one instance lock the account out on another", async () => {
    const env = { SIGN_IN_MAX_FAILURES: "2", REDIS_URL: `redis://127.0.0.1:6379/0?keyPrefix=claimdesk-test-${randomUUID()}:` };
    const first = await start(env);
    const second = await start(env);
    await createUser("ada@newsroom.example");
    expectWrongPassword(await first("ada@newsroom.example", WRONG));
    expectWrongPassword(await second("ada@newsroom.example", WRONG));
    expectLockedOut(await first("ada@newsroom.example", PASSWORD), 15 * 60);
    expectLockedOut(await second("ada@newsroom.example", PASSWORD), 15 * 60);
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? first : second)("grace@newsroom.example", WRONG)));
    expect(burst.filter((answer) => answer.status === 429)).toHaveLength(4);
  });
});

describe("signIn never reveals whether an email exists", () => {
  it("answers an unknown email and a wrong password alike, and hashes the password for both", async () => {
    const signIn = await start();
    await createUser("ada@newsroom.example");
    const before = passwordChecks.count;
    const unknown = await signIn("nobody@newsroom.example", PASSWORD);
    expect(passwordChecks.count - before).toBe(1);
    const wrong = await signIn("ada@newsroom.example", WRONG);
    expect(passwordChecks.count - before).toBe(2);
    expectWrongPassword(unknown);
    expect(unknown).toEqual(wrong);
  });
});

describe("MemoryAttemptStore", () => {
  it("keeps at most maxKeys windows, dropping the oldest first", async () => {
    const store = new MemoryAttemptStore(10);
    for (let i = 0; i < 25; i += 1) await store.hit(`key-${i}`, 60_000);
    expect((store as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(10);
    // The newest window survived (a second hit counts 2), the oldest was dropped (counts 1 again).
    expect((await store.hit("key-24", 60_000)).count).toBe(2);
    expect((await store.hit("key-0", 60_000)).count).toBe(1);
  });
});
