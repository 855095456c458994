/**
 * The benchmark dataset: `tsx bench/generate.ts [--scale 1] [--seed 42] [--loader copy|unnest]`.
 *
 * Scale 1 = 2,000 articles, 20,000 claims, 5,000 sources, 60,000 attributions, 10,000 rebuttals
 * (~2 claims each) and 1+ verdicts per claim, deterministic from the seed. The database is dropped,
 * recreated, migrated with the project's migrations, loaded with COPY, then VACUUM ANALYZEd.
 *
 * Shape of the data (what the operations in operations.ts rely on):
 * - 90% of articles are PUBLISHED; the rest (DRAFT, IN_REVIEW, ARCHIVED) only use the "desk" sources
 *   (the last 10% of sources), so a source of the "published" slice has only published attributions.
 * - Claims are anchored in their article's body: quote = body.slice(anchor_start, anchor_end).
 * - claim.current_rating equals the rating of the claim's latest verdict (highest sequence).
 */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { poolConfigFromUrl, databaseName } from "../src/db/connection";
import { migrateDatabase } from "../src/db/migrate";
import { benchDatabaseUrl, numberFlag, parseFlags } from "./config";
import { Rng } from "./prng";
import { claimText, fillerSentence, headline, organisationName, paragraphText, personName, COUNTRIES } from "./text";

export interface GenerateOptions {
  databaseUrl: string;
  scale?: number;
  seed?: number;
  loader?: "copy" | "unnest";
  log?: (message: string) => void;
}

export interface GenerateResult {
  rows: Record<string, number>;
  totalRows: number;
  generateMs: number;
  loadMs: number;
  rowsPerSecond: number;
}

type Value = string | number | boolean | null;

/** A table's rows, column-major (what both loaders want). */
class Table {
  readonly columns: Value[][];
  length = 0;
  constructor(
    readonly name: string,
    readonly names: string[],
    /** PostgreSQL type of each column (for the unnest loader). */
    readonly types: string[],
  ) {
    this.columns = names.map(() => []);
  }
  add(...values: Value[]) {
    if (values.length !== this.names.length) throw new Error(`${this.name}: ${values.length} values for ${this.names.length} columns`);
    for (let i = 0; i < values.length; i++) this.columns[i]!.push(values[i]!);
    this.length++;
  }
}

const ANCHOR_CONTEXT = 32;
const DAY = 86_400_000;
const BASE_TIME = Date.UTC(2023, 0, 2, 6, 0, 0);
const RATINGS = ["SUPPORTED", "MOSTLY_SUPPORTED", "MISLEADING", "DISPUTED", "REFUTED", "UNPROVABLE"] as const;
const SOURCE_KINDS = ["PERSON", "ORGANIZATION", "GOVERNMENT", "COMPANY", "NEWS_OUTLET", "NEWS_AGENCY", "DOCUMENT", "DATASET", "UNNAMED_GROUP"] as const;
const STANCES = ["DENIES", "DISPUTES", "CORRECTS", "CONTEXTUALIZES", "CONCEDES"] as const;
const OUTLETS = ["DW", "Reuters", "AFP", "AP", "BBC", "Le Monde", "El País", "NRC", "Gazeta Wyborcza", "The Kyiv Independent"];

const iso = (ms: number) => new Date(ms).toISOString();

/** `n` counts in [min, max] adding up to exactly `total` (when possible), in random order. */
function distribute(rng: Rng, n: number, total: number, min: number, max: number): number[] {
  const counts = Array.from({ length: n }, () => rng.range(min, max));
  let sum = counts.reduce((a, b) => a + b, 0);
  const target = Math.max(n * min, Math.min(n * max, total));
  let guard = 0;
  while (sum !== target && guard++ < 100 * (n + Math.abs(sum - target))) {
    const i = rng.int(n);
    if (sum < target && counts[i]! < max) {
      counts[i]!++;
      sum++;
    } else if (sum > target && counts[i]! > min) {
      counts[i]!--;
      sum--;
    }
  }
  return counts;
}

export function datasetSize(scale: number) {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  return { articles: n(2000), claims: n(20_000), sources: Math.max(10, n(5000)), attributions: n(60_000), rebuttals: n(10_000) };
}

/** Builds every row in memory (pure: same seed and scale, same rows). */
export function buildDataset(scale: number, seed: number) {
  const size = datasetSize(scale);
  const root = new Rng(seed);
  const tables = {
    app_user: new Table("app_user", ["id", "email", "name", "role", "active", "created_at", "updated_at"], ["uuid", "text", "text", '"Role"', "bool", "timestamptz", "timestamptz"]),
    article: new Table(
      "article",
      ["id", "slug", "title", "summary", "body", "language", "outlet", "url", "published_at", "status", "created_by_id", "version", "created_at", "updated_at"],
      ["uuid", "text", "text", "text", "text", "text", "text", "text", "timestamptz", '"ArticleStatus"', "uuid", "int4", "timestamptz", "timestamptz"],
    ),
    source: new Table(
      "source",
      ["id", "kind", "name", "description", "url", "external_id", "version", "created_at", "updated_at"],
      ["uuid", '"SourceKind"', "text", "text", "text", "text", "int4", "timestamptz", "timestamptz"],
    ),
    claim: new Table(
      "claim",
      [
        "id", "article_id", "statement", "kind", "quote", "anchor_start", "anchor_end", "anchor_prefix", "anchor_suffix", "anchor_state",
        "quantity_value", "quantity_unit", "quantity_subject", "quantity_period", "current_rating", "position", "version", "created_at", "updated_at",
      ],
      [
        "uuid", "uuid", "text", '"ClaimKind"', "text", "int4", "int4", "text", "text", '"AnchorState"',
        "float8", "text", "text", "text", '"VerdictRating"', "int4", "int4", "timestamptz", "timestamptz",
      ],
    ),
    attribution: new Table(
      "attribution",
      ["id", "claim_id", "source_id", "role", "anonymity", "anonymity_reason", "quote", "via_id", "version", "created_at", "updated_at"],
      ["uuid", "uuid", "uuid", '"AttributionRole"', '"AnonymityLevel"', "text", "text", "uuid", "int4", "timestamptz", "timestamptz"],
    ),
    response: new Table(
      "response",
      ["id", "source_id", "text", "quote", "on_record", "made_at", "made_precision", "version", "created_at", "updated_at"],
      ["uuid", "uuid", "text", "text", "bool", "timestamptz", '"DatePrecision"', "int4", "timestamptz", "timestamptz"],
    ),
    response_answer: new Table("response_answer", ["id", "response_id", "claim_id", "stance", "position"], ["uuid", "uuid", "uuid", '"ResponseStance"', "int4"]),
    verdict: new Table(
      "verdict",
      ["id", "claim_id", "rating", "rationale", "sequence", "recorded_by_id", "created_at"],
      ["uuid", "uuid", '"VerdictRating"', "text", "int4", "uuid", "timestamptz"],
    ),
  };

  // Users: who wrote the articles and recorded the verdicts.
  const userRng = root.fork("users");
  const reporters: string[] = [];
  const checkers: string[] = [];
  const roles: Array<["ADMIN" | "EDITOR" | "FACT_CHECKER" | "REPORTER", number]> = [["ADMIN", 1], ["EDITOR", 2], ["FACT_CHECKER", 5], ["REPORTER", 8]];
  for (const [role, count] of roles) {
    for (let i = 1; i <= count; i++) {
      const id = userRng.uuid();
      tables.app_user.add(id, `${role.toLowerCase().replace("_", "-")}-${i}@bench.claimdesk.local`, `${personName(userRng)} (${role.toLowerCase()})`, role, true, iso(BASE_TIME), iso(BASE_TIME));
      if (role === "REPORTER") reporters.push(id);
      if (role === "FACT_CHECKER") checkers.push(id);
    }
  }

  // Sources: the first 90% appear in published articles (popularity skewed), the last 10% are the
  // newsroom's "desk" sources used by unpublished articles and by the benchmark's mutations.
  const sourceRng = root.fork("sources");
  const sourceIds: string[] = [];
  for (let i = 0; i < size.sources; i++) {
    const kind = SOURCE_KINDS[i % SOURCE_KINDS.length]!;
    const name =
      kind === "PERSON" ? personName(sourceRng)
      : kind === "UNNAMED_GROUP" ? `${sourceRng.pick(["Senior", "Western", "Two", "Several"])} ${sourceRng.pick(COUNTRIES)} ${sourceRng.pick(["officials", "diplomats", "analysts", "traders"])}`
      : kind === "DOCUMENT" || kind === "DATASET" ? `${sourceRng.pick(["Customs", "Shipping", "Procurement", "Budget"])} ${kind === "DATASET" ? "data" : "report"} of ${sourceRng.pick(COUNTRIES)}`
      : organisationName(sourceRng);
    const id = sourceRng.uuid();
    sourceIds.push(id);
    const created = BASE_TIME + i * 60_000;
    tables.source.add(
      id,
      kind,
      `${name} #${i + 1}`,
      sourceRng.chance(0.7) ? paragraphText(sourceRng, 60, 300) : null,
      sourceRng.chance(0.4) ? `https://example.org/sources/${i + 1}` : null,
      sourceRng.chance(0.3) ? `Q${100_000 + i}` : null,
      1,
      iso(created),
      iso(created),
    );
  }
  const deskFrom = Math.floor(size.sources * 0.9);
  const publishedSources = sourceIds.slice(0, deskFrom);
  const deskSources = sourceIds.slice(deskFrom);
  const pickSource = (rng: Rng, published: boolean) =>
    published ? publishedSources[Math.floor(publishedSources.length * rng.float() ** 1.5)]! : rng.pick(deskSources);

  // Articles with their claims (anchored in the body), verdicts, attributions and rebuttals.
  const articleRng = root.fork("articles");
  const claimCounts = distribute(articleRng, size.articles, size.claims, 3, 17);
  const attributionCounts = distribute(articleRng, size.claims, size.attributions, 1, 5);
  const rebuttalCounts = distribute(articleRng, size.articles, size.rebuttals, 0, 10);
  const span = 730 * DAY;
  let claimIndex = 0;
  let sequence = 0;
  for (let a = 0; a < size.articles; a++) {
    const rng = articleRng;
    const created = BASE_TIME + Math.floor((a * span) / size.articles) + rng.int(3_600_000);
    const roll = rng.float();
    // The last article is always a DRAFT: the mutations need one even in a tiny dataset.
    const status = a === size.articles - 1 ? "DRAFT" : roll < 0.9 ? "PUBLISHED" : roll < 0.95 ? "DRAFT" : roll < 0.98 ? "IN_REVIEW" : "ARCHIVED";
    const published = status === "PUBLISHED";
    const articleId = rng.uuid();
    const title = headline(rng);

    // Body: the claim sentences among filler, in paragraphs; remember where each quote lands.
    const k = claimCounts[a]!;
    const claims = Array.from({ length: k }, () => claimText(rng));
    const targetLength = rng.range(2000, 4000);
    const sentences: Array<{ text: string; claim?: number }> = claims.map((c, i) => ({ text: c.sentence, claim: i }));
    let length = claims.reduce((n, c) => n + c.sentence.length + 1, 0);
    while (length < targetLength) {
      const text = rng.chance(0.3) ? claimText(rng).sentence : fillerSentence(rng);
      sentences.splice(rng.int(sentences.length + 1), 0, { text });
      length += text.length + 1;
    }
    let body = "";
    const anchors: Array<{ start: number; end: number; order: number }> = [];
    let inParagraph = 0;
    for (const sentence of sentences) {
      if (body) body += inParagraph >= 4 && rng.chance(0.5) ? "\n\n" : " ";
      if (body.endsWith("\n\n")) inParagraph = 0;
      if (sentence.claim !== undefined) {
        const quote = claims[sentence.claim]!.quote;
        anchors[sentence.claim] = { start: body.length, end: body.length + quote.length, order: anchors.length };
      }
      body += sentence.text;
      inParagraph++;
    }
    // Reading order of the claims = order of their anchors in the body.
    const order = claims.map((_, i) => i).sort((x, y) => anchors[x]!.start - anchors[y]!.start);

    tables.article.add(
      articleId,
      `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 150)}-${a + 1}`,
      title,
      rng.chance(0.8) ? paragraphText(rng, 120, 400) : null,
      body,
      "en",
      rng.pick(OUTLETS),
      rng.chance(0.6) ? `https://news.example.com/${a + 1}` : null,
      published || status === "ARCHIVED" ? iso(created + rng.int(6) * 3_600_000) : null,
      status,
      rng.pick(reporters),
      1,
      iso(created),
      iso(created),
    );

    const claimIds: string[] = [];
    for (let position = 0; position < k; position++) {
      const c = claims[order[position]!]!;
      const anchor = anchors[order[position]!]!;
      const claimId = rng.uuid();
      claimIds.push(claimId);
      const claimCreated = created + (position + 1) * 1000;

      // Verdict history: UNVERIFIED at creation, then 0-2 checks; the claim carries the latest rating.
      tables.verdict.add(rng.uuid(), claimId, "UNVERIFIED", null, ++sequence, null, iso(claimCreated));
      let rating = "UNVERIFIED";
      const checks = rng.chance(0.6) ? (rng.chance(0.3) ? 2 : 1) : 0;
      for (let v = 1; v <= checks; v++) {
        rating = rng.pick(RATINGS);
        tables.verdict.add(rng.uuid(), claimId, rating, paragraphText(rng, 80, 400), ++sequence, rng.pick(checkers), iso(claimCreated + v * DAY));
      }

      const quantitative = c.kind === "QUANTITATIVE";
      tables.claim.add(
        claimId,
        articleId,
        c.statement,
        c.kind,
        c.quote,
        anchor.start,
        anchor.end,
        body.slice(Math.max(0, anchor.start - ANCHOR_CONTEXT), anchor.start),
        body.slice(anchor.end, anchor.end + ANCHOR_CONTEXT),
        "ANCHORED",
        quantitative ? rng.range(1, 99) : null,
        quantitative ? "percent" : null,
        quantitative ? "imports" : null,
        quantitative ? "2023" : null,
        rating,
        position,
        1,
        iso(claimCreated),
        iso(claimCreated),
      );

      // Attributions: a claimant, then conduits (sometimes carried through the claimant), evidence, context.
      const n = attributionCounts[claimIndex++]!;
      const used = new Set<string>();
      let claimantId: string | null = null;
      for (let j = 0; j < n; j++) {
        let sourceId = pickSource(rng, published);
        for (let tries = 0; used.has(sourceId) && tries < 50; tries++) sourceId = pickSource(rng, published);
        if (used.has(sourceId)) sourceId = (published ? publishedSources : deskSources).find((s) => !used.has(s)) ?? sourceId;
        used.add(sourceId);
        const id = rng.uuid();
        const role = j === 0 ? "CLAIMANT" : rng.pick(["CONDUIT", "CONDUIT", "EVIDENCE", "CONTEXT"] as const);
        const anonymity = rng.chance(0.8) ? "NAMED" : rng.chance(0.6) ? "PARTIAL" : "ANONYMOUS";
        tables.attribution.add(
          id,
          claimId,
          sourceId,
          role,
          anonymity,
          anonymity === "NAMED" ? null : "spoke on condition of anonymity because they were not authorised to brief the press",
          rng.chance(0.3) ? `"${c.quote.slice(0, 80)}"` : null,
          role === "CONDUIT" && claimantId && rng.chance(0.5) ? claimantId : null,
          1,
          iso(claimCreated + (j + 1) * 10),
          iso(claimCreated + (j + 1) * 10),
        );
        if (j === 0) claimantId = id;
      }
    }

    // Rebuttals: each answers 1-3 claims of this article.
    for (let r = 0; r < rebuttalCounts[a]!; r++) {
      const id = rng.uuid();
      const answered = Math.min(k, rng.chance(0.25) ? 1 : rng.chance(0.67) ? 2 : 3);
      const first = rng.int(k - answered + 1);
      const madeAt = created + rng.range(1, 72) * 3_600_000;
      const stance = rng.pick(STANCES);
      tables.response.add(
        id,
        pickSource(rng, published),
        paragraphText(rng, 100, 400),
        rng.chance(0.5) ? `"${fillerSentence(rng)}"` : null,
        rng.chance(0.8),
        iso(madeAt),
        "INSTANT",
        1,
        iso(madeAt + 60_000 + r),
        iso(madeAt + 60_000 + r),
      );
      for (let j = 0; j < answered; j++) tables.response_answer.add(rng.uuid(), id, claimIds[first + j]!, stance, j);
    }
  }
  return { tables, size, maxSequence: sequence };
}

// ---------------------------------------------------------------------------------------------
// Loading

function copyText(value: Value): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r"));
}

async function loadWithCopy(client: pg.Client, table: Table): Promise<void> {
  const stream = client.query(copyFrom(`COPY "${table.name}" (${table.names.map((n) => `"${n}"`).join(", ")}) FROM STDIN`));
  const chunks = (function* () {
    let chunk = "";
    for (let row = 0; row < table.length; row++) {
      for (let col = 0; col < table.columns.length; col++) {
        if (col) chunk += "\t";
        chunk += copyText(table.columns[col]![row]!);
      }
      chunk += "\n";
      if (chunk.length > 256 * 1024) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  })();
  await pipeline(chunks, stream as unknown as Writable);
}

async function loadWithUnnest(client: pg.Client, table: Table, batchSize = 5000): Promise<void> {
  const columns = table.names.map((n) => `"${n}"`).join(", ");
  const params = table.types.map((type, i) => `$${i + 1}::${type}[]`).join(", ");
  const sql = `INSERT INTO "${table.name}" (${columns}) SELECT * FROM unnest(${params})`;
  for (let from = 0; from < table.length; from += batchSize) {
    await client.query(sql, table.columns.map((column) => column.slice(from, from + batchSize)));
  }
}

async function recreateDatabase(databaseUrl: string): Promise<void> {
  const { schema: _schema, ...config } = poolConfigFromUrl(databaseUrl);
  const admin = new pg.Client({ ...config, database: "postgres" });
  await admin.connect();
  try {
    const name = databaseName(databaseUrl).replace(/"/g, '""');
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

export async function generateDataset(options: GenerateOptions): Promise<GenerateResult> {
  const scale = options.scale ?? 1;
  const seed = options.seed ?? 42;
  const loader = options.loader ?? "copy";
  const log = options.log ?? ((message: string) => console.log(`[generate] ${message}`));

  const started = performance.now();
  const { tables, size, maxSequence } = buildDataset(scale, seed);
  const generateMs = performance.now() - started;
  log(`built scale ${scale} (seed ${seed}) in ${(generateMs / 1000).toFixed(1)} s: ${JSON.stringify(size)}`);

  await recreateDatabase(options.databaseUrl);
  const migrateStarted = performance.now();
  await migrateDatabase(options.databaseUrl);
  log(`database ${databaseName(options.databaseUrl)} recreated and migrated in ${((performance.now() - migrateStarted) / 1000).toFixed(1)} s`);

  const { schema: _schema, ...config } = poolConfigFromUrl(options.databaseUrl);
  const client = new pg.Client(config);
  await client.connect();
  const rows: Record<string, number> = {};
  let totalRows = 0;
  const loadStarted = performance.now();
  try {
    await client.query("BEGIN");
    for (const table of Object.values(tables)) {
      const t0 = performance.now();
      if (loader === "copy") await loadWithCopy(client, table);
      else await loadWithUnnest(client, table);
      const ms = performance.now() - t0;
      rows[table.name] = table.length;
      totalRows += table.length;
      log(`${table.name}: ${table.length} rows in ${ms.toFixed(0)} ms (${Math.round(table.length / (ms / 1000)).toLocaleString("en")} rows/s, ${loader})`);
    }
    await client.query("SELECT setval(pg_get_serial_sequence('verdict', 'sequence'), $1)", [Math.max(1, maxSequence)]);
    await client.query("COMMIT");
    const loadMs = performance.now() - loadStarted;
    const analyzeStarted = performance.now();
    // VACUUM too, as autovacuum would soon do on a live database: it moves the rows just loaded
    // from the GIN indexes' pending lists into the indexes proper (until then every full-text
    // search reads the whole pending list) and sets the visibility map.
    await client.query("VACUUM ANALYZE");
    log(`VACUUM ANALYZE in ${(performance.now() - analyzeStarted).toFixed(0)} ms`);
    const rowsPerSecond = Math.round(totalRows / (loadMs / 1000));
    log(`loaded ${totalRows.toLocaleString("en")} rows in ${(loadMs / 1000).toFixed(2)} s: ${rowsPerSecond.toLocaleString("en")} rows/s (${loader})`);
    return { rows, totalRows, generateMs, loadMs, rowsPerSecond };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  const loader = (flags.get("loader") ?? "copy") as string;
  if (loader !== "copy" && loader !== "unnest") throw new Error("--loader must be copy or unnest");
  const database = flags.get("database");
  await generateDataset({
    databaseUrl: benchDatabaseUrl(typeof database === "string" ? database : undefined),
    scale: numberFlag(flags, "scale", "BENCH_SCALE", 1),
    seed: numberFlag(flags, "seed", "BENCH_SEED", 42),
    loader,
  });
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
