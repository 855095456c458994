import { createHash, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { createServer } from "../src/server";
import { stripSuggestions } from "../src/http/graphql-options";
import { hashPassword } from "../src/modules/user/user.password";
import { testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

/*
 * The HTTP layer: CORS, CSRF, security headers, body and batch limits, production switches, rate
 * limits and what reaches the logs. Real HTTP on 127.0.0.1:0 (see test/server.test.ts for why
 * `app.inject` is not used).
 */

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

interface Reply {
  status: number;
  headers: Headers;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(): any;
}

async function start(env: Record<string, string> = {}, logStream?: { write(line: string): void }) {
  const { app } = await createServer({ prisma: await testPrisma(), config: testConfig(env), logStream });
  apps.push(app);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  async function request(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
      body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
    });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body, json: () => JSON.parse(body) };
  }
  const post = (body: unknown, headers: Record<string, string> = {}) => request("POST", "/graphql", { body, headers });
  return { address, request, post };
}

function preflight(server: Awaited<ReturnType<typeof start>>, origin: string) {
  return server.request("OPTIONS", "/graphql", {
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
  });
}

/** A Redis key prefix of its own, so that parallel test runs sharing the local Redis never meet. */
const redisUrl = () => `redis://127.0.0.1:6379/0?keyPrefix=claimdesk-test-${randomUUID()}:`;

describe("CORS", () => {
  it("in development without CORS_ORIGINS, allows localhost on any port: preflight 204 with headers, then the request", async () => {
    const server = await start();
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:5173"]) {
      const answer = await preflight(server, origin);
      expect(answer.status).toBe(204);
      expect(answer.headers.get("access-control-allow-origin")).toBe(origin);
      expect(answer.headers.get("access-control-allow-methods")).toContain("POST");
      expect(answer.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      // No cookies are used: credentials are never allowed cross-origin.
      expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    }
    const query = await server.post({ query: "query { __typename }" }, { origin: "http://localhost:3000" });
    expect(query.json()).toEqual({ data: { __typename: "Query" } });
    expect(query.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });

  it("gives a disallowed origin no Access-Control-Allow-Origin header", async () => {
    const server = await start();
    for (const origin of ["https://evil.example", "http://localhost.evil.example", "null"]) {
      const answer = await preflight(server, origin);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
      const query = await server.post({ query: "query { __typename }" }, { origin });
      expect(query.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("in production allows no origin unless CORS_ORIGINS lists it, and then exactly those", async () => {
    const closed = await start({ NODE_ENV: "production" });
    expect((await preflight(closed, "http://localhost:3000")).headers.get("access-control-allow-origin")).toBeNull();

    const open = await start({ NODE_ENV: "production", CORS_ORIGINS: "https://desk.example, https://admin.desk.example" });
    const allowed = await preflight(open, "https://admin.desk.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://admin.desk.example");
    expect((await preflight(open, "http://localhost:3000")).headers.get("access-control-allow-origin")).toBeNull();
    expect((await preflight(open, "https://desk.example.evil")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CSRF prevention (Apollo's, on)", () => {
  it("refuses requests a browser would send without a preflight, accepts preflighted ones", async () => {
    const server = await start();
    const simplePost = await server.request("POST", "/graphql", { headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "query { __typename }" }) });
    expect(simplePost.status).toBe(400);
    expect(simplePost.body).toContain("CSRF");
    const simpleGet = await server.request("GET", "/graphql?query=%7B__typename%7D");
    expect(simpleGet.status).toBe(400);
    expect(simpleGet.body).toContain("CSRF");
    const json = await server.post({ query: "query { __typename }" }, { origin: "http://localhost:3000" });
    expect(json.json()).toEqual({ data: { __typename: "Query" } });
    const getWithHeader = await server.request("GET", "/graphql?query=%7B__typename%7D", { headers: { "apollo-require-preflight": "true" } });
    expect(getWithHeader.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("refuses a mutation sent with GET (405), without running it", async () => {
    const server = await start();
    const prisma = await testPrisma();
    await prisma.user.create({ data: { email: "get@newsroom.example", name: "Get", role: "EDITOR", passwordHash: await hashPassword("correct horse battery staple") } });
    const mutation = encodeURIComponent('mutation { signIn(input: { email: "get@newsroom.example", password: "correct horse battery staple" }) { token } }');
    const answer = await server.request("GET", `/graphql?query=${mutation}`, { headers: { "apollo-require-preflight": "true" } });
    expect(answer.status).toBe(405);
    expect(answer.json().errors[0].message).toBe("GET requests only support query operations, not mutation operations");
    expect(answer.body).not.toContain("cdk_");
    expect(await prisma.authToken.count()).toBe(0);
  });
});

describe("security headers", () => {
  it("are on every answer, with a CSP that allows nothing to the JSON API", async () => {
    const server = await start();
    for (const answer of [await server.post({ query: "query { __typename }" }), await server.request("GET", "/healthz")]) {
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("x-frame-options")).toBe("DENY");
      expect(answer.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect(answer.headers.get("referrer-policy")).toBe("no-referrer");
      expect(answer.headers.get("content-security-policy")).toBe("default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'");
      expect(answer.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("let the playground page run its own inline script (by hash) and load its same-origin assets, nothing else", async () => {
    const server = await start();
    const page = await server.request("GET", "/playground");
    expect(page.status).toBe(200);
    const policy = Object.fromEntries(
      page.headers.get("content-security-policy")!.split(";").map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    const inline = [...page.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(inline).toHaveLength(1);
    const hash = `'sha256-${createHash("sha256").update(inline[0]!).digest("base64")}'`;
    expect(policy["script-src"]).toEqual(["'self'", hash]);
    expect(policy["connect-src"]).toEqual(["'self'"]);
    expect(policy["default-src"]).toEqual(["'self'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(page.headers.get("content-security-policy")).not.toContain("unsafe-eval");
    // Every asset the page references is a same-origin path ('self') that the server serves.
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/playground\/assets\//);
      expect((await server.request("GET", asset)).status).toBe(200);
    }
  });
});

describe("request size", () => {
  it("refuses a body over the limit with 413 and a GraphQL-shaped message", async () => {
    const server = await start({ BODY_LIMIT_BYTES: "1000" });
    const answer = await server.post({ query: `query { __typename } # ${"x".repeat(2000)}` });
    expect(answer.status).toBe(413);
    expect(answer.json()).toEqual({
      errors: [{ message: "The request body is larger than the limit of 1000 bytes", extensions: { code: "PAYLOAD_TOO_LARGE", limitBytes: 1000 } }],
    });
  });

  it("refuses batched requests by default", async () => {
    const server = await start();
    const answer = await server.post([{ query: "query { __typename }" }, { query: "query { __typename }" }]);
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ errors: [{ message: "Batched requests are not accepted: send one operation per request", extensions: { code: "BAD_REQUEST" } }] });
  });

  it("with BATCH_MAX, answers batches up to that size and refuses bigger ones", async () => {
    const server = await start({ BATCH_MAX: "2" });
    const two = await server.post([{ query: "query { __typename }" }, { query: "query Again { __typename }" }]);
    expect(two.status).toBe(200);
    expect(two.json()).toEqual([{ data: { __typename: "Query" } }, { data: { __typename: "Query" } }]);
    const three = await server.post([{ query: "query { __typename }" }, { query: "query { __typename }" }, { query: "query { __typename }" }]);
    expect(three.status).toBe(400);
    expect(three.json().errors[0]).toEqual({ message: "A batch may hold at most 2 operations; this one has 3", extensions: { code: "BAD_REQUEST", batchMax: 2 } });
    // A single operation is still fine.
    expect((await server.post({ query: "query { __typename }" })).json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe("production switches", () => {
  const introspection = { query: "query { __schema { queryType { name } } }" };
  const misspelt = { query: "query { artcle { id } }" };
  const badEnum = { query: "query($s: [ArticleStatus!]) { articles(filter: { status: $s }) { totalCount } }", variables: { s: ["PUBLISHD"] } };

  it("in development: introspection, field suggestions and the playground are on", async () => {
    const server = await start({ NODE_ENV: "development" });
    expect((await server.post(introspection)).json()).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    expect((await server.post(misspelt)).json().errors[0].message).toContain('Did you mean "article"');
    expect((await server.post(badEnum)).json().errors[0].message).toContain("Did you mean");
    expect((await server.request("GET", "/playground")).status).toBe(200);
  });

  it("in production: introspection off, suggestions masked (fields and enum values), no playground", async () => {
    const server = await start({ NODE_ENV: "production" });
    const schema = (await server.post(introspection)).json();
    expect(schema.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(schema.errors[0].message).toMatch(/introspection/i);
    const field = (await server.post(misspelt)).json().errors[0];
    expect(field.message).toBe('Cannot query field "artcle" on type "Query".');
    const value = (await server.post(badEnum)).json().errors[0];
    expect(value.extensions.code).toBe("BAD_USER_INPUT");
    expect(value.message).not.toContain("Did you mean");
    expect(value.message).not.toContain("PUBLISHED");
    expect((await server.request("GET", "/playground")).status).toBe(404);
  });

  it("in production, INTROSPECTION, FIELD_SUGGESTIONS and PLAYGROUND each turn their feature back on", async () => {
    const server = await start({ NODE_ENV: "production", INTROSPECTION: "on", FIELD_SUGGESTIONS: "true", PLAYGROUND: "yes" });
    expect((await server.post(introspection)).json()).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    expect((await server.post(misspelt)).json().errors[0].message).toContain('Did you mean "article"');
    expect((await server.request("GET", "/playground")).status).toBe(200);
  });

  it("strips every kind of suggestion graphql-js makes", () => {
    expect(stripSuggestions('Cannot query field "okk" on type "Query". Did you mean "ok" or "oks"?')).toBe('Cannot query field "okk" on type "Query".');
    expect(stripSuggestions('Value "X" does not exist in "Role" enum. Did you mean the enum value "ADMIN"?')).toBe('Value "X" does not exist in "Role" enum.');
    expect(stripSuggestions('Unknown type "Artcle". Did you mean "Article"?')).toBe('Unknown type "Artcle".');
    expect(stripSuggestions("Syntax Error: Expected Name.")).toBe("Syntax Error: Expected Name.");
  });

  it("APQ: a bounded cache in development; off in production unless APQ is set", async () => {
    const query = "query { __typename }";
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const persisted = { extensions: { persistedQuery: { version: 1, sha256Hash } } };

    const dev = await start();
    expect((await dev.post(persisted)).json().errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await dev.post({ query, ...persisted })).json()).toEqual({ data: { __typename: "Query" } });
    expect((await dev.post(persisted)).json()).toEqual({ data: { __typename: "Query" } });

    const production = await start({ NODE_ENV: "production" });
    expect((await production.post({ query, ...persisted })).json().errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_SUPPORTED");

    const enabled = await start({ NODE_ENV: "production", APQ: "on" });
    expect((await enabled.post({ query, ...persisted })).json()).toEqual({ data: { __typename: "Query" } });
    expect((await enabled.post(persisted)).json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe("rate limits", () => {
  function expectRateLimited(answer: Reply) {
    expect(answer.status).toBe(429);
    const seconds = Number(answer.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(answer.json()).toEqual({
      errors: [{ message: "Too many requests: slow down and retry later", extensions: { code: "RATE_LIMITED", retryAfterSeconds: seconds } }],
    });
  }

  it("refuses a client over RATE_LIMIT_MAX with 429, Retry-After and a GraphQL-shaped error; probes are never limited", async () => {
    const server = await start({ RATE_LIMIT_MAX: "3" });
    for (let i = 0; i < 3; i += 1) expect((await server.post({ query: "query { __typename }" })).status).toBe(200);
    expectRateLimited(await server.post({ query: "query { __typename }" }));
    expectRateLimited(await server.request("GET", "/playground"));
    for (let i = 0; i < 5; i += 1) expect((await server.request("GET", "/healthz")).status).toBe(200);
    const metrics = (await server.request("GET", "/metrics")).body;
    expect(metrics).toMatch(/claimdesk_rate_limited_total\{scope="\/graphql"\} [1-9]/);
  });

  it("counts per client IP: X-Forwarded-For only when TRUST_PROXY says the proxy is trusted", async () => {
    const ignoring = await start({ RATE_LIMIT_MAX: "1" });
    expect((await ignoring.post({ query: "query { __typename }" }, { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
    expect((await ignoring.post({ query: "query { __typename }" }, { "x-forwarded-for": "203.0.113.2" })).status).toBe(429);

    const trusting = await start({ RATE_LIMIT_MAX: "1", TRUST_PROXY: "1" });
    expect((await trusting.post({ query: "query { __typename }" }, { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
    expect((await trusting.post({ query: "query { __typename }" }, { "x-forwarded-for": "203.0.113.1" })).status).toBe(429);
    expect((await trusting.post({ query: "query { __typename }" }, { "x-forwarded-for": "203.0.113.2" })).status).toBe(200);
  });

  it("with REDIS_URL, holds across instances sharing the Redis", async () => {
    const env = { RATE_LIMIT_MAX: "3", REDIS_URL: redisUrl() };
    const first = await start(env);
    const second = await start(env);
    expect((await first.post({ query: "query { __typename }" })).status).toBe(200);
    expect((await second.post({ query: "query { __typename }" })).status).toBe(200);
    expect((await first.post({ query: "query { __typename }" })).status).toBe(200);
    expectRateLimited(await second.post({ query: "query { __typename }" }));
    expectRateLimited(await first.post({ query: "query { __typename }" }));
  });
});

describe("when Redis is down", () => {
  it("requests go through unlimited (availability first), sign-in fails closed with a masked error", async () => {
    const lines: string[] = [];
    const server = await start({ RATE_LIMIT_MAX: "1", REDIS_URL: "redis://127.0.0.1:1/0", LOG_LEVEL: "warn" }, { write: (line) => void lines.push(line) });
    for (let i = 0; i < 3; i += 1) expect((await server.post({ query: "query { __typename }" })).json()).toEqual({ data: { __typename: "Query" } });
    const signIn = await server.post({ query: 'mutation { signIn(input: { email: "ada@newsroom.example", password: "whatever it is" }) { token } }' });
    expect(signIn.json().errors).toEqual([{ message: "Internal server error", locations: expect.any(Array), path: ["signIn"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
    expect(lines.join("")).toContain("Redis unavailable");
  });
});

describe("logs", () => {
  it("never contain passwords, tokens or Authorization headers", async () => {
    const lines: string[] = [];
    const server = await start({ LOG_LEVEL: "trace" }, { write: (line) => void lines.push(line) });
    const prisma = await testPrisma();
    const password = "correct horse battery staple";
    const wrongPassword = "not my password at all";
    const admin = await prisma.user.create({ data: { email: "admin@newsroom.example", name: "Admin", role: "ADMIN", passwordHash: await hashPassword(password) } });

    const signIn = (pass: string) => server.post({ query: "mutation($input: SignInInput!) { signIn(input: $input) { token } }", variables: { input: { email: admin.email, password: pass } } });
    const session = (await signIn(password)).json().data.signIn.token as string;
    expect((await signIn(wrongPassword)).json().errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const issued = await server.post(
      { query: "mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }", variables: { input: { userId: admin.id, name: "script" } } },
      { authorization: `Bearer ${session}` },
    );
    const apiToken = issued.json().data.issueApiToken.token as string;
    expect((await server.post({ query: "query { me { id } }" }, { authorization: `Bearer ${apiToken}` })).json()).toEqual({ data: { me: { id: admin.id } } });
    const forged = `cdk_${"A".repeat(43)}`;
    expect((await server.post({ query: "query { me { id } }" }, { authorization: `Bearer ${forged}` })).status).toBe(401);

    const log = lines.join("");
    expect(log).toContain("request completed");
    for (const secret of [password, wrongPassword, session, apiToken, forged, "Bearer"]) {
      expect({ secret, logged: log.includes(secret) }).toEqual({ secret, logged: false });
    }
  });
});
