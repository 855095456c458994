import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildSchema as buildSchemaFromSdl, isObjectType } from "graphql";
import { createServer } from "../src/server";
import { buildSchema, printPublicSchema } from "../src/schema";
import { SCHEMA_FILE, staleSchemaFile } from "../scripts/schema-file";
import { testPrisma } from "./support/environment";
import { testConfig } from "./support/config";

/*
 * The printed schema: schema.graphql at the repository root (npm run schema:print / schema:check),
 * GET /schema.graphql, and what the public schema no longer shows (Query.ok, Mutation._noop).
 */

const ROOT = path.join(__dirname, "..");
const committed = () => readFileSync(SCHEMA_FILE, "utf8");

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(env: Record<string, string> = {}) {
  const { app } = await createServer({ prisma: await testPrisma(), config: testConfig(env) });
  apps.push(app);
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return (headers: Record<string, string> = {}) => fetch(`${address}/schema.graphql`, { headers });
}

describe("schema.graphql", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "claimdesk-schema-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is current: the committed file is what the schema prints", () => {
    expect(staleSchemaFile()).toBeNull();
    expect(committed()).toBe(printPublicSchema(buildSchema()));
  });

  it("prints the same text every time, types sorted by name, with the SDL's descriptions", () => {
    const text = printPublicSchema();
    expect(printPublicSchema()).toBe(text);
    const types = [...text.matchAll(/^(?:type|input|enum|scalar|union|interface) (\w+)/gm)].map((match) => match[1]!);
    expect(types).toEqual([...types].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(types.length).toBeGreaterThan(50);
    // The SDL's own scalar description, not graphql-scalars'; a scale's values keep their order.
    expect(text).toContain("An instant: an RFC 3339 (ISO 8601) date-time");
    expect(text).not.toContain("A date-time string at UTC, such as 2007-12-03T10:15:30Z");
    expect(text.indexOf("  YEAR\n")).toBeLessThan(text.indexOf("  INSTANT\n"));
  });

  it("is a complete schema a client can build on, without the internal fields", () => {
    const schema = buildSchemaFromSdl(committed());
    const query = schema.getQueryType()!;
    const mutation = schema.getMutationType()!;
    expect(Object.keys(query.getFields())).toEqual(expect.arrayContaining(["article", "articles", "me", "auditLog"]));
    expect(Object.keys(query.getFields())).not.toContain("ok");
    expect(Object.keys(mutation.getFields())).toEqual(expect.arrayContaining(["signIn", "recordVerdict"]));
    expect(Object.keys(mutation.getFields())).not.toContain("_noop");
    expect(isObjectType(schema.getType("Verdict"))).toBe(true);
    // The server's schema has neither either.
    const served = buildSchema();
    expect(served.getQueryType()!.getFields().ok).toBeUndefined();
    expect(served.getMutationType()!.getFields()._noop).toBeUndefined();
  });

  it("the check names a stale, shortened, lengthened or missing file (the committed one is untouched)", () => {
    const printed = printPublicSchema();
    const stale = path.join(dir, "stale.graphql");
    writeFileSync(stale, printed.replace("type Verdict implements Node {", "type Verdict implements Node {\n  removedLater: String"));
    const line = printed.split("\n").indexOf("type Verdict implements Node {") + 2;
    expect(staleSchemaFile(stale, printed)).toMatch(new RegExp(`stale\\.graphql is stale at line ${line}: it has "  removedLater: String"`));

    const shortened = path.join(dir, "shortened.graphql");
    writeFileSync(shortened, printed.slice(0, printed.lastIndexOf("type ")));
    expect(staleSchemaFile(shortened, printed)).toMatch(/is stale at line \d+: it has \(end of file\), the schema prints "type \w+ \{"/);

    const lengthened = path.join(dir, "lengthened.graphql");
    writeFileSync(lengthened, `${printed}scalar Extra\n`);
    expect(staleSchemaFile(lengthened, printed)).toMatch(/it has "scalar Extra", the schema prints \(end of file\)/);

    const noFinalNewline = path.join(dir, "no-final-newline.graphql");
    writeFileSync(noFinalNewline, printed.trimEnd());
    expect(staleSchemaFile(noFinalNewline, printed)).toMatch(/no-final-newline\.graphql is stale: it differs from the printed schema in its final newline/);

    expect(staleSchemaFile(path.join(dir, "nowhere.graphql"), printed)).toMatch(/nowhere\.graphql is missing/);
    expect(staleSchemaFile(SCHEMA_FILE, printed)).toBeNull();
  });

  it("npm run schema:check's script exits 1 on a stale copy, saying how to fix it", () => {
    const stale = path.join(dir, "stale-for-cli.graphql");
    writeFileSync(stale, committed().replace(/"""\nThe verdict scale[\s\S]*?"""\n/, ""));
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    const failed = spawnSync(tsx, ["scripts/schema-file.ts", "check", stale], { cwd: ROOT, encoding: "utf8" });
    expect({ status: failed.status, stderr: failed.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(/stale-for-cli\.graphql is stale at line \d+[\s\S]*npm run schema:print/) });
  });
});

describe("GET /schema.graphql", () => {
  it("serves the committed file to anonymous clients, as text, with an ETag", async () => {
    const get = await start();
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, no-cache");
    expect(response.headers.get("etag")).toMatch(/^"[\w-]{32}"$/);
    expect(await response.text()).toBe(committed());
  });

  it("answers 304 without a body when the client's copy is current, 200 when it is not", async () => {
    const get = await start();
    const etag = (await get()).headers.get("etag")!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"old", ${etag}`, "*"]) {
      const cached = await get({ "if-none-match": ifNoneMatch });
      expect({ ifNoneMatch, status: cached.status, body: await cached.text() }).toEqual({ ifNoneMatch, status: 304, body: "" });
      expect(cached.headers.get("etag")).toBe(etag);
    }
    const old = await get({ "if-none-match": '"an-older-schema"' });
    expect(old.status).toBe(200);
    expect(await old.text()).toBe(committed());
  });

  it("is served where introspection is on, not in production unless INTROSPECTION turns it back on", async () => {
    expect((await (await start({ NODE_ENV: "production" }))()).status).toBe(404);
    const enabled = await (await start({ NODE_ENV: "production", INTROSPECTION: "on" }))();
    expect(enabled.status).toBe(200);
    expect(await enabled.text()).toBe(committed());
  });
});
