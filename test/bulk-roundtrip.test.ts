/**
 * Bulk export/import: export -> import into an empty database -> export gives the same file, byte
 * for byte; the JSON Schema accepts every line of the committed example file and of an export.
 */
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import path from "node:path";
import pg from "pg";
import { exportNdjson, type ExportOptions } from "../src/bulk/export";
import { loadValidators } from "../src/bulk/format";
import { importNdjson } from "../src/bulk/import";
import { poolConfigFromUrl, withDatabase } from "../src/db/connection";
import { seedLocalUsers } from "../prisma/seed-data/local-users";
import { fixtureRecords, writeNdjson, FACT_CHECKER_EMAIL } from "./bulk-fixture";
import { StoryReadDocument } from "./generated/operations";
import { withAdminConnection } from "./support/admin";
import { gqlOk } from "./support/client";
import { TEST_SERVER_URL, templateDatabaseName, workerDatabaseUrl } from "./support/databases";
import { testPrisma } from "./support/environment";

const EXAMPLE = path.join(__dirname, "..", "prisma", "seed-data", "example-story.ndjson");

async function exportToString(databaseUrl: string, options: Partial<ExportOptions> = {}): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await exportNdjson({ databaseUrl, out, ...options });
  out.end();
  return Buffer.concat(chunks).toString("utf8");
}

/** An extra, empty (migrated) database for this test file, dropped afterwards. */
const extraName = `claimdesk_test_${process.env.CLAIMDESK_TEST_RUN}_bulk_${process.env.JEST_WORKER_ID ?? "1"}`;
const extraUrl = withDatabase(TEST_SERVER_URL, extraName);

async function createExtraDatabase(emails: string[]) {
  await withAdminConnection(async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${extraName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${extraName} TEMPLATE ${templateDatabaseName()}`);
  });
  // Users are not exported: the target has its own, matched by email.
  const { schema: _schema, ...config } = poolConfigFromUrl(extraUrl);
  const client = new pg.Client(config);
  await client.connect();
  try {
    for (const email of emails) await client.query(`INSERT INTO app_user (id, email, name, role, updated_at) VALUES (gen_random_uuid(), $1, $1, 'FACT_CHECKER', now())`, [email]);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await withAdminConnection((admin) => admin.query(`DROP DATABASE IF EXISTS ${extraName} WITH (FORCE)`));
});

describe("bulk round trip", () => {
  it("export -> import into an empty database -> export gives the same file, byte for byte", async () => {
    await testPrisma();
    const loaded = await importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson(fixtureRecords()) });
    expect(loaded.errors).toEqual([]);
    expect(loaded.ok).toBe(true);

    const first = await exportToString(workerDatabaseUrl(), { includeIdentityNotes: true });
    // The fixture plus the automatic UNVERIFIED verdict of the 3 claims it gives no verdict.
    expect(first.split("\n").filter(Boolean)).toHaveLength(fixtureRecords().length + 3);

    await createExtraDatabase([FACT_CHECKER_EMAIL]);
    const again = await importNdjson({ databaseUrl: extraUrl, file: writeNdjson([first.trimEnd()]) });
    expect(again.errors).toEqual([]);
    expect(again.warnings).toEqual([]);
    expect(Object.values(again.summary).every((s) => s.updated === 0 && s.unchanged === 0 && s.rejected === 0)).toBe(true);
    const second = await exportToString(extraUrl, { includeIdentityNotes: true });
    expect(second).toBe(first);
  });

  it("keeps every field of every record type (partial dates, ids, refs, answers, conduits, versions)", async () => {
    await testPrisma();
    await importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson(fixtureRecords()) });
    const lines = (await exportToString(workerDatabaseUrl(), { includeIdentityNotes: true })).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const byId = new Map(lines.map((l) => [l.id, l]));
    for (const record of fixtureRecords().slice(1)) {
      const exported = byId.get(record.id);
      expect(exported).toBeDefined();
      // Every field the fixture gives comes back as given (the export adds the defaults of the others).
      expect(exported).toMatchObject(record);
    }
    const claim0 = byId.get("00000000-0000-4000-8000-000000000401")!;
    expect(claim0).toMatchObject({ originWork: { title: "Interview with Mayor Ortiz", outlet: "Harbor Radio", publishedAt: "2025-05-02T00:00:00.000Z" } });

    // What was imported is what the API serves.
    const { article } = await gqlOk(StoryReadDocument, { slug: "harbor-city-says-tap-water-meets-every-standard" });
    expect(article).toMatchObject({ id: "00000000-0000-4000-8000-000000000301", status: "PUBLISHED", outlet: "Harbor Gazette" });
    expect(article!.claims.map((c) => c.statement)).toEqual([
      "Harbor City's tap water meets every federal standard.",
      "Lead levels in Harbor City's water fell by half since 2022.",
      "Two filters at the treatment plant have been broken since March.",
    ]);
    expect(article!.claims[0]!.attributions.map((a) => a.source.name).sort()).toEqual(["Harbor Gazette", "Lena Ortiz"]);
  });

  it("leaves identity notes out unless asked (--include-identity-notes)", async () => {
    await testPrisma();
    await importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson(fixtureRecords()) });
    const plain = await exportToString(workerDatabaseUrl());
    expect(plain).not.toContain('"identityNote"');
    expect(plain).not.toContain("through the union");
    expect(JSON.parse(plain.split("\n")[0]!)).toMatchObject({ identityNotes: false });
    const withNotes = await exportToString(workerDatabaseUrl(), { includeIdentityNotes: true });
    expect(withNotes).toContain("Reached by phone through the union");
    // Importing the file without notes keeps the note that is there.
    const rerun = await importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson([plain.trimEnd()]) });
    expect(rerun.summary.source).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
    const prisma = await testPrisma();
    expect((await prisma.source.findFirst({ where: { kind: "UNNAMED_GROUP" } }))?.identityNote).toMatch(/union/);
  });

  it("filters by status, outlet and publication date, with only what hangs from the chosen articles", async () => {
    await testPrisma();
    await importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson(fixtureRecords()) });
    const records = (text: string) => text.trimEnd().split("\n").slice(1).map((l) => JSON.parse(l) as { type: string; slug?: string });
    const published = records(await exportToString(workerDatabaseUrl(), { status: "PUBLISHED" }));
    expect(published.filter((r) => r.type === "article").map((r) => r.slug)).toEqual(["harbor-city-says-tap-water-meets-every-standard"]);
    expect(published.filter((r) => r.type === "claim")).toHaveLength(3);
    expect(published.filter((r) => r.type === "claimRelation")).toHaveLength(1);
    const byOutlet = records(await exportToString(workerDatabaseUrl(), { outlet: "coast checks" }));
    expect(byOutlet.filter((r) => r.type === "article").map((r) => r.slug)).toEqual(["fact-check-is-harbor-city-water-safe"]);
    expect(byOutlet.filter((r) => r.type === "response")).toHaveLength(0);
    const none = records(await exportToString(workerDatabaseUrl(), { since: "2025-06-01", until: "2026-01-01" }));
    expect(none.filter((r) => r.type === "article")).toHaveLength(0);
    expect(none.filter((r) => r.type === "source")).toHaveLength(5);
  });

  it("the committed example story file is valid against the JSON Schema, and loads into an empty database as it is", async () => {
    const validators = loadValidators();
    const text = readFileSync(EXAMPLE, "utf8");
    for (const [i, line] of text.trimEnd().split("\n").entries()) {
      const ok = validators.line(JSON.parse(line));
      if (!ok) throw new Error(`line ${i + 1}: ${JSON.stringify(validators.line.errors)}`);
    }
    const prisma = await testPrisma();
    await prisma.$transaction((tx) => seedLocalUsers(tx));
    const result = await importNdjson({ databaseUrl: workerDatabaseUrl(), file: EXAMPLE });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(await exportToString(workerDatabaseUrl())).toBe(text);
  });

  it("the JSON Schema rejects what the format does not allow", () => {
    const { line } = loadValidators();
    expect(line({ type: "source", kind: "PERSON", name: "A" })).toBe(true);
    expect(line({ type: "source", kind: "ROBOT", name: "A" })).toBe(false);
    expect(line({ type: "source", kind: "PERSON", name: "A", colour: "red" })).toBe(false);
    expect(line({ type: "claim", article: { slug: "a" }, position: -1, statement: "s" })).toBe(false);
    expect(line({ type: "work", title: "T", publishedAt: null, publishedPrecision: "DAY" })).toBe(false);
    expect(line({ type: "response", id: "00000000-0000-4000-8000-000000000001", source: { externalId: "x" }, text: "t", answers: [{ stance: "DENIES" }] })).toBe(false);
    expect(line({ type: "claimdesk-export", formatVersion: 2 })).toBe(false);
  });
});
