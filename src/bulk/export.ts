/**
 * `npm run export`: the database as NDJSON (docs/bulk.md), one record per line, streamed through
 * server-side cursors in one REPEATABLE READ snapshot, written with backpressure (flat memory).
 *
 * PostgreSQL builds each record (json_build_object, fields in the documented order); node only
 * compacts it (JSON.stringify). References to other records are their external keys (format.ts).
 */
import type { Writable } from "node:stream";
import pg from "pg";
import { poolConfigFromUrl } from "../db/connection";
import { FORMAT_VERSION, HEADER_TYPE } from "./format";

export interface ExportOptions {
  databaseUrl: string;
  out: Writable;
  status?: string;
  outlet?: string;
  /** Articles published at or after this date (ISO). */
  since?: string;
  /** Articles published before this date (ISO). */
  until?: string;
  includeIdentityNotes?: boolean;
  /** Called every `batch` records with the number written so far. */
  onProgress?: (written: number, entity: string) => void;
}

export interface ExportResult {
  records: Record<string, number>;
}

const ts = (expr: string) => `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A SourceRef of the source row aliased `s` (null when the join found nothing). */
const sourceRef = (s: string) =>
  `CASE WHEN ${s}.id IS NULL THEN NULL WHEN ${s}.external_id IS NOT NULL THEN json_build_object('externalId', ${s}.external_id) ELSE json_build_object('name', ${s}.name, 'kind', ${s}.kind) END`;
const articleRef = (a: string) =>
  `CASE WHEN ${a}.external_id IS NOT NULL THEN json_build_object('externalId', ${a}.external_id) ELSE json_build_object('slug', ${a}.slug) END`;
const claimRef = (c: string, a: string) => `CASE WHEN ${c}.id IS NULL THEN NULL ELSE json_build_object('article', ${articleRef(a)}, 'position', ${c}.position) END`;
const workRef = (w: string) =>
  `CASE WHEN ${w}.id IS NULL THEN NULL WHEN ${w}.external_id IS NOT NULL THEN json_build_object('externalId', ${w}.external_id) ELSE json_build_object('title', ${w}.title, 'outlet', ${w}.outlet, 'publishedAt', ${ts(`${w}.published_at`)}) END`;
const affiliationRef = (f: string, p: string, o: string) =>
  `CASE WHEN ${f}.id IS NULL THEN NULL ELSE json_build_object('person', ${sourceRef(p)}, 'organization', ${sourceRef(o)}, 'title', ${f}.title, 'startedAt', ${ts(`${f}.started_at`)}) END`;
/** Joins for an affiliation ref of column `col`: aliases f, fp, fo prefixed with `p`. */
const affiliationJoins = (col: string, p: string) =>
  `LEFT JOIN affiliation ${p}f ON ${p}f.id = ${col} LEFT JOIN source ${p}fp ON ${p}fp.id = ${p}f.person_id LEFT JOIN source ${p}fo ON ${p}fo.id = ${p}f.organization_id`;
const meta = (t: string) => `'version', ${t}.version, 'createdAt', ${ts(`${t}.created_at`)}, 'updatedAt', ${ts(`${t}.updated_at`)}`;

interface Section {
  entity: string;
  sql: string;
  params: unknown[];
}

/** The article filters (--status, --outlet, --since, --until) as SQL conditions on alias `a`, with their parameters ($1...). */
export function articleFilter(options: Pick<ExportOptions, "status" | "outlet" | "since" | "until">): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.status) {
    params.push(options.status);
    where.push(`a.status = $${params.length}::"ArticleStatus"`);
  }
  if (options.outlet) {
    params.push(options.outlet);
    where.push(`lower(a.outlet) = lower($${params.length})`);
  }
  if (options.since) {
    params.push(options.since);
    where.push(`a.published_at >= $${params.length}::timestamptz`);
  }
  if (options.until) {
    params.push(options.until);
    where.push(`a.published_at < $${params.length}::timestamptz`);
  }
  return { where, params };
}

function sections(options: ExportOptions): Section[] {
  const { where, params } = articleFilter(options);
  const filtered = where.length > 0;
  const articleWhere = filtered ? `WHERE ${where.join(" AND ")}` : "";
  const inArticles = (col: string) => (filtered ? `${col} IN (SELECT a.id FROM article a ${articleWhere})` : "TRUE");
  const identity = options.includeIdentityNotes ? `, 'identityNote', s.identity_note` : "";

  return [
    {
      entity: "source",
      params: [],
      sql: `SELECT json_build_object('type', 'source', 'id', s.id, 'kind', s.kind, 'name', s.name, 'description', s.description, 'url', s.url,
              'externalId', s.external_id${identity}, ${meta("s")}) AS r
            FROM source s ORDER BY s.id`,
    },
    {
      entity: "affiliation",
      params: [],
      sql: `SELECT json_build_object('type', 'affiliation', 'id', f.id, 'person', ${sourceRef("p")}, 'organization', ${sourceRef("o")}, 'title', f.title,
              'startedAt', ${ts("f.started_at")}, 'startedPrecision', f.started_precision, 'endedAt', ${ts("f.ended_at")}, 'endedPrecision', f.ended_precision, ${meta("f")}) AS r
            FROM affiliation f JOIN source p ON p.id = f.person_id JOIN source o ON o.id = f.organization_id ORDER BY f.id`,
    },
    {
      entity: "work",
      params: [],
      sql: `SELECT json_build_object('type', 'work', 'id', w.id, 'workType', w.type, 'title', w.title, 'outlet', w.outlet, 'outletSource', ${sourceRef("os")},
              'url', w.url, 'language', w.language, 'publishedAt', ${ts("w.published_at")}, 'publishedPrecision', w.published_precision,
              'externalId', w.external_id, 'note', w.note, ${meta("w")}) AS r
            FROM work w LEFT JOIN source os ON os.id = w.outlet_source_id ORDER BY w.id`,
    },
    {
      entity: "article",
      params,
      sql: `SELECT json_build_object('type', 'article', 'id', a.id, 'slug', a.slug, 'externalId', a.external_id, 'title', a.title, 'summary', a.summary,
              'body', a.body, 'language', a.language, 'outlet', a.outlet, 'outletSource', ${sourceRef("os")}, 'url', a.url, 'workType', a.type,
              'publishedAt', ${ts("a.published_at")}, 'publishedPrecision', a.published_precision, 'recordPublishedAt', ${ts("a.record_published_at")},
              'status', a.status, ${meta("a")}) AS r
            FROM article a LEFT JOIN source os ON os.id = a.outlet_source_id ${articleWhere} ORDER BY a.id`,
    },
    {
      entity: "claim",
      params,
      sql: `SELECT json_build_object('type', 'claim', 'id', c.id, 'article', ${articleRef("ca")}, 'position', c.position, 'statement', c.statement, 'kind', c.kind,
              'quote', c.quote, 'anchorStart', c.anchor_start, 'anchorEnd', c.anchor_end, 'anchorPrefix', c.anchor_prefix, 'anchorSuffix', c.anchor_suffix,
              'anchorState', c.anchor_state, 'quantityValue', c.quantity_value, 'quantityUnit', c.quantity_unit, 'quantitySubject', c.quantity_subject,
              'quantityPeriod', c.quantity_period, 'cluster', c.cluster_id, 'originWork', ${workRef("w")}, ${meta("c")}) AS r
            FROM claim c JOIN article ca ON ca.id = c.article_id LEFT JOIN work w ON w.id = c.origin_work_id
            WHERE ${inArticles("c.article_id")} ORDER BY c.article_id, c.position, c.id`,
    },
    {
      entity: "attribution",
      params,
      sql: `SELECT json_build_object('type', 'attribution', 'id', t.id, 'claim', ${claimRef("c", "ca")}, 'source', ${sourceRef("s")}, 'role', t.role,
              'anonymity', t.anonymity, 'anonymityReason', t.anonymity_reason, 'anonymityReasonNotStated', t.anonymity_reason_not_stated,
              'caveat', t.caveat, 'status', t.status, 'capacity', ${affiliationRef("xf", "xfp", "xfo")}, 'work', ${workRef("w")}, 'quote', t.quote,
              'via', CASE WHEN v.id IS NULL THEN NULL ELSE json_build_object('claim', ${claimRef("vc", "va")}, 'source', ${sourceRef("vs")}, 'role', v.role) END,
              ${meta("t")}) AS r
            FROM attribution t JOIN claim c ON c.id = t.claim_id JOIN article ca ON ca.id = c.article_id JOIN source s ON s.id = t.source_id
            ${affiliationJoins("t.capacity_id", "x")} LEFT JOIN work w ON w.id = t.work_id
            LEFT JOIN attribution v ON v.id = t.via_id LEFT JOIN claim vc ON vc.id = v.claim_id LEFT JOIN article va ON va.id = vc.article_id LEFT JOIN source vs ON vs.id = v.source_id
            WHERE ${inArticles("c.article_id")} ORDER BY t.id`,
    },
    {
      entity: "response",
      params,
      sql: `SELECT json_build_object('type', 'response', 'id', r.id, 'source', ${sourceRef("s")}, 'text', r.text, 'quote', r.quote, 'onRecord', r.on_record,
              'madeAt', ${ts("r.made_at")}, 'madePrecision', r.made_precision, 'capacity', ${affiliationRef("xf", "xfp", "xfo")}, 'anonymity', r.anonymity,
              'anonymityReason', r.anonymity_reason, 'anonymityReasonNotStated', r.anonymity_reason_not_stated, 'caveat', r.caveat,
              'occasion', r.occasion, 'place', r.place, 'work', ${workRef("w")},
              'answers', COALESCE((
                SELECT json_agg(json_build_object(
                  CASE WHEN ra.claim_id IS NOT NULL THEN 'claim' ELSE 'attribution' END,
                  CASE WHEN ra.claim_id IS NOT NULL THEN ${claimRef("rc", "rca")}
                       ELSE json_build_object('claim', ${claimRef("tc", "tca")}, 'source', ${sourceRef("ts")}, 'role', t.role) END,
                  'stance', ra.stance, 'quote', ra.quote, 'position', ra.position) ORDER BY ra.position, ra.claim_id, ra.attribution_id)
                FROM response_answer ra
                LEFT JOIN claim rc ON rc.id = ra.claim_id LEFT JOIN article rca ON rca.id = rc.article_id
                LEFT JOIN attribution t ON t.id = ra.attribution_id LEFT JOIN claim tc ON tc.id = t.claim_id LEFT JOIN article tca ON tca.id = tc.article_id
                LEFT JOIN source ts ON ts.id = t.source_id
                WHERE ra.response_id = r.id AND ${inArticles("COALESCE(rc.article_id, tc.article_id)")}), '[]'::json),
              'conduits', COALESCE((
                SELECT json_agg(json_build_object('position', rc2.position, 'source', ${sourceRef("cs")}, 'work', ${workRef("cw")}) ORDER BY rc2.position)
                FROM response_conduit rc2 JOIN source cs ON cs.id = rc2.source_id LEFT JOIN work cw ON cw.id = rc2.work_id
                WHERE rc2.response_id = r.id), '[]'::json),
              ${meta("r")}) AS r
            FROM response r JOIN source s ON s.id = r.source_id ${affiliationJoins("r.capacity_id", "x")} LEFT JOIN work w ON w.id = r.work_id
            ${
              filtered
                ? `WHERE EXISTS (SELECT 1 FROM response_answer ra LEFT JOIN claim rc ON rc.id = ra.claim_id LEFT JOIN attribution t ON t.id = ra.attribution_id
                     LEFT JOIN claim tc ON tc.id = t.claim_id WHERE ra.response_id = r.id AND ${inArticles("COALESCE(rc.article_id, tc.article_id)")})`
                : ""
            }
            ORDER BY r.id`,
    },
    {
      entity: "verdict",
      params,
      sql: `SELECT json_build_object('type', 'verdict', 'id', v.id, 'claim', ${claimRef("c", "ca")}, 'rating', v.rating, 'rationale', v.rationale,
              'reviewUrl', v.review_url, 'recordedBy', u.email, 'createdAt', ${ts("v.created_at")}) AS r
            FROM verdict v JOIN claim c ON c.id = v.claim_id JOIN article ca ON ca.id = c.article_id LEFT JOIN app_user u ON u.id = v.recorded_by_id
            WHERE ${inArticles("c.article_id")} ORDER BY v.sequence`,
    },
    {
      entity: "claimRelation",
      params,
      sql: `SELECT json_build_object('type', 'claimRelation', 'id', x.id, 'from', ${claimRef("fc", "fa")}, 'to', ${claimRef("tc", "ta")}, 'kind', x.kind,
              'note', x.note, 'createdAt', ${ts("x.created_at")}) AS r
            FROM claim_relation x JOIN claim fc ON fc.id = x.from_claim_id JOIN article fa ON fa.id = fc.article_id
            JOIN claim tc ON tc.id = x.to_claim_id JOIN article ta ON ta.id = tc.article_id
            WHERE ${inArticles("fc.article_id")} AND ${inArticles("tc.article_id")} ORDER BY x.id`,
    },
  ];
}

/** Writes `text`; resolves once the stream can take more (undefined when it already can). */
export function writeWithBackpressure(out: Writable, text: string): Promise<void> | undefined {
  if (out.write(text)) return undefined;
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off("error", onError);
      resolve();
    };
    const onError = (error: Error) => {
      out.off("drain", onDrain);
      reject(error);
    };
    out.once("drain", onDrain);
    out.once("error", onError);
  });
}

const FETCH = 2000;

export async function exportNdjson(options: ExportOptions): Promise<ExportResult> {
  const { schema: _schema, ...config } = poolConfigFromUrl(options.databaseUrl);
  const client = new pg.Client(config);
  await client.connect();
  const records: Record<string, number> = {};
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const filters: Record<string, string | null> = {
      status: options.status ?? null,
      outlet: options.outlet ?? null,
      since: options.since ?? null,
      until: options.until ?? null,
    };
    // No timestamp in the header: the same data always gives the same file.
    const header = { type: HEADER_TYPE, formatVersion: FORMAT_VERSION, filters, identityNotes: options.includeIdentityNotes === true };
    await writeWithBackpressure(options.out, `${JSON.stringify(header)}\n`);
    let written = 0;
    for (const section of sections(options)) {
      records[section.entity] = 0;
      await client.query(`DECLARE bulk_export NO SCROLL CURSOR FOR ${section.sql}`, section.params);
      for (;;) {
        const { rows } = await client.query<{ r: unknown }>(`FETCH ${FETCH} FROM bulk_export`);
        if (rows.length === 0) break;
        let chunk = "";
        for (const row of rows) chunk += `${JSON.stringify(row.r)}\n`;
        records[section.entity]! += rows.length;
        written += rows.length;
        await writeWithBackpressure(options.out, chunk);
        options.onProgress?.(written, section.entity);
      }
      await client.query("CLOSE bulk_export");
    }
    await client.query("COMMIT");
    return { records };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
