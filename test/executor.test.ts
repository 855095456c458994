import pg from "pg";
import type { ApolloServer } from "@apollo/server";
import { buildSchema, parse } from "graphql";
import { STORY_SLUG, seedExampleStory } from "../prisma/seed-data/example-story";
import { buildContext } from "../src/context";
import type { PrismaClient } from "../src/db/prisma";
import { jitExecutor, LruCache } from "../src/graphql/executor";
import { createApollo } from "../src/server";
import type { Context } from "../src/shared/context";
import type { Viewer } from "../src/shared/viewer";
import { userFor } from "./support/client";
import { testConfig } from "./support/config";
import { testPrisma } from "./support/environment";

/*
 * graphql-jit (GRAPHQL_JIT=on, the default) and graphql-js (off) must give the same answers,
 * byte for byte: data, errors (messages, paths, locations, codes, masking) and HTTP status.
 */
const servers: Record<"jit" | "js", ApolloServer<Context> | undefined> = { jit: undefined, js: undefined };
const internalErrors: unknown[] = [];

function server(kind: "jit" | "js"): ApolloServer<Context> {
  servers[kind] ??= createApollo({ config: testConfig({ GRAPHQL_JIT: kind === "jit" ? "on" : "off" }), log: (error) => internalErrors.push(error) });
  return servers[kind];
}

async function run(kind: "jit" | "js", query: string, variables: Record<string, unknown> | undefined, prisma: PrismaClient, viewer: Viewer | null) {
  const response = await server(kind).executeOperation({ query, variables }, { contextValue: buildContext(prisma, viewer) });
  if (response.body.kind !== "single") throw new Error("unexpected incremental response");
  return { status: response.http.status ?? 200, body: JSON.stringify(response.body.singleResult) };
}

/** Runs `query` on both executors; returns the (equal) answer, parsed. */
async function both(query: string, variables?: Record<string, unknown>, options: { viewer?: Viewer | null; prisma?: PrismaClient } = {}) {
  const prisma = options.prisma ?? (await testPrisma());
  const viewer = options.viewer ?? null;
  const js = await run("js", query, variables, prisma, viewer);
  const jit = await run("jit", query, variables, prisma, viewer);
  expect(jit).toEqual(js);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: any = JSON.parse(jit.body);
  return { status: jit.status, json };
}

const STORY = `query Story($slug: String) {
  article(slug: $slug) {
    id title outlet publishedAt version status
    claims {
      position statement kind
      anchor { start end exact }
      quantity { value unit subject period }
      attributions { role anonymity anonymityReason source { name kind } via { source { name } via { source { name } } } }
      rebuttals { stance onRecord quote source { name } }
      verdict { rating rationale createdAt }
    }
  }
}`;

describe("graphql-jit executor", () => {
  beforeEach(async () => {
    await seedExampleStory(await testPrisma(), { localUsers: false });
    internalErrors.length = 0;
  });

  it("answers the story exactly as graphql-js does (DateTime, enums, nested lists, nulls)", async () => {
    const { json } = await both(STORY, { slug: STORY_SLUG });
    expect(json.data.article.claims).toHaveLength(10);
    expect(json.data.article.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it("resolves a connection's totalCount (a function on the page object) and the search union", async () => {
    const page = await both("query { articles(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { slug } } } }");
    expect(page.json.data.articles.totalCount).toBe(1);
    const search = await both(`query { search(query: "China", first: 5) { totalCount edges { node { kind rank snippet item { __typename ... on Claim { statement } ... on Article { slug } ... on Source { name } } } } } }`);
    expect(search.json.errors).toBeUndefined();
    expect(search.json.data.search.totalCount).toBeGreaterThan(0);
    expect(new Set(search.json.data.search.edges.map((edge: { node: { item: { __typename: string } } }) => edge.node.item.__typename)).size).toBeGreaterThan(0);
  });

  it("refuses bad variables like graphql-js: BAD_USER_INPUT, HTTP 400, same message", async () => {
    const bad = await both("query ($id: ID!) { claim(id: $id) { id } }", { id: { not: "an id" } });
    expect(bad.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const badUuid = await both("query ($id: UUID) { auditLog(entityId: $id) { totalCount } }", { id: "not-a-uuid" }, { viewer: await userFor("EDITOR") });
    expect(badUuid.status).toBe(400);
    expect(badUuid.json.errors[0]).toMatchObject({ message: expect.stringContaining("must be a valid id"), extensions: { code: "BAD_USER_INPUT" } });
    const badDate = await both("query ($after: DateTime) { articles(filter: { publishedAfter: $after }) { totalCount } }", { after: "0000-01-01T00:00:00Z" });
    expect(badDate.status).toBe(400);
    expect(badDate.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("keeps a resolver error's code and path, and masks an internal one with its path", async () => {
    const forbidden = await both("mutation { createSource(input: { kind: PERSON, name: \"X\" }) { id } }");
    expect(forbidden.json.errors[0]).toMatchObject({ path: ["createSource"], extensions: { code: "UNAUTHENTICATED" } });

    // The read planner's statement fails on its way to PostgreSQL.
    const failing = jest.spyOn(pg.Pool.prototype, "query").mockImplementation(() => Promise.reject(new Error("SECRET internal failure")) as never);
    const masked = await both("query ($slug: String) { article(slug: $slug) { title } }", { slug: STORY_SLUG });
    failing.mockRestore();
    expect(masked.json.errors).toEqual([
      { message: "Internal server error", locations: [{ line: 1, column: 25 }], path: ["article"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
    ]);
    expect(masked.json.data).toEqual({ article: null });
    expect(internalErrors).toHaveLength(2); // logged by both servers
  });

  it("lets the field-suggestion plugin rewrite a resolver error's message (FIELD_SUGGESTIONS off)", async () => {
    const production = createApollo({ config: testConfig({ FIELD_SUGGESTIONS: "off" }) });
    const response = await production.executeOperation(
      { query: 'mutation { createSource(input: { kind: PERSON, name: "X" }) { id } }' },
      { contextValue: buildContext(await testPrisma()) },
    );
    expect(response.body.kind === "single" && response.body.singleResult.errors).toEqual([
      expect.objectContaining({ message: "Sign in to do this", path: ["createSource"], extensions: { code: "UNAUTHENTICATED" } }),
    ]);
  });

  it("runs mutations (one root field after the other) and reads the write in the same operation", async () => {
    const editor = await userFor("EDITOR");
    const prisma = await testPrisma();
    const query = `mutation Two($a: CreateSourceInput!, $b: CreateSourceInput!) {
      first: createSource(input: $a) { name }
      second: createSource(input: $b) { name }
    }`;
    const answers = [];
    for (const kind of ["js", "jit"] as const) {
      const response = await run(kind, query, { a: { kind: "PERSON", name: `A ${kind}` }, b: { kind: "PERSON", name: `B ${kind}` } }, prisma, editor);
      answers.push(JSON.parse(response.body));
    }
    expect(answers[1]).toEqual({ data: { first: { name: "A jit" }, second: { name: "B jit" } } });
    const created = await prisma.source.findMany({ where: { name: { in: ["A jit", "B jit"] } }, orderBy: { createdAt: "asc" } });
    expect(created.map((source) => source.name)).toEqual(["A jit", "B jit"]);
  });

  it("answers introspection, and refuses it when INTROSPECTION is off", async () => {
    const { json } = await both("{ __type(name: \"Claim\") { name fields { name } } }");
    expect(json.data.__type.fields.map((field: { name: string }) => field.name)).toContain("statement");
    const off = createApollo({ config: testConfig({ INTROSPECTION: "off" }) });
    const response = await off.executeOperation({ query: "{ __schema { queryType { name } } }" }, { contextValue: buildContext(await testPrisma()) });
    expect(response.body.kind === "single" && response.body.singleResult.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("compiled query cache", () => {
  const schema = buildSchema("type Query { hello(name: String): String n: Int }");
  schema.getQueryType()!.getFields().hello!.resolve = (_root, args: { name?: string }) => `hello ${args.name ?? "you"}`;
  const operation = (document: ReturnType<typeof parse>) => document.definitions[0] as Parameters<ReturnType<typeof jitExecutor>["run"]>[0]["operation"];

  it("compiles a document once per hash and operation name, and keeps at most the configured number", async () => {
    const executor = jitExecutor(schema, 2);
    const runs = ["a", "a", "b", "a", "c"].map((hash) => {
      const document = parse(`query Q${hash}($name: String) { hello(name: $name) }`);
      return executor.run({ document, operation: operation(document), operationName: `Q${hash}`, queryHash: hash, contextValue: {}, variables: { name: hash } });
    });
    expect((await Promise.all(runs)).map((result) => result.data?.hello)).toEqual(["hello a", "hello a", "hello b", "hello a", "hello c"]);
    expect(executor.cachedDocuments).toBe(2);
  });

  it("LruCache evicts the least recently used key", () => {
    const cache = new LruCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the most recent
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });
});
