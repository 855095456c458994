import type { FastifyInstance } from "fastify";
import { STORY, STORY_SLUG, seedExampleStory } from "../prisma/seed-data/example-story";
import { createServer } from "../src/server";
import { testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

/*
 * `app.inject()` cannot be used under Jest here: it loads light-my-request, which requires the
 * ESM-only `cookie@2`, and Jest's CommonJS runtime on Node 20 cannot require ESM. So each test
 * listens on an ephemeral port of 127.0.0.1 and talks real HTTP with fetch.
 */
let app: FastifyInstance | undefined;

interface Reply {
  statusCode: number;
  headers: Headers;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(): any;
}

async function start(env: Record<string, string> = {}) {
  ({ app } = await createServer({ prisma: await testPrisma(), config: testConfig(env) }));
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    async request(method: "GET" | "POST", path: string, payload?: unknown): Promise<Reply> {
      const response = await fetch(`${address}${path}`, {
        method,
        headers: payload === undefined ? {} : { "content-type": "application/json" },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      const body = await response.text();
      return { statusCode: response.status, headers: response.headers, body, json: () => JSON.parse(body) };
    },
  };
}

type Server = Awaited<ReturnType<typeof start>>;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

function postGraphql(server: Server, query: string, variables?: Record<string, unknown>) {
  return server.request("POST", "/graphql", { query, variables });
}

describe("HTTP server", () => {
  it("answers a GraphQL query posted to /graphql", async () => {
    const server = await start();
    const response = await postGraphql(server, "query { __typename }");
    expect(response.statusCode).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/(graphql-response\+)?json/);
    expect(response.json()).toEqual({ data: { __typename: "Query" } });
  });

  it("runs a query with variables against the database, DateTime as an ISO-8601 string", async () => {
    const server = await start();
    await seedExampleStory(await testPrisma());
    const response = await postGraphql(server, "query($slug: String) { article(slug: $slug) { id title outlet status publishedAt claims { position } } }", { slug: STORY_SLUG });
    expect(response.statusCode).toBe(200);
    const json = response.json();
    expect(json.errors).toBeUndefined();
    expect(json.data.article).toMatchObject({ id: STORY.id, title: STORY.title, outlet: "DW", status: "PUBLISHED", publishedAt: "2024-04-13T00:00:00.000Z" });
    expect(json.data.article.claims).toHaveLength(10);
  });

  it("answers GET /healthz", async () => {
    const server = await start();
    const response = await server.request("GET", "/healthz");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it("masks an internal error: generic message and code, no stack, SQL, Prisma or table names", async () => {
    const server = await start();
    const prisma = await testPrisma();
    await prisma.$executeRawUnsafe("ALTER TABLE source RENAME TO source_gone");
    let body: string;
    let statusCode: number;
    try {
      const response = await postGraphql(server, "query { sources(first: 5) { totalCount edges { node { id name } } } }");
      body = response.body;
      statusCode = response.statusCode;
    } finally {
      await prisma.$executeRawUnsafe("ALTER TABLE source_gone RENAME TO source");
    }
    expect(statusCode).toBe(200);
    const json = JSON.parse(body);
    expect(json.data).toBeNull();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0]).toEqual({
      message: "Internal server error",
      locations: expect.any(Array),
      path: ["sources"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    for (const leak of ["stack", "stacktrace", "prisma", "source_gone", "public.", "relation", "does not exist", "select", "from \"", "at ", ".ts", "P20"]) {
      expect({ leak, found: body.toLowerCase().includes(leak.toLowerCase()) }).toEqual({ leak, found: false });
    }
    // The table is back: the same query works again.
    const again = await postGraphql(server, "query { sources(first: 5) { totalCount } }");
    expect(again.json()).toEqual({ data: { sources: { totalCount: 0 } } });
  });

  it("answers a syntax error with GRAPHQL_PARSE_FAILED", async () => {
    const server = await start();
    const response = await postGraphql(server, "query { __typename");
    expect(response.statusCode).toBe(400);
    const json = response.json();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(json.errors[0].message).toMatch(/Syntax Error/);
    expect(json.errors[0].extensions.stacktrace).toBeUndefined();
  });

  it("answers an unknown field with GRAPHQL_VALIDATION_FAILED", async () => {
    const server = await start();
    const response = await postGraphql(server, "query { __typename noSuchField }");
    expect(response.statusCode).toBe(400);
    const json = response.json();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(json.errors[0].message).toContain("noSuchField");
    expect(json.errors[0].extensions.stacktrace).toBeUndefined();
  });

  it("passes errors of the vocabulary through with their code and field", async () => {
    const server = await start();
    const response = await postGraphql(server, "query { sources(first: 101) { totalCount } }");
    const json = response.json();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(json.errors[0].message).toContain("first");
    expect(json.errors[0].extensions.stacktrace).toBeUndefined();
  });

  it("refuses a body over the limit with 413", async () => {
    const server = await start({ BODY_LIMIT_BYTES: "1000" });
    const small = await postGraphql(server, "query { __typename }");
    expect(small.json()).toEqual({ data: { __typename: "Query" } });
    const response = await postGraphql(server, `query { __typename } # ${"x".repeat(2000)}`);
    expect(response.statusCode).toBe(413);
    expect(response.body).not.toContain("xxxxxxxx");
  });
});
