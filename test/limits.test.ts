import type { FastifyInstance } from "fastify";
import { getIntrospectionQuery, getOperationAST, parse, type DocumentNode } from "graphql";
import { CLAIMS, seedExampleStory, seedId, STORY, STORY_SLUG } from "../prisma/seed-data/example-story";
import { CLAIMDESK } from "../bench/operations";
import { buildSchema } from "../src/schema";
import { createServer } from "../src/server";
import { queryLimits } from "../src/graphql/limits";
import { operationCost } from "../src/graphql/cost";
import * as operations from "./generated/operations";
import { LimitsArticleClaimsDocument, LimitsSourceAttributionsDocument, ArticlesSourcingDocument } from "./generated/operations";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { gql, gqlAs, gqlOkAs, internalErrors, onlyError } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

let app: FastifyInstance | undefined;
let address = "";
let serverErrors: unknown[] = [];

async function start(env: Record<string, string> = {}) {
  ({ app } = await createServer({ prisma: await testPrisma(), config: testConfig(env) }));
  serverErrors = [];
  app.addHook("onError", async (_request, _reply, error) => void serverErrors.push(error));
  address = await app.listen({ port: 0, host: "127.0.0.1" });
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  ms: number;
}

async function post(query: string, variables?: Record<string, unknown>): Promise<Reply> {
  const started = performance.now();
  const response = await fetch(`${address}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  return { status: response.status, body, ms: performance.now() - started };
}

/** A refusal: HTTP 400, no data, one error with `code` (and nothing internal in it). */
function expectRefused(reply: Reply, code: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.data).toBeUndefined();
  expect(reply.body.errors).toHaveLength(1);
  expect(reply.body.errors[0].extensions.code).toBe(code);
  expect(JSON.stringify(reply.body)).not.toMatch(/stack|prisma|SELECT|http"/i);
  return reply.body.errors[0];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function nest(levels: number, inner: string, step: (inner: string) => string): string {
  let selection = inner;
  for (let i = 0; i < levels; i++) selection = step(selection);
  return selection;
}

/** The request that took the server down: the article -> claims -> article cycle, nested. */
const CRASH = `query { articles(first: 100) { edges { node { ${nest(6, "id title body", (s) => `claims { statement article { title body ${s} } }`)} } } } }`;

describe("query limits refuse abusive documents before they run (HTTP 400)", () => {
  beforeEach(async () => {
    await seedExampleStory(await testPrisma());
    await start();
  });

  it("refuses the crash query with QUERY_TOO_COMPLEX, quickly, and stays up", async () => {
    expect(CRASH.length).toBeLessThan(700);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await post(CRASH);
      const error = expectRefused(reply, "QUERY_TOO_COMPLEX");
      expect(error.extensions.limit).toBe("depth");
      times.push(reply.ms);
    }
    // The bound the issue asks for: decided before execution, in a few ms (generous for a shared CI box).
    expect(median(times)).toBeLessThan(500);
    const after = await post("{ __typename }");
    expect(after).toMatchObject({ status: 200, body: { data: { __typename: "Query" } } });
    expect(serverErrors).toEqual([]);
  });

  it("refuses the cycle within the depth limit by its cost (lists multiply)", async () => {
    const query = `query { article(slug: "${STORY_SLUG}") { ${nest(3, "id", (s) => `claims(first: 500) { article { ${s} } }`)} } }`;
    const error = expectRefused(await post(query), "QUERY_TOO_COMPLEX");
    expect(error.extensions).toMatchObject({ limit: "cost", max: 500_000 });
    expect(error.extensions.cost).toBe(1 + 500 * (2 + 500 * (2 + 500 * 2)));
  });

  it("refuses the cycle through sources and attributions", async () => {
    const query = `query { source(id: "${seedId("source:reuters")}") { ${nest(5, "id", (s) => `attributions { claim { ${s} } }`)} } }`;
    const error = expectRefused(await post(query), "QUERY_TOO_COMPLEX");
    expect(error.extensions.limit).toBe("depth");
  });

  it("refuses 40 nested fragments (depth counts through fragments)", async () => {
    const fragments = Array.from({ length: 40 }, (_, i) =>
      i === 0 ? "fragment F0 on Article { id }" : `fragment F${i} on Article { claims { article { ...F${i - 1} } } }`,
    ).join("\n");
    const reply = await post(`query { articles { edges { node { ...F39 } } } }\n${fragments}`);
    expect(expectRefused(reply, "QUERY_TOO_COMPLEX").extensions.limit).toBe("depth");
  });

  it("refuses fragments that double at every level by their cost", async () => {
    const fragments = Array.from({ length: 20 }, (_, i) =>
      i === 0 ? "fragment F0 on Claim { id }" : `fragment F${i} on Claim { verdicts { claim { ...F${i - 1} } } attributions { claim { ...F${i - 1} } } }`,
    ).join("\n");
    const reply = await post(`query { claims(first: 1) { edges { node { ...F19 } } } }\n${fragments}`, {});
    // Depth counts first (the chain is 40 deep); with a higher depth limit the cost refuses it.
    expectRefused(reply, "QUERY_TOO_COMPLEX");
    await app!.close();
    await start({ QUERY_MAX_DEPTH: "100" });
    const deep = await post(`query { claims(first: 1) { edges { node { ...F19 } } } }\n${fragments}`);
    expect(expectRefused(deep, "QUERY_TOO_COMPLEX").extensions.limit).toBe("cost");
  });

  it("refuses too many aliases", async () => {
    const query = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect(expectRefused(await post(query), "QUERY_TOO_COMPLEX").extensions).toMatchObject({ limit: "aliases", max: 30 });
    const fine = await post(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(" ")} }`);
    expect(fine.status).toBe(200);
  });

  it("refuses 3,000 aliased search fields (300 KB) at parsing, by the token limit", async () => {
    const query = `{ ${Array.from({ length: 3000 }, (_, i) => `s${i}: search(query: "china russia sanctions") { totalCount edges { node { rank snippet } } }`).join(" ")} }`;
    expect(query.length).toBeGreaterThan(250_000);
    const reply = await post(query);
    const error = expectRefused(reply, "GRAPHQL_PARSE_FAILED");
    expect(error.message).toMatch(/2000 tokens/);
  });

  it("refuses a huge token count", async () => {
    const reply = await post(`{ ${"ok ".repeat(2500)} }`);
    expect(expectRefused(reply, "GRAPHQL_PARSE_FAILED").message).toMatch(/tokens/);
  });

  it("refuses too many directives", async () => {
    const query = `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: __typename @skip(if: false)`).join(" ")} }`;
    expect(expectRefused(await post(query), "QUERY_TOO_COMPLEX").extensions.limit).toBe("directives");
  });

  it("decides again when only the variables differ from a request it allowed (allowed requests are remembered by document and variables)", async () => {
    const query = "query Many($n: Int) { articles(first: $n) { edges { node { claims(first: 500) { attributions(first: 500) { id } } } } } }";
    for (let i = 0; i < 2; i++) expect((await post(query, { n: 1 })).status).toBe(200);
    expect(expectRefused(await post(query, { n: 100 }), "QUERY_TOO_COMPLEX").extensions.limit).toBe("cost");
    expect(expectRefused(await post(query, { n: 100 }), "QUERY_TOO_COMPLEX").extensions.limit).toBe("cost");
    expect((await post(query, { n: 1 })).status).toBe(200);
  });

  it("answers introspection (deeper than the depth limit) and refuses a first beyond its cap", async () => {
    const introspection = await post(getIntrospectionQuery());
    expect(introspection.status).toBe(200);
    expect(introspection.body.data.__schema.types.length).toBeGreaterThan(20);
    const tooMany = await post(`{ article(slug: "${STORY_SLUG}") { claims(first: 501) { id } } }`);
    expect(tooMany.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(tooMany.body.errors[0].message).toMatch(/first: must be between 0 and 500/);
  });
});

describe("legitimate operations stay within the limits", () => {
  const schema = buildSchema();
  const limits = queryLimits(testConfig());

  function refusal(document: DocumentNode, variables: Record<string, unknown> = {}) {
    const operation = getOperationAST(document);
    if (!operation) throw new Error("no operation");
    return limits.refusal(schema, document, operation, variables)?.message;
  }

  it("every operation in test/operations and bench/operations.ts, with default page sizes", () => {
    const documents: Array<[string, DocumentNode]> = [
      ...Object.entries(operations).filter(([name]) => name.endsWith("Document")).map(([name, document]) => [name, document as DocumentNode] as [string, DocumentNode]),
      ...Object.entries(CLAIMDESK).map(([name, text]) => [`bench:${name}`, parse(text, limits.parseOptions)] as [string, DocumentNode]),
    ];
    expect(documents.length).toBeGreaterThan(50);
    const refused = documents.filter(([, document]) => refusal(document) !== undefined).map(([name, document]) => `${name}: ${refusal(document)}`);
    expect(refused).toEqual([]);
  });

  it("the largest of them, with the page sizes their tests use", () => {
    expect(refusal(ArticlesSourcingDocument, { first: 40 })).toBeUndefined();
    expect(refusal(operations.SourcesDocument, { first: 50 })).toBeUndefined();
    expect(refusal(operations.ArticlesDocument, { first: 50 })).toBeUndefined();
    expect(refusal(ArticlesSourcingDocument, { first: 100 })).toMatch(/Query cost \d+ exceeds the limit of 500000/);
  });

  it("the README's example story query runs and returns every claim", async () => {
    await seedExampleStory(await testPrisma());
    const readme = /```graphql\n(query Story \{[\s\S]*?)```/.exec(await import("node:fs").then((fs) => fs.readFileSync("README.md", "utf8")))![1]!;
    const document = parse(readme, limits.parseOptions);
    expect(refusal(document)).toBeUndefined();
    const story = await gqlOkAs(null, document as TypedDocumentNode<{ article: { claims: unknown[] } }, Record<string, never>>);
    expect(story.article.claims).toHaveLength(CLAIMS.length);
  });
});

describe("the cost of an operation", () => {
  const schema = buildSchema();
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    return operationCost(schema, document, getOperationAST(document)!, variables);
  };

  it("multiplies by first, its SDL default, or the connection page default", () => {
    expect(cost(`{ article(id: "x") { id title } }`)).toBe(1);
    expect(cost(`{ article(id: "x") { claims { id } } }`)).toBe(1 + 50);
    expect(cost(`{ article(id: "x") { claims(first: 3) { attributions(first: 4) { source { id } } } } }`)).toBe(1 + 3 * (1 + 4 * 2));
    expect(cost(`query($n: Int) { article(id: "x") { claims(first: $n) { verdict { rating } } } }`, { n: 7 })).toBe(1 + 7 * 2);
    expect(cost(`query($n: Int = 2) { article(id: "x") { claims(first: $n) { verdict { rating } } } }`)).toBe(1 + 2 * 2);
    expect(cost(`{ articles { edges { node { id } } } }`)).toBe(20 * 3);
    expect(cost(`{ articles(first: 5) { totalCount edges { node { claims(first: 2) { id } } } } }`)).toBe(5 * (1 + 1 + 1 + 2));
  });

  it("counts a first beyond the cap at the cap, fragments once per use, and article bodies as 100", () => {
    expect(cost(`{ articles(first: 1000) { edges { node { id } } } }`)).toBe(100 * 3);
    expect(cost(`{ article(id: "x") { ...A ...A } } fragment A on Article { claims(first: 2) { id } }`)).toBe(1 + 2 * 2 * 1);
    expect(cost(`{ article(id: "x") { body } }`)).toBe(101);
    expect(cost(`{ search(query: "x", first: 10) { edges { node { item { ... on Article { body } ... on Claim { id } } } } } }`)).toBe(10 * (1 + 1 + 1 + 1 + 100));
  });
});

describe("nested lists take first", () => {
  beforeEach(async () => {
    await seedExampleStory(await testPrisma());
  });

  it("returns the first `first` items, the default when absent, and refuses more than the cap", async () => {
    const all = await gqlOkAs(null, LimitsArticleClaimsDocument, { slug: STORY_SLUG });
    expect(all.article!.claims).toHaveLength(CLAIMS.length);
    const some = await gqlOkAs(null, LimitsArticleClaimsDocument, { slug: STORY_SLUG, claims: 3, attributions: 1, verdicts: 0 });
    expect(some.article!.claims.map((claim) => claim.id)).toEqual(all.article!.claims.slice(0, 3).map((claim) => claim.id));
    expect(some.article!.claims.every((claim) => claim.attributions.length <= 1 && claim.verdicts.length === 0)).toBe(true);
    expect(all.article!.claims.some((claim) => claim.attributions.length > 1)).toBe(true);
    const refused = onlyError(await gql(LimitsArticleClaimsDocument, { slug: STORY_SLUG, claims: 501 }));
    expect(refused.extensions?.code).toBe("BAD_USER_INPUT");
    const negative = onlyError(await gql(LimitsSourceAttributionsDocument, { id: seedId("source:reuters"), first: -1 }));
    expect(negative.extensions?.code).toBe("BAD_USER_INPUT");
    const sourceAll = await gqlOkAs(null, LimitsSourceAttributionsDocument, { id: seedId("source:reuters") });
    const sourceOne = await gqlOkAs(null, LimitsSourceAttributionsDocument, { id: seedId("source:reuters"), first: 1 });
    expect(sourceAll.source!.attributions.length).toBeGreaterThan(1);
    expect(sourceOne.source!.attributions).toEqual(sourceAll.source!.attributions.slice(0, 1));
  });
});

describe("input the database cannot take is refused with BAD_USER_INPUT before SQL", () => {
  beforeEach(async () => {
    await seedExampleStory(await testPrisma());
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function expectBadInput(document: TypedDocumentNode<any, any>, variables: Record<string, unknown>, field?: RegExp) {
    const before = await databaseSnapshot();
    const internalBefore = internalErrors.length;
    const error = onlyError(await gql(document, variables));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    if (field) expect(error.message).toMatch(field);
    expect(internalErrors.length).toBe(internalBefore);
    expect(await databaseSnapshot()).toEqual(before);
    return error;
  }

  it("NUL bytes in any string, in variables or literals", async () => {
    await expectBadInput(operations.CreateArticleDocument, { input: { title: "Nul\u0000title", body: "x" } }, /variables\.input\.title: must not contain NUL/);
    // Except search's query, which takes any text by contract and drops NUL itself.
    expect((await gql(operations.SearchDocument, { query: "china\u0000" })).errors).toBeUndefined();
    await expectBadInput(operations.ArticlesDocument, { filter: { outlet: "D\u0000W" } }, /variables\.filter\.outlet/);
    const literal = await literalError(`{ article(slug: "a\\u0000b") { id } }`);
    expect(literal.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("lone UTF-16 surrogates", async () => {
    await expectBadInput(operations.ArticlesDocument, { filter: { outlet: "D\uD800W" } }, /unpaired UTF-16 surrogates/);
    await expectBadInput(operations.CreateArticleDocument, { input: { title: "x\uDC00", body: "x" } }, /surrogates/);
  });

  it("dates outside years 1..9999", async () => {
    await expectBadInput(operations.ArticlesDocument, { filter: { publishedAfter: "0000-01-01T00:00:00Z" } }, /years 1 to 9999/);
    await expectBadInput(operations.CreateArticleDocument, { input: { title: "Old", body: "x", publishedAt: "0000-12-31T23:59:59Z" } });
    // Written as a literal, graphql-js validation refuses it (as any malformed literal), still before SQL.
    const internalBefore = internalErrors.length;
    const literal = await literalError(`{ articles(filter: { publishedAfter: "0000-01-01T00:00:00Z" }) { totalCount } }`);
    expect(literal.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(literal.message).toMatch(/years 1 to 9999/);
    expect(internalErrors.length).toBe(internalBefore);
    const fine = await gqlOkAs(null, operations.ArticlesDocument, { filter: { publishedAfter: "0001-01-01T00:00:00Z" } });
    expect(fine.articles.edges.map((edge) => edge.node.id)).toEqual([STORY.id]);
  });

  it("cursors that do not decode to a valid position", async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const id = STORY.id;
    for (const after of [cursor([1e308, id]), cursor(["1e308", id]), cursor(["0000-01-01T00:00:00.000Z", id]), cursor(["2024-01-01T00:00:00.000Z"]), cursor({}), "%%%not base64", cursor(["2024-01-01T00:00:00.000Z", "x"])]) {
      await expectBadInput(operations.ArticlesDocument, { after }, /after: is not a cursor/);
    }
    await expectBadInput(operations.AuditLogDocument, { after: cursor([1e308, id]) }, /after: is not a cursor/);
    await expectBadInput(operations.SearchDocument, { query: "china", after: cursor([1e308, "ARTICLE", id]) }, /after: is not a cursor/);
  });
});

/** The single error of a document with literal arguments, run in-process as anonymous. */
async function literalError(query: string) {
  return onlyError(await gqlAs(null, parse(query) as TypedDocumentNode<unknown, Record<string, never>>));
}
