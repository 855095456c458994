import type { FastifyInstance } from "fastify";
import { parse } from "graphql";
import { buildSchema } from "../src/schema";
import { createServer } from "../src/server";
import { takeStatements, testPrisma } from "./support/environment";
import { testConfig } from "./support/config";
import { checkAnswer, collectGarbage, describeOperation, generateOperation, measureQuery, memoryMb, groupFindings, runFuzz, type Finding } from "./support/fuzz";
import { exampleStoryPools, prepareFuzzDatabase } from "./support/fuzz-target";

/*
 * Thousands of random operations, generated from the schema by a seeded fuzzer (test/support/fuzz.ts;
 * `npm run fuzz` runs any number of them), sent over HTTP to the real server as every kind of
 * caller. Whatever they ask, the server answers with a 2xx/4xx, and every error carries a code of the
 * vocabulary: none is an internal error, none shows a stack, SQL, Prisma or a file path.
 */

const SEED = process.env.FUZZ_SEED ?? "claimdesk-fuzz-1";
const COUNT = Number(process.env.FUZZ_COUNT ?? 2000);

const schema = buildSchema();
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("the fuzzer", () => {
  it("is seeded: the same seed gives the same operations, another seed others", () => {
    const pools = exampleStoryPools();
    const run = (seed: string) => Array.from({ length: 200 }, (_, index) => generateOperation(schema, seed, index, pools));
    const first = run("a");
    expect(run("a")).toEqual(first);
    expect(run("b").map((op) => op.query)).not.toEqual(first.map((op) => op.query));
    // Operation 123 alone is the same as in the sequence: a failure is reproduced from its index.
    expect(generateOperation(schema, "a", 123, pools)).toEqual(first[123]);
  });

  it("covers the schema: every root field, every caller, inline and variables, every kind of hostile input", () => {
    const pools = exampleStoryPools();
    const operations = Array.from({ length: COUNT }, (_, index) => generateOperation(schema, SEED, index, pools));
    const roots = new Set(operations.flatMap((op) => op.root.split("+").map((name, i) => (i === 0 ? name : `${op.root.split(".")[0]}.${name}`))));
    const expected = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.keys(type.getFields()).map((name) => `${type.name}.${name}`));
    expect(expected.filter((name) => !roots.has(name))).toEqual([]);
    expect(new Set(operations.map((op) => op.actor))).toEqual(new Set([null, "BOGUS_TOKEN", "ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"]));
    expect(operations.filter((op) => op.variables).length).toBeGreaterThan(COUNT / 5);
    expect(operations.filter((op) => !op.variables).length).toBeGreaterThan(COUNT / 5);
    const tags = new Set(operations.flatMap((op) => op.tags));
    expect([...tags].sort()).toEqual(["bad-cursor", "date-out-of-range", "huge-string", "lone-surrogate", "missing-required", "nul", "over-limits", "wrong-type"]);
    // Mostly within the query limits, a few beyond them.
    const overLimits = operations.filter((op) => op.tags.includes("over-limits")).length;
    expect(overLimits).toBeGreaterThan(COUNT * 0.02);
    expect(overLimits).toBeLessThan(COUNT * 0.1);
    // Most operations are valid GraphQL syntax (the rest: lone surrogates escaped inline)...
    const parsed = operations.filter((op) => {
      try {
        parse(op.query);
        return true;
      } catch {
        return false;
      }
    });
    expect(parsed.length).toBeGreaterThan(COUNT * 0.9);
    // ... and within the default query limits (depth 8, aliases 30, tokens 2000, directives 20), except those meant to exceed them.
    const beyond = parsed.filter((op) => {
      const m = measureQuery(op.query);
      return m.depth > 8 || m.aliases > 30 || m.tokens > 2000 || m.directives > 20;
    });
    expect(beyond.filter((op) => !op.tags.includes("over-limits")).map((op) => op.index)).toEqual([]);
    expect(beyond.length).toBe(parsed.filter((op) => op.tags.includes("over-limits")).length);
  });

  it("judges answers: 5xx, internal errors, errors without a known code and leaked internals are failures", () => {
    const op = generateOperation(schema, "judge", 0, exampleStoryPools());
    const kinds = (status: number, body: unknown) => checkAnswer(op, status, typeof body === "string" ? body : JSON.stringify(body)).map((f) => f.kind);
    expect(kinds(200, { data: { ok: true } })).toEqual([]);
    expect(kinds(400, { errors: [{ message: "Syntax Error", extensions: { code: "GRAPHQL_PARSE_FAILED" } }] })).toEqual([]);
    expect(kinds(200, { data: null, errors: [{ message: "x", extensions: { code: "NOT_FOUND" } }] })).toEqual([]);
    expect(kinds(413, { statusCode: 413, code: "FST_ERR_CTP_BODY_TOO_LARGE", message: "Request body is too large" })).toEqual([]);
    expect(kinds(502, "Bad Gateway")).toEqual(["http-5xx", "not-json"]);
    expect(kinds(200, { data: null, errors: [{ message: "Internal server error", path: ["articles"], extensions: { code: "INTERNAL_SERVER_ERROR" } }] })).toEqual(["internal-error"]);
    expect(kinds(200, { errors: [{ message: "oops" }] })).toEqual(["no-code"]);
    expect(kinds(200, { errors: [{ message: "oops", extensions: { code: "SOMETHING_ELSE" } }] })).toEqual(["unknown-code"]);
    for (const leak of ["at resolve (/srv/app/src/x.ts:12:3)", "Invalid `prisma.article.findMany()` invocation", "SELECT id FROM article", "/work/main/src", "node_modules/pg"]) {
      expect(kinds(200, { errors: [{ message: leak, extensions: { code: "BAD_USER_INPUT" } }] })).toContain("leak");
    }
  });

  it(`sends ${COUNT} operations to the HTTP server: no 5xx, no internal or unmasked error, no leak, flat memory`, async () => {
    const prisma = await testPrisma();
    const { pools, credentials } = await prepareFuzzDatabase(prisma);
    ({ app } = await createServer({ prisma, config: testConfig({ RATE_LIMIT_MAX: "100000" }) }));
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/graphql`;

    // Warm up (schema, pools, JIT, connection pool) before the first memory reading.
    await runFuzz({ url, schema, seed: `${SEED}-warm-up`, count: 200, pools, credentials });
    takeStatements();
    collectGarbage();
    const before = memoryMb();
    const cpuBefore = process.cpuUsage();
    // The test client logs every SQL statement: drop them as we go, they are not the server's memory.
    const summary = await runFuzz({ url, schema, seed: SEED, count: COUNT, pools, credentials, progress: { every: 250, call: () => takeStatements() } });
    const cpu = process.cpuUsage(cpuBefore);
    takeStatements();
    collectGarbage();
    const after = memoryMb();

    const failures: Finding[] = summary.findings;

    const report = [
      `fuzz seed=${SEED} count=${COUNT} in ${summary.elapsedMs} ms (CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms); after a full GC: RSS ${before.rss} -> ${after.rss} MB, heap ${before.heapUsed} -> ${after.heapUsed} MB`,
      `status ${JSON.stringify(summary.byStatus)} codes ${JSON.stringify(summary.byCode)} clean=${summary.clean} renewedTokens=${summary.renewedTokens}`,
      `failures: ${failures.length}`,
      ...groupFindings(failures).map((group) => `${group.count} x ${group.key}\n  ${describeOperation(group.smallest.operation)}\n  -> ${group.smallest.excerpt.slice(0, 200)}`),
    ].join("\n");
    if (process.env.FUZZ_VERBOSE) console.log(report);

    expect({ failures: failures.length, report }).toEqual({ failures: 0, report: expect.any(String) });
    expect(summary.byStatus["200"]).toBeGreaterThan(COUNT / 3);
    expect(summary.clean).toBeGreaterThan(COUNT / 10);
    // Live JS memory after a full GC is what a leak would grow. It grows some: Apollo's parsed-document
    // cache (an LRU bounded at ~30 MiB of estimated size) fills with the fuzzer's unique queries.
    // RSS also keeps freed malloc arenas (100 KB bodies), hence its looser bound.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(100);
    expect(after.rss - before.rss).toBeLessThan(300);
  }, 300_000);
});

describe("regressions the fuzzer found", () => {
  async function startSeeded() {
    const prisma = await testPrisma();
    await prepareFuzzDatabase(prisma);
    ({ app } = await createServer({ prisma, config: testConfig() }));
    const url = `${await app.listen({ port: 0, host: "127.0.0.1" })}/graphql`;
    return async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      return {
        status: response.status,
        json: (await response.json()) as { data?: { search: { totalCount: number } }; errors?: Array<{ message: string; extensions: { code: string } }> },
      };
    };
  }
  const SEARCH = "query($q: String!) { search(query: $q) { totalCount } }";

  it("search: a run of `-` (a NOT each for PostgreSQL, which overflowed at ~30) is searched as one `-` (odd run) or two (even run)", async () => {
    const post = await startSeeded();
    for (const q of ["-".repeat(1400), `China ${"- ".repeat(40)}Reuters`, `China ${"-!".repeat(100)}Reuters`]) {
      const answer = await post(SEARCH, { q });
      expect({ q: q.slice(0, 20), ...answer }).toEqual({ q: q.slice(0, 20), status: 200, json: { data: { search: { totalCount: expect.any(Number) } } } });
    }
    const count = async (q: string) => (await post(SEARCH, { q })).json.data!.search.totalCount;
    const all = await count("China");
    const withoutReuters = await count("China -Reuters");
    expect(withoutReuters).toBeLessThan(all);
    expect(await count("China ---Reuters")).toBe(withoutReuters);
    expect(await count(`China ${"-".repeat(41)}Reuters`)).toBe(withoutReuters);
    expect(await count(`China ${"-".repeat(40)}Reuters`)).toBe(await count("China --Reuters"));
  });

  it("more than 50 bad variable values: graphql-js's last error (no code of its own) is BAD_USER_INPUT too, not an internal error", async () => {
    const post = await startSeeded();
    const answer = await post("mutation($input: CreateRebuttalInput!) { createRebuttal(input: $input) { id } }", {
      input: { sourceId: exampleStoryPools().ids[0], claimIds: Array.from({ length: 60 }, () => null), stance: "DENIES", text: "x" },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toHaveLength(51);
    expect(answer.json.errors!.at(-1)!.message).toMatch(/^Too many errors processing variables/);
    expect(new Set(answer.json.errors!.map((error) => error.extensions.code))).toEqual(new Set(["BAD_USER_INPUT"]));
  });
});
