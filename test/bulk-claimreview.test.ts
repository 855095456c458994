/**
 * `npm run export -- --format claimreview`: one schema.org ClaimReview object per line, for the
 * PUBLISHED articles matching the filters; every line valid against test/support/claimreview.schema.json;
 * an unpublished article's claims never appear.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { exportCli } from "../src/bulk/cli";
import { exportClaimReviews, type ClaimReviewExportOptions } from "../src/bulk/claimreview-export";
import { importNdjson } from "../src/bulk/import";
import { fixtureRecords, writeNdjson } from "./bulk-fixture";
import { testConfig } from "./support/config";
import { workerDatabaseUrl } from "./support/databases";
import { testPrisma } from "./support/environment";

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validateReview = ajv.compile(JSON.parse(readFileSync(path.join(__dirname, "support", "claimreview.schema.json"), "utf8")) as object);

const DRAFT_CLAIM = "The tap water meets every standard.";
const PUBLISHED_CLAIM = "Harbor City's tap water meets every federal standard.";

/** The fixture, plus a reviewed claim in the DRAFT fact-check article (it must never be exported). */
async function load() {
  await testPrisma();
  const records = [
    ...fixtureRecords(),
    {
      type: "verdict", id: "00000000-0000-4000-8000-000000000799", claim: { article: { slug: "fact-check-is-harbor-city-water-safe" }, position: 0 },
      rating: "REFUTED", rationale: "Not yet published.", reviewUrl: "https://checks.example/draft", recordedBy: null, createdAt: "2025-05-09T10:00:00.000Z",
    },
  ];
  const result = await importNdjson({ databaseUrl: workerDatabaseUrl(), file: writeNdjson(records) });
  expect(result.errors).toEqual([]);
}

async function reviews(options: Partial<ClaimReviewExportOptions> = {}): Promise<{ lines: Array<Record<string, unknown>>; articles: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const result = await exportClaimReviews({ databaseUrl: workerDatabaseUrl(), out, settings: testConfig().claimReview, ...options });
  out.end();
  const text = Buffer.concat(chunks).toString("utf8");
  const lines = text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toHaveLength(result.reviews);
  return { lines, articles: result.articles };
}

async function withEnv<T>(env: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function quietly<T>(run: () => Promise<T>): Promise<{ value: T; errors: string }> {
  const errors: string[] = [];
  const spy = jest.spyOn(console, "error").mockImplementation((message: string) => void errors.push(String(message)));
  try {
    return { value: await run(), errors: errors.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

describe("export --format claimreview", () => {
  it("writes one valid ClaimReview per line, for published articles only", async () => {
    await load();
    const { lines, articles } = await reviews({ pageSize: 1 });
    expect(articles).toBe(1); // the DRAFT fact-check article is not counted
    expect(lines).toHaveLength(1);
    for (const line of lines) {
      if (!validateReview(line)) throw new Error(JSON.stringify(validateReview.errors));
    }
    expect(lines[0]).toMatchObject({
      "@type": "ClaimReview",
      url: "https://checks.example/harbor-water",
      claimReviewed: PUBLISHED_CLAIM,
      author: { "@type": "Organization", name: "claimdesk (development)" },
      reviewRating: { alternateName: expect.any(String) },
    });
    expect(JSON.stringify(lines)).not.toContain(DRAFT_CLAIM);
    expect(JSON.stringify(lines)).not.toContain("checks.example/draft");
  });

  it("applies the export's filters (outlet, dates, status) on top of PUBLISHED", async () => {
    await load();
    expect((await reviews({ outlet: "HARBOR GAZETTE" })).lines.map((l) => l.claimReviewed)).toEqual([PUBLISHED_CLAIM]);
    expect((await reviews({ outlet: "Coast Checks" })).lines).toEqual([]);
    expect((await reviews({ since: "2026-01-01" })).lines).toEqual([]);
    expect((await reviews({ status: "DRAFT" })).articles).toBe(0);
    // A configured publisher appears as the author of every review.
    const { lines } = await reviews({ settings: testConfig({ CLAIMREVIEW_PUBLISHER_NAME: "Harbor Fact Desk", CLAIMREVIEW_PUBLISHER_URL: "https://facts.example.org/" }).claimReview });
    expect(lines[0]!.author).toEqual({ "@type": "Organization", name: "Harbor Fact Desk", url: "https://facts.example.org/" });
  });

  it("the command writes the file with the server's settings (CLAIMREVIEW_* variables)", async () => {
    await load();
    const file = path.join(os.tmpdir(), `bulk-claimreview-${process.pid}.ndjson`);
    const { value, errors } = await quietly(() =>
      withEnv({ DATABASE_URL: workerDatabaseUrl(), NODE_ENV: "test", CLAIMREVIEW_PUBLISHER_NAME: "Harbor Fact Desk", CLAIMREVIEW_PUBLISHER_URL: undefined }, () =>
        exportCli(["--format", "claimreview", "--status", "PUBLISHED", "--out", file]),
      ),
    );
    expect(value).toBe(0);
    expect(errors).toMatch(/1 ClaimReview objects of 1 published articles/);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { author: unknown; claimReviewed: string });
    expect(lines.map((l) => l.claimReviewed)).toEqual([PUBLISHED_CLAIM]);
    expect(lines[0]!.author).toEqual({ "@type": "Organization", name: "Harbor Fact Desk" });
  });

  it("refuses what does not apply: identity notes, ClaimReview off in production, a bad configuration (exit 2)", async () => {
    const identity = await quietly(() => exportCli(["--format", "claimreview", "--include-identity-notes"]));
    expect(identity.value).toBe(2);
    expect(identity.errors).toMatch(/does not apply to --format claimreview/);
    const off = await quietly(() => withEnv({ NODE_ENV: "production", CLAIMREVIEW_PUBLISHER_NAME: undefined }, () => exportCli(["--format", "claimreview"])));
    expect(off.value).toBe(2);
    expect(off.errors).toMatch(/ClaimReview is off|Invalid configuration/);
    const bad = await quietly(() => withEnv({ NODE_ENV: "test", CLAIMREVIEW_PUBLISHER_NAME: undefined, CLAIMREVIEW_PUBLISHER_URL: "https://x.example/" }, () => exportCli(["--format", "claimreview"])));
    expect(bad.value).toBe(2);
    expect(bad.errors).toMatch(/CLAIMREVIEW_PUBLISHER_URL needs CLAIMREVIEW_PUBLISHER_NAME/);
    const format = await quietly(() => exportCli(["--format", "csv"]));
    expect(format.value).toBe(2);
  });
});
