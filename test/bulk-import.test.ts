/**
 * Bulk import: idempotent reruns, upserts by key, references between records (within the file and
 * to the database), the dry-run report (line, JSON pointer, message) and all-or-nothing files.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { importNdjson, type ImportResult } from "../src/bulk/import";
import { ArticleClaimsDocument, StoryReadDocument } from "./generated/operations";
import { fixtureRecords, writeNdjson, HEADER, FACT_CHECKER_EMAIL } from "./bulk-fixture";
import { gqlOk } from "./support/client";
import { workerDatabaseUrl } from "./support/databases";
import { databaseSnapshot, testPrisma } from "./support/environment";

const run = promisify(execFile);

async function load(lines: Array<Record<string, unknown> | string>, dryRun = false): Promise<ImportResult> {
  await testPrisma();
  return importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson(lines), dryRun });
}

const totals = (result: ImportResult) =>
  Object.values(result.summary).reduce(
    (t, s) => ({ created: t.created + s.created, updated: t.updated + s.updated, unchanged: t.unchanged + s.unchanged, rejected: t.rejected + s.rejected }),
    { created: 0, updated: 0, unchanged: 0, rejected: 0 },
  );

const SLUG = "harbor-city-says-tap-water-meets-every-standard";

describe("bulk import", () => {
  it("imports a file, and a second run changes nothing (0 created, 0 updated, N unchanged)", async () => {
    const records = fixtureRecords();
    const first = await load(records);
    expect(first.errors).toEqual([]);
    expect(totals(first)).toEqual({ created: records.length - 1, updated: 0, unchanged: 0, rejected: 0 });
    expect(first.summary.attribution).toEqual({ created: 5, updated: 0, unchanged: 0, rejected: 0 });

    const before = await databaseSnapshot();
    const second = await load(records);
    expect(second.ok).toBe(true);
    expect(totals(second)).toEqual({ created: 0, updated: 0, unchanged: records.length - 1, rejected: 0 });
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("upserts by key: a changed record updates its row (version + 1), the others stay unchanged", async () => {
    await load(fixtureRecords());
    const prisma = await testPrisma();
    const changed = fixtureRecords().map((r) =>
      r.type === "article" && r.externalId === "hg-1001" ? { ...r, id: undefined, title: "Harbor City insists its tap water is safe" }
      : r.type === "source" && r.name === "Harbor Gazette" ? { ...r, id: "00000000-0000-4000-8000-00000000ffff", description: "Daily paper of Harbor City." }
      : r,
    );
    const result = await load(changed);
    expect(result.errors).toEqual([]);
    expect(result.summary.article).toEqual({ created: 0, updated: 1, unchanged: 1, rejected: 0 });
    // The source is matched by (name, kind), not by the new id in the file.
    expect(result.summary.source).toEqual({ created: 0, updated: 1, unchanged: 4, rejected: 0 });
    const article = await prisma.article.findUniqueOrThrow({ where: { externalId: "hg-1001" } });
    expect(article).toMatchObject({ id: "00000000-0000-4000-8000-000000000301", title: "Harbor City insists its tap water is safe", version: 4 });
    expect(await prisma.source.count({ where: { name: "Harbor Gazette" } })).toBe(1);
    const { article: read } = await gqlOk(StoryReadDocument, { slug: SLUG });
    expect(read?.title).toBe("Harbor City insists its tap water is safe");
  });

  it("resolves references within the file whatever their order, and to rows already in the database", async () => {
    // Records in reverse dependency order: verdicts (in their history order) and attributions before
    // their claims and sources.
    const records = fixtureRecords();
    const verdicts = records.filter((r) => r.type === "verdict");
    const reversed = [records[0]!, ...verdicts, ...records.slice(1).filter((r) => r.type !== "verdict").reverse()];
    const first = await load(reversed);
    expect(first.errors).toEqual([]);
    expect(first.ok).toBe(true);

    // A second file with only new claims, attributions and a verdict, referring to the database.
    const second = await load([
      HEADER,
      { type: "claim", article: { slug: SLUG }, position: 3, statement: "The treatment plant was built in 1962.", kind: "FACTUAL" },
      { type: "attribution", claim: { article: { externalId: "hg-1001" }, position: 3 }, source: { name: "Harbor City Council", kind: "GOVERNMENT" }, role: "CLAIMANT" },
      {
        type: "attribution",
        claim: { article: { externalId: "hg-1001" }, position: 3 },
        source: { externalId: "person:lena-ortiz" },
        role: "CONDUIT",
        via: { claim: { article: { slug: SLUG }, position: 3 }, source: { name: "Harbor City Council", kind: "GOVERNMENT" }, role: "CLAIMANT" },
        capacity: { person: { externalId: "person:lena-ortiz" }, organization: { name: "Harbor City Council", kind: "GOVERNMENT" }, title: "Mayor", startedAt: "2021-01-01T00:00:00Z" },
        work: { externalId: "hwa-report-2024" },
      },
      { type: "verdict", id: "00000000-0000-4000-8000-000000000703", claim: { article: { slug: SLUG }, position: 3 }, rating: "SUPPORTED", rationale: "City records.", recordedBy: FACT_CHECKER_EMAIL },
    ]);
    expect(second.errors).toEqual([]);
    expect(second.summary.claim.created).toBe(1);
    expect(second.summary.attribution.created).toBe(2);
    const prisma = await testPrisma();
    const conduit = await prisma.attribution.findFirstOrThrow({ where: { role: "CONDUIT", claim: { position: 3 } }, include: { via: { include: { source: true } }, capacity: true, work: true } });
    expect(conduit.via?.source.name).toBe("Harbor City Council");
    expect(conduit.capacity?.title).toBe("Mayor");
    expect(conduit.work?.externalId).toBe("hwa-report-2024");
    // The new claim's verdict history: the automatic UNVERIFIED is not added (the file gives one), the rating follows it.
    const { article } = await gqlOk(ArticleClaimsDocument, { id: "00000000-0000-4000-8000-000000000301" });
    const claim3 = article!.claims.find((c) => c.position === 3)!;
    expect(claim3.verdict).toMatchObject({ rating: "SUPPORTED", recordedBy: { role: "FACT_CHECKER" } });
    expect(article!.claims.find((c) => c.position === 0)!.verdict.rating).toBe("MISLEADING");
  });

  it("--dry-run reports every problem with its line, field (JSON pointer) and message, and writes nothing", async () => {
    await load(fixtureRecords());
    const before = await databaseSnapshot();
    const result = await load(
      [
        HEADER,
        { type: "source", kind: "ROBOT", name: "R2" },
        "{not json",
        { type: "claim", article: { slug: "no-such-article" }, position: 0, statement: "Orphan claim." },
        { type: "attribution", claim: { article: { externalId: "hg-1001" }, position: 9 }, source: { externalId: "person:lena-ortiz" }, role: "CLAIMANT" },
        { type: "article", slug: "new-article", title: "New", colour: "red" },
        { type: "source", kind: "PERSON", name: "New person" },
        { type: "verdict", id: "00000000-0000-4000-8000-000000000702", claim: { article: { externalId: "hg-1001" }, position: 0 }, rating: "SUPPORTED" },
        { type: "widget" },
      ],
      true,
    );
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => [e.line, e.pointer])).toEqual([
      [2, "/kind"],
      [3, ""],
      [4, "/article"],
      [5, "/claim"],
      [6, ""],
      [8, ""],
      [9, "/type"],
    ]);
    expect(result.errors[0]!.message).toMatch(/must be equal to one of the allowed values/);
    expect(result.errors[1]!.message).toMatch(/not JSON/);
    expect(result.errors[2]!.message).toBe("no article s:no-such-article in the file or the database");
    expect(result.errors[3]!.message).toBe("no claim at position 9 of article e:hg-1001 in the file or the database");
    expect(result.errors[4]!.message).toBe('unknown field "colour"');
    expect(result.errors[5]!.message).toMatch(/append-only/);
    expect(result.summary.source).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 1 });
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("a bad record in the middle of a file: nothing of the file is written (all or nothing)", async () => {
    const before = await databaseSnapshot();
    const records = fixtureRecords();
    const bad = { type: "attribution", claim: { article: { externalId: "hg-1001" }, position: 0 }, source: { externalId: "nobody" }, role: "EVIDENCE" };
    const middle = Math.floor(records.length / 2);
    const result = await load([...records.slice(0, middle), bad, ...records.slice(middle)]);
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ line: middle + 1, pointer: "/source", message: "no source e:nobody in the file or the database" }]);
    expect(totals(result)).toMatchObject({ created: 0, updated: 0, rejected: 1 });
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("rejects duplicate keys and broken rules of the model before writing", async () => {
    const before = await databaseSnapshot();
    const result = await load([
      HEADER,
      { type: "source", kind: "PERSON", name: "Ann" },
      { type: "source", kind: "PERSON", name: "Ann" },
      { type: "affiliation", person: { name: "Ann", kind: "PERSON" }, organization: { name: "Ann", kind: "PERSON" }, title: "Self" },
      { type: "article", slug: "a", title: "A" },
      { type: "claim", article: { slug: "a" }, position: 0, statement: "x" },
      { type: "claim", article: { slug: "a" }, position: 0, statement: "y" },
      { type: "claimRelation", from: { article: { slug: "a" }, position: 0 }, to: { article: { slug: "a" }, position: 0 }, kind: "SUPPORTS" },
    ]);
    expect(result.errors.map((e) => `${e.line} ${e.pointer} ${e.message}`)).toEqual([
      "3  duplicate source key (externalId, else name and kind): already at line 2",
      "4 /organization a person cannot be affiliated with itself",
      "7 /position duplicate claim key (article, position): already at line 6",
      "8 /to a claim cannot be related to itself",
    ]);
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("matches verdict recorders by email: an unknown email imports the verdict with no recorder and a warning", async () => {
    const records = fixtureRecords().map((r) => (r.type === "verdict" && r.recordedBy ? { ...r, recordedBy: "someone@elsewhere.example" } : r));
    const result = await load(records);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([{ line: records.findIndex((r) => r.recordedBy === "someone@elsewhere.example") + 1, pointer: "/recordedBy", message: "no user someone@elsewhere.example: 1 verdict(s) imported with no recorder (first at this line)" }]);
    const prisma = await testPrisma();
    expect((await prisma.verdict.findUniqueOrThrow({ where: { id: "00000000-0000-4000-8000-000000000702" } })).recordedById).toBeNull();
  });

  it("npm run import: the report on stdout, exit code 1 when anything is wrong, 0 otherwise", async () => {
    await testPrisma();
    const root = path.join(__dirname, "..");
    const env = { ...process.env, DATABASE_URL: workerDatabaseUrl() };
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    const badFile = writeNdjson([HEADER, { type: "source", kind: "PERSON" }]);
    const bad = await run(tsx, ["scripts/bulk-import.ts", badFile, "--dry-run"], { cwd: root, env }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("line 2: must have required property 'name'");
    expect(bad.stdout).toMatch(/dry run: 1 problem\(s\)/);
    const good = await run(tsx, ["scripts/bulk-import.ts", writeNdjson(fixtureRecords())], { cwd: root, env });
    expect(good.stdout).toMatch(/attribution\s+5\s+0\s+0\s+0/);
    expect(good.stdout).toMatch(/imported 24 records/);
  }, 120_000);
});
