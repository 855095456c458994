/**
 * `npm run import -- <file> [--dry-run]`: loads an NDJSON file (docs/bulk.md) in ONE transaction.
 *
 * 1. Read: the file is streamed line by line; each line is parsed and checked against the JSON
 *    Schema, then staged (COPY) into TEMP tables. Nothing of the file is held in memory.
 * 2. Validate: in SQL, every reference is resolved (within the file or the database), every
 *    record is matched to its row by its key (created / updated / unchanged), duplicates and the
 *    database's CHECK rules are tested. Problems are reported as (line, JSON pointer, message).
 * 3. Write (only when nothing is wrong, and not with --dry-run): set-based INSERT / UPDATE, in
 *    dependency order, then COMMIT. Any problem -> ROLLBACK: the database is exactly as before.
 */
import { createReadStream, statSync } from "node:fs";
import pg from "pg";
import { poolConfigFromUrl } from "../db/connection";
import { FORMAT_VERSION, HEADER_TYPE, RECORD_TYPES, SQL_KEYS, loadValidators, type RecordType } from "./format";
import { StagingWriter, flatten, stagingDdl } from "./staging";

interface Issue {
  line: number;
  /** JSON pointer of the field, "" for the whole record. */
  pointer: string;
  message: string;
}

interface EntitySummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  records: number;
  summary: Record<RecordType, EntitySummary>;
  errors: Issue[];
  /** How many errors there were in all (errors holds the first MAX_ISSUES). */
  errorCount: number;
  warnings: Issue[];
  seconds: number;
}

export interface ImportOptions {
  databaseUrl: string;
  file: string;
  dryRun?: boolean;
  /** Progress: bytes read of total while reading, then the phase being run. */
  onRead?: (bytes: number, total: number, records: number) => void;
  onPhase?: (phase: string) => void;
}

const MAX_ISSUES = 1000;

const STAGE_TABLE: Record<RecordType, string> = {
  source: "s_source",
  affiliation: "s_affiliation",
  work: "s_work",
  article: "s_article",
  claim: "s_claim",
  attribution: "s_attribution",
  response: "s_response",
  verdict: "s_verdict",
  claimRelation: "s_relation",
};

class Issues {
  readonly list: Issue[] = [];
  count = 0;
  readonly lines = new Set<number>();
  add(issue: Issue) {
    this.count++;
    this.lines.add(issue.line);
    if (this.list.length < MAX_ISSUES) this.list.push(issue);
  }
}

function ajvMessage(error: { instancePath: string; message?: string; params?: Record<string, unknown> }): Issue["message"] {
  const params = error.params ?? {};
  if ("additionalProperty" in params) return `unknown field "${String(params.additionalProperty)}"`;
  if ("allowedValues" in params) return `${error.message ?? "invalid"}: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
  return error.message ?? "invalid";
}

export async function importNdjson(options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const validators = loadValidators();
  const errors = new Issues();
  const warnings = new Issues();
  const phase = options.onPhase ?? (() => {});
  const { schema: _schema, ...config } = poolConfigFromUrl(options.databaseUrl);
  const client = new pg.Client(config);
  await client.connect();
  // BULK_IMPORT_PROFILE=1: every statement's time, the slowest listed on stderr at the end (bench/import.ts).
  const profile = process.env.BULK_IMPORT_PROFILE ? new Map<string, number>() : undefined;
  const q = async (sql: string, params?: unknown[]) => {
    if (!profile) return client.query(sql, params);
    const t0 = performance.now();
    try {
      return await client.query(sql, params);
    } finally {
      const key = sql.replace(/\s+/g, " ").slice(0, 150);
      profile.set(key, (profile.get(key) ?? 0) + performance.now() - t0);
    }
  };
  /** Runs a query returning (line, pointer, message) rows and records them. */
  const check = async (sql: string, into: Issues = errors) => {
    const { rows } = (await q(sql)) as pg.QueryResult<Issue>;
    for (const row of rows) into.add({ line: Number(row.line), pointer: row.pointer, message: row.message });
  };

  let records = 0;
  const perType = new Map<string, number>();
  try {
    // The staging tables are TEMP: they live in this backend's local buffers, 8 MB by default, so
    // that every COPY and every staging UPDATE spilled to disk. Only settable before the session's
    // first temporary table; allocated as used (a PostgreSQL backend's memory, not this process's).
    await q("SET temp_buffers = '512MB'");
    await q("BEGIN");
    // Work memory for the set-based merges (hash joins of a few 100,000 staged rows): 64 MB spilled
    // them to disk (63.9 s for the bench import); 256 MB keeps them in memory (49.8 s). PostgreSQL's memory, per sort or hash.
    await q("SET LOCAL work_mem = '256MB'");
    // The commit does not wait for the WAL flush: still all or nothing (a crash right after the
    // commit can lose the whole import, never a part of it), and the server stays consistent.
    await q("SET LOCAL synchronous_commit = off");
    for (const ddl of stagingDdl()) await q(ddl);

    // ---- 1. Read, check each line, stage ------------------------------------------------------
    phase("reading");
    const total = statSync(options.file).size;
    const input = createReadStream(options.file, { encoding: "utf8", highWaterMark: 1 << 20 });
    const staging = new StagingWriter(client);
    let lineNo = 0;
    let sawHeader = false;
    let lastReport = 0;
    let rest = "";
    // Lines split by hand (readline costs more than the parsing on big files).
    async function* linesOf(): AsyncGenerator<string> {
      for await (const chunk of input as AsyncIterable<string>) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        yield* parts;
      }
      if (rest) yield rest;
    }
    for await (const raw of linesOf()) {
      lineNo++;
      const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (text.trim() === "") continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        errors.add({ line: lineNo, pointer: "", message: `not JSON: ${(error as Error).message}` });
        continue;
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        errors.add({ line: lineNo, pointer: "", message: "a record must be a JSON object" });
        continue;
      }
      const record = parsed as Record<string, unknown>;
      if (!sawHeader) {
        sawHeader = true;
        if (!validators.header(record)) {
          const error = validators.header.errors?.[0];
          errors.add({
            line: lineNo,
            pointer: error?.instancePath ?? "",
            message: `the first line must be the header {"type":"${HEADER_TYPE}","formatVersion":${FORMAT_VERSION}}: ${error ? ajvMessage(error) : "invalid"}`,
          });
        }
        continue;
      }
      const type = record.type as RecordType;
      const validate = typeof type === "string" && (RECORD_TYPES as readonly string[]).includes(type) ? validators.byType[type] : undefined;
      if (!validate) {
        errors.add({ line: lineNo, pointer: "/type", message: `unknown record type ${JSON.stringify(record.type)} (one of ${RECORD_TYPES.join(", ")})` });
        continue;
      }
      records++;
      perType.set(type, (perType.get(type) ?? 0) + 1);
      if (!validate(record)) {
        const seen = new Set<string>();
        for (const error of validate.errors ?? []) {
          const issue = { line: lineNo, pointer: error.instancePath, message: ajvMessage(error) };
          const key = `${issue.pointer}\u0000${issue.message}`;
          if (!seen.has(key)) errors.add(issue);
          seen.add(key);
        }
        continue;
      }
      for (const [table, values] of flatten(type, lineNo, record)) await staging.add(table, values);
      if (options.onRead && records - lastReport >= 5000) {
        lastReport = records;
        options.onRead(input.bytesRead, total, records);
      }
    }
    await staging.flushAll();
    options.onRead?.(total, total, records);
    if (!sawHeader) errors.add({ line: 1, pointer: "", message: "empty file: no header" });

    // ---- 2. Validate: keys, references, rules -------------------------------------------------
    phase("validating");
    for (const [table, columns] of Object.entries(INDEXES)) {
      for (const cols of columns) await q(`CREATE INDEX ON ${table} (${cols})`);
      await q(`ANALYZE ${table}`);
    }
    await resolve(q, check, warnings);

    const summary = Object.fromEntries(RECORD_TYPES.map((t) => [t, { created: 0, updated: 0, unchanged: 0, rejected: 0 }])) as Record<RecordType, EntitySummary>;
    for (const type of RECORD_TYPES) {
      const { rows } = await q(
        `SELECT coalesce(outcome, 'created') AS outcome, line FROM ${STAGE_TABLE[type]}`,
      ).then((r) => ({ rows: r.rows as Array<{ outcome: string; line: number }> }));
      for (const row of rows) {
        const s = summary[type];
        if (errors.lines.has(row.line)) s.rejected++;
        else if (row.outcome === "unchanged") s.unchanged++;
        else if (row.outcome === "updated") s.updated++;
        else s.created++;
      }
      // Records that never reached staging (JSON Schema errors).
      summary[type].rejected += (perType.get(type) ?? 0) - rows.length;
    }

    const ok = errors.count === 0;
    if (!ok || options.dryRun) {
      await q("ROLLBACK");
    } else {
      // ---- 3. Write ---------------------------------------------------------------------------
      phase("writing");
      try {
        await write(q, phase);
      } catch (error) {
        const e = error as Error & { detail?: string; table?: string; constraint?: string };
        errors.add({ line: 0, pointer: "", message: `write failed (${e.table ?? "?"}${e.constraint ? `, ${e.constraint}` : ""}): ${e.message}${e.detail ? ` ${e.detail}` : ""}; nothing was written` });
        await q("ROLLBACK");
        return finish(false);
      }
      await q("COMMIT");
    }
    return finish(ok);

    function finish(success: boolean): ImportResult {
      // A failed import wrote nothing (a dry run reports what it would have done).
      if (!success && !options.dryRun) for (const s of Object.values(summary)) Object.assign(s, { created: 0, updated: 0 });
      return {
        ok: success,
        dryRun: options.dryRun === true,
        records,
        summary,
        errors: errors.list.sort((a, b) => a.line - b.line),
        errorCount: errors.count,
        warnings: warnings.list,
        seconds: (performance.now() - started) / 1000,
      };
    }
  } catch (error) {
    await q("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
    if (profile) {
      const slowest = [...profile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
      for (const [sql, ms] of slowest) console.error(`[profile] ${(ms / 1000).toFixed(2).padStart(6)} s  ${sql}`);
    }
  }
}

/** Staging indexes made after loading (the resolution joins are hash joins and need none). */
const INDEXES: Record<string, string[]> = {
  s_source: [],
  s_affiliation: [],
  s_work: [],
  s_article: [],
  s_claim: [],
  s_attribution: [],
  s_response: [],
  s_answer: ["line"],
  s_conduit: ["line"],
  s_verdict: [],
  s_relation: [],
};

type Query = (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
type Check = (sql: string, into?: Issues) => Promise<void>;

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Errors for rows of `table` whose key repeats an earlier line's. */
const duplicates = (table: string, key: string, pointer: string, what: string, where = "TRUE") =>
  `SELECT line, ${lit(pointer)} AS pointer, ${lit(`duplicate ${what}: already at line `)} || first AS message
   FROM (SELECT line, min(line) OVER (PARTITION BY ${key}) AS first FROM ${table} WHERE ${where}) d WHERE line > first`;

type RefKind = "source" | "work" | "claim" | "affiliation";
interface Ref {
  kind: RefKind;
  /** Column prefix in the staging table. */
  p: string;
  /** JSON pointer reported for an unresolved reference. */
  pointer: string;
}
const ref = (kind: RefKind, p: string, pointer: string): Ref => ({ kind, p, pointer });
/** The claim and source parts of an attribution reference (its id: resolveAttributionIds). */
const attributionParts = (p: string, pointer: string): Ref[] => [ref("claim", `${p}_claim`, `${pointer}/claim`), ref("source", `${p}_source`, `${pointer}/source`)];

/**
 * Resolves references of `table` to ids in ONE statement (a staging table is rewritten once, not
 * once per reference), through the key maps m_*, then reports the unresolved ones.
 */
async function resolveRefs(q: Query, check: Check, table: string, refs: Ref[]) {
  const joins: string[] = [];
  const exprs: string[] = [];
  for (const [i, r] of refs.entries()) {
    const j = `j${i}`;
    if (r.kind === "source" || r.kind === "work") {
      joins.push(`LEFT JOIN m_${r.kind} ${j} ON ${j}.key = s.${r.p}_key`);
      exprs.push(`${j}.id AS ${r.p}_id`);
    } else if (r.kind === "claim") {
      joins.push(`LEFT JOIN m_article ${j}a ON ${j}a.key = s.${r.p}_article_key LEFT JOIN m_claim ${j} ON ${j}.article_id = ${j}a.id AND ${j}.position = s.${r.p}_position`);
      exprs.push(`${j}.id AS ${r.p}_id`);
    } else {
      joins.push(
        `LEFT JOIN m_source ${j}p ON ${j}p.key = s.${r.p}_person_key LEFT JOIN m_source ${j}o ON ${j}o.key = s.${r.p}_org_key
         LEFT JOIN m_affiliation ${j} ON ${j}.person_id = ${j}p.id AND ${j}.organization_id = ${j}o.id AND ${j}.title = s.${r.p}_title AND ${j}.started = coalesce(s.${r.p}_started, '-infinity')`,
      );
      exprs.push(`${j}p.id AS ${r.p}_person_id`, `${j}o.id AS ${r.p}_org_id`, `${j}.id AS ${r.p}_id`);
    }
  }
  const names = exprs.map((e) => e.split(" AS ")[1]!);
  await q(`UPDATE ${table} s SET ${names.map((n) => `${n} = r.${n}`).join(", ")}
           FROM (SELECT s.ctid AS row_ctid, ${exprs.join(", ")} FROM ${table} s ${joins.join(" ")}) r WHERE s.ctid = r.row_ctid`);
  for (const r of refs) {
    const pointer = lit(r.pointer);
    if (r.kind === "source") {
      await check(`SELECT line, ${pointer} AS pointer, 'no source ' || ${r.p}_key || ' in the file or the database' AS message FROM ${table} WHERE ${r.p}_key IS NOT NULL AND ${r.p}_id IS NULL`);
    } else if (r.kind === "work") {
      await check(`SELECT line, ${pointer} AS pointer, 'no work ' || replace(${r.p}_key, chr(31), ' | ') || ' in the file or the database' AS message FROM ${table} WHERE ${r.p}_key IS NOT NULL AND ${r.p}_id IS NULL`);
    } else if (r.kind === "claim") {
      await check(`SELECT line, ${pointer} AS pointer, 'no claim at position ' || ${r.p}_position || ' of article ' || ${r.p}_article_key || ' in the file or the database' AS message
                   FROM ${table} WHERE ${r.p}_article_key IS NOT NULL AND ${r.p}_id IS NULL`);
    } else {
      await check(`SELECT line, ${pointer} AS pointer, 'no affiliation ' || ${r.p}_title || ' of ' || ${r.p}_person_key || ' at ' || ${r.p}_org_key || ' in the file or the database' AS message
                   FROM ${table} WHERE ${r.p}_person_key IS NOT NULL AND ${r.p}_id IS NULL`);
    }
  }
}

/** Attribution references, once their claim and source are resolved: staged attributions first, then the database. */
async function resolveAttributionIds(q: Query, check: Check, table: string, p: string, pointer: string) {
  // Hash joins (a correlated lookup per row is slow at 100,000 rows); duplicate keys are errors already.
  await q(`UPDATE ${table} t SET ${p}_id = r.id
           FROM (SELECT t.ctid AS row_ctid, coalesce(x.target, a.id) AS id FROM ${table} t
                 LEFT JOIN s_attribution x ON x.claim_id = t.${p}_claim_id AND x.source_id = t.${p}_source_id AND x.role = t.${p}_role
                 LEFT JOIN attribution a ON a.claim_id = t.${p}_claim_id AND a.source_id = t.${p}_source_id AND a.role = t.${p}_role
                 WHERE t.${p}_claim_id IS NOT NULL AND t.${p}_source_id IS NOT NULL) r
           WHERE t.ctid = r.row_ctid`);
  await check(`SELECT line, ${lit(pointer)} AS pointer, 'no attribution (' || ${p}_role || ' ' || ${p}_source_key || ') of claim ' || ${p}_claim_position || ' of article ' || ${p}_claim_article_key || ' in the file or the database' AS message
               FROM ${table} WHERE ${p}_claim_id IS NOT NULL AND ${p}_source_id IS NOT NULL AND ${p}_id IS NULL`);
}

/** New rows get the file's id unless it is missing or already used by another row. */
async function assignIds(q: Query, table: string, real: string) {
  await q(`UPDATE ${table} s SET target = CASE WHEN s.id IS NULL OR EXISTS (SELECT 1 FROM ${real} r WHERE r.id = s.id) THEN gen_random_uuid() ELSE s.id END,
                                 outcome = 'created'
           WHERE s.target IS NULL`);
}

/** Marks existing targets unchanged or updated by comparing the merged columns. */
async function classify(q: Query, merge: Merge) {
  const dbCols = merge.columns.map(([c]) => `t.${c}`).join(", ");
  const staged = merge.columns.map(([, e]) => e).join(", ");
  await q(`UPDATE ${merge.staging} s SET outcome = CASE WHEN (${dbCols}) IS NOT DISTINCT FROM (${staged})${merge.extraSame ? ` AND ${merge.extraSame}` : ""} THEN 'unchanged' ELSE 'updated' END
           FROM ${merge.table} t WHERE t.id = s.target AND s.outcome IS NULL`);
}

interface Merge {
  table: string;
  staging: string;
  /** [database column, staged expression (alias s; t is the existing row)]. */
  columns: Array<[string, string]>;
  /** Rows with version / updated_at (else only created_at). */
  versioned: boolean;
  extraSame?: string;
  /** Columns set only on INSERT: [database column, staged expression]. */
  insertOnly?: Array<[string, string]>;
}

const cols = (...names: string[]): Array<[string, string]> => names.map((n) => [n, `s.${n}`]);

const MERGES: Record<string, Merge> = {
  source: {
    table: "source",
    staging: "s_source",
    versioned: true,
    columns: [...cols("kind", "name", "description", "url", "external_id"), ["identity_note", "CASE WHEN s.has_note THEN s.identity_note ELSE t.identity_note END"]],
  },
  affiliation: {
    table: "affiliation",
    staging: "s_affiliation",
    versioned: true,
    columns: [["person_id", "s.person_id"], ["organization_id", "s.org_id"], ...cols("title", "started_at", "started_precision", "ended_at", "ended_precision")],
  },
  work: {
    table: "work",
    staging: "s_work",
    versioned: true,
    columns: [["type", `coalesce(s.type, 'NEWS_REPORT')`], ...cols("title", "outlet", "outlet_source_id", "url", "language", "published_at", "published_precision", "external_id", "note")],
  },
  article: {
    table: "article",
    staging: "s_article",
    versioned: true,
    columns: [
      ...cols("slug", "external_id", "title", "summary"),
      ["body", "coalesce(s.body, '')"],
      ["language", "coalesce(s.language, 'en')"],
      ...cols("outlet", "outlet_source_id", "url"),
      ["type", `coalesce(s.type, 'NEWS_REPORT')`],
      ...cols("published_at", "published_precision", "record_published_at"),
      ["status", `coalesce(s.status, 'DRAFT')`],
    ],
  },
  claim: {
    table: "claim",
    staging: "s_claim",
    versioned: true,
    columns: [
      ...cols("article_id", "position", "statement"),
      ["kind", `coalesce(s.kind, 'FACTUAL')`],
      ...cols("quote", "anchor_start", "anchor_end", "anchor_prefix", "anchor_suffix", "anchor_state", "quantity_value", "quantity_unit", "quantity_subject", "quantity_period", "cluster_id", "origin_work_id"),
    ],
    // A new claim is inserted with the rating of its latest verdict in the file (write()): updating
    // 100,000 claims afterwards would recompute their search vectors and every index entry again.
    insertOnly: [["current_rating", `coalesce(s.current_rating, 'UNVERIFIED')`]],
  },
  attribution: {
    table: "attribution",
    staging: "s_attribution",
    versioned: true,
    columns: [
      ...cols("claim_id", "source_id", "role"),
      ["anonymity", `coalesce(s.anonymity, 'NAMED')`],
      ["anonymity_reason", "s.anonymity_reason"],
      ["anonymity_reason_not_stated", "coalesce(s.anonymity_reason_not_stated, false)"],
      ["caveat", "s.caveat"],
      ["status", `coalesce(s.astatus, 'ASSERTED')`],
      ["capacity_id", "s.capacity_id"],
      ["work_id", "s.work_id"],
      ["quote", "s.quote"],
      ["via_id", "s.via_id"],
    ],
  },
  response: {
    table: "response",
    staging: "s_response",
    versioned: true,
    columns: [
      ...cols("source_id", "text", "quote"),
      ["on_record", "coalesce(s.on_record, true)"],
      ...cols("made_at", "made_precision", "capacity_id"),
      ["anonymity", `coalesce(s.anonymity, 'NAMED')`],
      ["anonymity_reason", "s.anonymity_reason"],
      ["anonymity_reason_not_stated", "coalesce(s.anonymity_reason_not_stated, false)"],
      ...cols("caveat", "occasion", "place", "work_id"),
    ],
    extraSame: `s.answers_sig IS NOT DISTINCT FROM (SELECT json_agg(json_build_array(a.claim_id, a.attribution_id, a.stance, a.quote, a.position) ORDER BY a.position, a.claim_id, a.attribution_id)::text FROM response_answer a WHERE a.response_id = t.id)
      AND s.conduits_sig IS NOT DISTINCT FROM (SELECT json_agg(json_build_array(c.position, c.source_id, c.work_id) ORDER BY c.position)::text FROM response_conduit c WHERE c.response_id = t.id)`,
  },
  claimRelation: {
    table: "claim_relation",
    staging: "s_relation",
    versioned: false,
    columns: [["from_claim_id", "s.from_id"], ["to_claim_id", "s.to_id"], ...cols("kind", "note")],
  },
};

/** Step 2: resolve every key and reference, classify every record; report what is wrong. */
async function resolve(q: Query, check: Check, warnings: Issues) {
  // Sources: externalId, else (name, kind) among sources without one.
  await check(duplicates("s_source", "id", "/id", "id", "id IS NOT NULL"));
  await check(duplicates("s_source", "key", "", "source key (externalId, else name and kind)"));
  await q(`UPDATE s_source s SET target = t.id, outcome = NULL FROM source t WHERE s.external_id IS NOT NULL AND t.external_id = s.external_id`);
  await q(`UPDATE s_source s SET target = m.id FROM (SELECT DISTINCT ON (kind, name) id, kind, name FROM source WHERE external_id IS NULL ORDER BY kind, name, created_at, id) m
           WHERE s.target IS NULL AND s.external_id IS NULL AND m.kind = s.kind AND m.name = s.name`);
  await classify(q, MERGES.source!);
  await assignIds(q, "s_source", "source");
  await q(`CREATE TEMP TABLE m_source (key text PRIMARY KEY, id uuid NOT NULL) ON COMMIT DROP`);
  await q(`INSERT INTO m_source SELECT 'e:' || external_id, target FROM s_source WHERE external_id IS NOT NULL ORDER BY line ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_source SELECT 'n:' || kind || ':' || name, target FROM s_source ORDER BY external_id IS NOT NULL, line ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_source SELECT ${SQL_KEYS.sourceByExternalId("t")}, id FROM source t WHERE external_id IS NOT NULL ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_source SELECT ${SQL_KEYS.sourceByName("t")}, id FROM source t ORDER BY external_id IS NOT NULL, created_at, id ON CONFLICT DO NOTHING`);

  // Affiliations: (person, organization, title, startedAt).
  await check(duplicates("s_affiliation", "id", "/id", "id", "id IS NOT NULL"));
  await resolveRefs(q, check, "s_affiliation", [ref("source", "person", "/person"), ref("source", "org", "/organization")]);
  await check(`SELECT line, '/organization' AS pointer, 'a person cannot be affiliated with itself' AS message FROM s_affiliation WHERE person_id = org_id`);
  await check(duplicates("s_affiliation", "person_id, org_id, title, coalesce(started_at, '-infinity')", "", "affiliation key (person, organization, title, startedAt)", "person_id IS NOT NULL AND org_id IS NOT NULL"));
  await q(`UPDATE s_affiliation s SET target = t.id FROM affiliation t
           WHERE t.person_id = s.person_id AND t.organization_id = s.org_id AND t.title = s.title AND t.started_at IS NOT DISTINCT FROM s.started_at`);
  await classify(q, MERGES.affiliation!);
  await assignIds(q, "s_affiliation", "affiliation");
  await q(`CREATE TEMP TABLE m_affiliation (person_id uuid, organization_id uuid, title text, started timestamptz, id uuid NOT NULL,
             PRIMARY KEY (person_id, organization_id, title, started)) ON COMMIT DROP`);
  await q(`INSERT INTO m_affiliation SELECT person_id, org_id, title, coalesce(started_at, '-infinity'), target FROM s_affiliation WHERE person_id IS NOT NULL AND org_id IS NOT NULL ORDER BY line ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_affiliation SELECT person_id, organization_id, title, coalesce(started_at, '-infinity'), id FROM affiliation ORDER BY created_at, id ON CONFLICT DO NOTHING`);

  // Works: externalId, else (title, outlet, publishedAt).
  await check(duplicates("s_work", "id", "/id", "id", "id IS NOT NULL"));
  await check(duplicates("s_work", "CASE WHEN external_id IS NOT NULL THEN 'e:' || external_id ELSE tkey END", "", "work key (externalId, else title, outlet and publishedAt)"));
  await resolveRefs(q, check, "s_work", [ref("source", "outlet_source", "/outletSource")]);
  await q(`UPDATE s_work s SET target = t.id FROM work t WHERE s.external_id IS NOT NULL AND t.external_id = s.external_id`);
  await q(`UPDATE s_work s SET target = m.id FROM (SELECT DISTINCT ON (k) ${SQL_KEYS.workByTitle("t")} AS k, id FROM work t WHERE external_id IS NULL ORDER BY k, created_at, id) m
           WHERE s.target IS NULL AND s.external_id IS NULL AND m.k = s.tkey`);
  await classify(q, MERGES.work!);
  await assignIds(q, "s_work", "work");
  await q(`CREATE TEMP TABLE m_work (key text PRIMARY KEY, id uuid NOT NULL) ON COMMIT DROP`);
  await q(`INSERT INTO m_work SELECT 'e:' || external_id, target FROM s_work WHERE external_id IS NOT NULL ORDER BY line ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_work SELECT tkey, target FROM s_work ORDER BY external_id IS NOT NULL, line ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_work SELECT ${SQL_KEYS.workByExternalId("t")}, id FROM work t WHERE external_id IS NOT NULL ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_work SELECT ${SQL_KEYS.workByTitle("t")}, id FROM work t ORDER BY external_id IS NOT NULL, created_at, id ON CONFLICT DO NOTHING`);
  await check(`SELECT line, '/publishedAt' AS pointer, 'publishedPrecision needs publishedAt' AS message FROM s_work WHERE published_precision IS NOT NULL AND published_at IS NULL`);

  // Articles: externalId, else slug.
  await check(duplicates("s_article", "id", "/id", "id", "id IS NOT NULL"));
  await check(duplicates("s_article", "slug", "/slug", "slug"));
  await check(duplicates("s_article", "external_id", "/externalId", "externalId", "external_id IS NOT NULL"));
  await resolveRefs(q, check, "s_article", [ref("source", "outlet_source", "/outletSource")]);
  await q(`UPDATE s_article s SET target = t.id FROM article t WHERE s.external_id IS NOT NULL AND t.external_id = s.external_id`);
  await check(`SELECT s.line, '/slug' AS pointer, 'slug ' || s.slug || ' belongs to another article (' || coalesce('external id ' || t.external_id, 'no external id') || ')' AS message
               FROM s_article s JOIN article t ON t.slug = s.slug
               WHERE (s.target IS NOT NULL AND t.id <> s.target) OR (s.target IS NULL AND s.external_id IS NOT NULL AND t.external_id IS NOT NULL)`);
  await q(`UPDATE s_article s SET target = t.id FROM article t WHERE s.target IS NULL AND t.slug = s.slug AND (t.external_id IS NULL OR s.external_id IS NULL)`);
  await classify(q, MERGES.article!);
  await assignIds(q, "s_article", "article");
  await q(`CREATE TEMP TABLE m_article (key text PRIMARY KEY, id uuid NOT NULL) ON COMMIT DROP`);
  await q(`INSERT INTO m_article SELECT 'e:' || external_id, target FROM s_article WHERE external_id IS NOT NULL ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_article SELECT 's:' || slug, target FROM s_article ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_article SELECT ${SQL_KEYS.articleByExternalId("t")}, id FROM article t WHERE external_id IS NOT NULL ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_article SELECT ${SQL_KEYS.articleBySlug("t")}, id FROM article t ON CONFLICT DO NOTHING`);

  // Claims: (article, position).
  await check(duplicates("s_claim", "id", "/id", "id", "id IS NOT NULL"));
  await q(`UPDATE s_claim s SET article_id = r.article_id, origin_work_id = r.origin_work_id
           FROM (SELECT s.ctid AS row_ctid, ma.id AS article_id, mw.id AS origin_work_id FROM s_claim s
                 LEFT JOIN m_article ma ON ma.key = s.article_key LEFT JOIN m_work mw ON mw.key = s.origin_work_key) r
           WHERE s.ctid = r.row_ctid`);
  await check(`SELECT line, '/article' AS pointer, 'no article ' || article_key || ' in the file or the database' AS message FROM s_claim WHERE article_id IS NULL`);
  await check(`SELECT line, '/originWork' AS pointer, 'no work ' || replace(origin_work_key, chr(31), ' | ') || ' in the file or the database' AS message
               FROM s_claim WHERE origin_work_key IS NOT NULL AND origin_work_id IS NULL`);
  await check(duplicates("s_claim", "article_id, position", "/position", "claim key (article, position)", "article_id IS NOT NULL"));
  await q(`UPDATE s_claim s SET target = m.id FROM (SELECT DISTINCT ON (article_id, position) article_id, position, id FROM claim ORDER BY article_id, position, created_at, id) m
           WHERE m.article_id = s.article_id AND m.position = s.position`);
  await classify(q, MERGES.claim!);
  await assignIds(q, "s_claim", "claim");
  await q(`CREATE TEMP TABLE m_claim (article_id uuid, position int, id uuid NOT NULL, PRIMARY KEY (article_id, position)) ON COMMIT DROP`);
  await q(`INSERT INTO m_claim SELECT article_id, position, target FROM s_claim WHERE article_id IS NOT NULL ORDER BY line ON CONFLICT DO NOTHING`);
  await q(`INSERT INTO m_claim SELECT article_id, position, id FROM claim ORDER BY created_at, id ON CONFLICT DO NOTHING`);
  await q(`ANALYZE m_claim`);

  // Attributions: (claim, source, role).
  await check(duplicates("s_attribution", "id", "/id", "id", "id IS NOT NULL"));
  await resolveRefs(q, check, "s_attribution", [
    ref("claim", "claim", "/claim"),
    ref("source", "source", "/source"),
    ref("affiliation", "capacity", "/capacity"),
    ref("work", "work", "/work"),
    ...attributionParts("via", "/via"),
  ]);
  await check(duplicates("s_attribution", "claim_id, source_id, role", "", "attribution key (claim, source, role)", "claim_id IS NOT NULL AND source_id IS NOT NULL"));
  await q(`CREATE INDEX ON s_attribution (claim_id, source_id, role)`);
  await q(`UPDATE s_attribution s SET target = t.id FROM attribution t WHERE t.claim_id = s.claim_id AND t.source_id = s.source_id AND t.role = s.role`);
  await assignIds(q, "s_attribution", "attribution");
  await q(`ANALYZE s_attribution`);
  await resolveAttributionIds(q, check, "s_attribution", "via", "/via");
  await classify(q, MERGES.attribution!);

  // Responses (key: id) with their answers and conduits.
  await check(`SELECT line, '/id' AS pointer, 'duplicate response id: already at line ' || first AS message
               FROM (SELECT line, min(line) OVER (PARTITION BY id) AS first FROM s_response) d WHERE line > first`);
  await resolveRefs(q, check, "s_response", [ref("source", "source", "/source"), ref("affiliation", "capacity", "/capacity"), ref("work", "work", "/work")]);
  await resolveRefs(q, check, "s_answer", [ref("claim", "claim", "/answers"), ...attributionParts("attr", "/answers")]);
  await resolveAttributionIds(q, check, "s_answer", "attr", "/answers");
  await resolveRefs(q, check, "s_conduit", [ref("source", "source", "/conduits"), ref("work", "work", "/conduits")]);
  await check(`SELECT line, '/answers/' || idx AS pointer, 'this claim is already answered by the response (answers/' || first || ')' AS message
               FROM (SELECT line, idx, min(idx) OVER (PARTITION BY line, claim_id) AS first FROM s_answer WHERE claim_id IS NOT NULL) d WHERE idx > first`);
  await check(`SELECT line, '/answers/' || idx AS pointer, 'this attribution is already answered by the response (answers/' || first || ')' AS message
               FROM (SELECT line, idx, min(idx) OVER (PARTITION BY line, attr_id) AS first FROM s_answer WHERE attr_id IS NOT NULL) d WHERE idx > first`);
  await check(`SELECT line, '/conduits/' || idx || '/position' AS pointer, 'duplicate conduit position (conduits/' || first || ')' AS message
               FROM (SELECT line, idx, min(idx) OVER (PARTITION BY line, position) AS first FROM s_conduit) d WHERE idx > first`);
  await q(`ALTER TABLE s_response ADD COLUMN answers_sig text, ADD COLUMN conduits_sig text`);
  await q(`UPDATE s_response s SET
             answers_sig = (SELECT json_agg(json_build_array(a.claim_id, a.attr_id, a.stance, a.quote, a.position) ORDER BY a.position, a.claim_id, a.attr_id)::text FROM s_answer a WHERE a.line = s.line),
             conduits_sig = (SELECT json_agg(json_build_array(c.position, c.source_id, c.work_id) ORDER BY c.position)::text FROM s_conduit c WHERE c.line = s.line)`);
  await q(`UPDATE s_response s SET target = s.id FROM response t WHERE t.id = s.id`);
  await classify(q, MERGES.response!);
  await q(`UPDATE s_response SET target = id, outcome = 'created' WHERE target IS NULL`);

  // Verdicts (key: id; append-only).
  await check(duplicates("s_verdict", "id", "/id", "verdict id"));
  await resolveRefs(q, check, "s_verdict", [ref("claim", "claim", "/claim")]);
  await q(`UPDATE s_verdict s SET recorded_by_id = u.id FROM app_user u WHERE u.email = lower(s.recorded_by)`);
  await check(`SELECT min(line) AS line, '/recordedBy' AS pointer,
                 'no user ' || recorded_by || ': ' || count(*) || ' verdict(s) imported with no recorder (first at this line)' AS message
               FROM s_verdict WHERE recorded_by IS NOT NULL AND recorded_by_id IS NULL GROUP BY recorded_by ORDER BY 1`, warnings);
  await q(`UPDATE s_verdict s SET target = t.id, outcome = CASE WHEN (t.claim_id, t.rating, t.rationale, t.review_url, t.recorded_by_id) IS NOT DISTINCT FROM (s.claim_id, s.rating, s.rationale, s.review_url, s.recorded_by_id)
             AND (s.created_at IS NULL OR s.created_at = t.created_at) THEN 'unchanged' ELSE 'conflict' END
           FROM verdict t WHERE t.id = s.id`);
  await check(`SELECT line, '' AS pointer, 'verdict ' || id || ' already exists with other content: the verdict history is append-only' AS message FROM s_verdict WHERE outcome = 'conflict'`);
  await q(`UPDATE s_verdict SET target = id, outcome = 'created' WHERE target IS NULL`);

  // Claim relations: (from, to, kind).
  await check(duplicates("s_relation", "id", "/id", "id", "id IS NOT NULL"));
  await resolveRefs(q, check, "s_relation", [ref("claim", "from", "/from"), ref("claim", "to", "/to")]);
  await check(`SELECT line, '/to' AS pointer, 'a claim cannot be related to itself' AS message FROM s_relation WHERE from_id = to_id`);
  await check(duplicates("s_relation", "from_id, to_id, kind", "", "claim relation key (from, to, kind)", "from_id IS NOT NULL AND to_id IS NOT NULL"));
  await q(`UPDATE s_relation s SET target = t.id FROM claim_relation t WHERE t.from_claim_id = s.from_id AND t.to_claim_id = s.to_id AND t.kind = s.kind`);
  await classify(q, MERGES.claimRelation!);
  await assignIds(q, "s_relation", "claim_relation");
}

async function insertAndUpdate(q: Query, merge: Merge) {
  const inserted = [...merge.columns, ...(merge.insertOnly ?? [])];
  const names = inserted.map(([c]) => c);
  const exprs = inserted.map(([, e]) => e.replace(/\bt\.identity_note\b/g, "NULL"));
  const metaCols = merge.versioned ? ", version, created_at, updated_at" : ", created_at";
  const metaVals = merge.versioned
    ? ", coalesce(s.version, 1), coalesce(s.created_at, now()), coalesce(s.updated_at, s.created_at, now())"
    : ", coalesce(s.created_at, now())";
  await q(`INSERT INTO ${merge.table} (id, ${names.join(", ")}${metaCols})
           SELECT s.target, ${exprs.join(", ")}${metaVals} FROM ${merge.staging} s WHERE s.outcome = 'created' ORDER BY s.line`);
  const sets = merge.columns.map(([c, e]) => `${c} = ${e}`).join(", ");
  await q(`UPDATE ${merge.table} t SET ${sets}${merge.versioned ? ", version = t.version + 1, updated_at = now()" : ""}
           FROM ${merge.staging} s WHERE t.id = s.target AND s.outcome = 'updated'`);
}

/** Step 3: the writes, in dependency order. */
async function write(q: Query, phase: (phase: string) => void) {
  // Fresh statistics: the staging tables were analysed before their ids were resolved.
  for (const table of Object.keys(INDEXES)) await q(`ANALYZE ${table}`);
  phase("writing sources, affiliations, works");
  await insertAndUpdate(q, MERGES.source!);
  await insertAndUpdate(q, MERGES.affiliation!);
  await insertAndUpdate(q, MERGES.work!);
  phase("writing articles");
  await insertAndUpdate(q, MERGES.article!);
  phase("writing claims");
  await q(`INSERT INTO claim_cluster (id) SELECT DISTINCT cluster_id FROM s_claim WHERE cluster_id IS NOT NULL ON CONFLICT DO NOTHING`);
  // A new claim's verdicts are all new: its rating is that of its last verdict in the file (file order = sequence order).
  await q(`ALTER TABLE s_claim ADD COLUMN current_rating "VerdictRating"`);
  await q(`UPDATE s_claim c SET current_rating = v.rating
           FROM (SELECT DISTINCT ON (claim_id) claim_id, rating FROM s_verdict WHERE outcome = 'created' AND claim_id IS NOT NULL ORDER BY claim_id, line DESC) v
           WHERE c.outcome = 'created' AND c.target = v.claim_id`);
  await insertAndUpdate(q, MERGES.claim!);
  phase("writing attributions");
  await insertAndUpdate(q, MERGES.attribution!);
  phase("writing responses");
  await insertAndUpdate(q, MERGES.response!);
  await q(`DELETE FROM response_answer WHERE response_id IN (SELECT target FROM s_response WHERE outcome = 'updated')`);
  await q(`DELETE FROM response_conduit WHERE response_id IN (SELECT target FROM s_response WHERE outcome = 'updated')`);
  await q(`INSERT INTO response_answer (id, response_id, claim_id, attribution_id, stance, quote, position)
           SELECT gen_random_uuid(), r.target, a.claim_id, a.attr_id, a.stance, a.quote, a.position
           FROM s_answer a JOIN s_response r ON r.line = a.line WHERE r.outcome IN ('created', 'updated') ORDER BY a.line, a.idx`);
  await q(`INSERT INTO response_conduit (id, response_id, position, source_id, work_id)
           SELECT gen_random_uuid(), r.target, c.position, c.source_id, c.work_id
           FROM s_conduit c JOIN s_response r ON r.line = c.line WHERE r.outcome IN ('created', 'updated') ORDER BY c.line, c.idx`);
  phase("writing verdicts");
  // Every claim has a verdict history starting with UNVERIFIED (as createClaim does): a new claim
  // that has no verdict in the file gets that automatic one (no recorder, at the claim's creation).
  await q(`INSERT INTO verdict (id, claim_id, rating, recorded_by_id, created_at)
           SELECT gen_random_uuid(), c.target, 'UNVERIFIED', NULL, coalesce(c.created_at, now())
           FROM (SELECT * FROM s_claim c WHERE c.outcome = 'created' AND c.target NOT IN (SELECT v.claim_id FROM s_verdict v WHERE v.claim_id IS NOT NULL) ORDER BY c.line) c`);
  await q(`INSERT INTO verdict (id, claim_id, rating, rationale, review_url, recorded_by_id, created_at)
           SELECT s.target, s.claim_id, s.rating, s.rationale, s.review_url, s.recorded_by_id, coalesce(s.created_at, now())
           FROM (SELECT * FROM s_verdict WHERE outcome = 'created' ORDER BY line) s`);
  // The claim's denormalised rating follows its latest verdict.
  await q(`UPDATE claim c SET current_rating = v.rating
           FROM (SELECT DISTINCT ON (claim_id) claim_id, rating FROM verdict WHERE claim_id IN (SELECT claim_id FROM s_verdict WHERE outcome = 'created')
                 ORDER BY claim_id, sequence DESC) v
           WHERE c.id = v.claim_id AND c.current_rating IS DISTINCT FROM v.rating`);
  phase("writing claim relations");
  await insertAndUpdate(q, MERGES.claimRelation!);
}
