/**
 * The import's staging tables (TEMP, dropped at commit): one per record type, one row per record
 * (plus response answers and conduits), loaded with COPY. References are kept as their keys (text)
 * and resolved to ids in SQL (import.ts).
 */
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  articleKey,
  sourceKey,
  workKey,
  type AffiliationRef,
  type AttributionRef,
  type ClaimRef,
  type SourceRef,
  type WorkRef,
} from "./format";

type Value = string | number | boolean | null | undefined;
/** A record as parsed (already validated against the JSON Schema). */
type Rec = Record<string, unknown>;

interface Column {
  name: string;
  type: string;
  /** Filled by flatten() (the others are computed in SQL). */
  staged: boolean;
}

const col = (name: string, type: string, staged = true): Column => ({ name, type, staged });

const META = [col("version", "int"), col("created_at", "timestamptz"), col("updated_at", "timestamptz")];
const TARGET = [col("target", "uuid", false), col("outcome", "text", false)];
const claimRefCols = (p: string, resolved = true) => [col(`${p}_article_key`, "text"), col(`${p}_position`, "int"), ...(resolved ? [col(`${p}_id`, "uuid", false)] : [])];
const sourceRefCols = (p: string) => [col(`${p}_key`, "text"), col(`${p}_id`, "uuid", false)];
const workRefCols = (p: string) => [col(`${p}_key`, "text"), col(`${p}_id`, "uuid", false)];
const affRefCols = (p: string) => [
  col(`${p}_person_key`, "text"),
  col(`${p}_org_key`, "text"),
  col(`${p}_title`, "text"),
  col(`${p}_started`, "timestamptz"),
  col(`${p}_person_id`, "uuid", false),
  col(`${p}_org_id`, "uuid", false),
  col(`${p}_id`, "uuid", false),
];
const attrRefCols = (p: string) => [
  ...claimRefCols(`${p}_claim`),
  col(`${p}_source_key`, "text"),
  col(`${p}_role`, '"AttributionRole"'),
  col(`${p}_source_id`, "uuid", false),
  col(`${p}_id`, "uuid", false),
];

const STAGING: Record<string, Column[]> = {
  s_source: [
    col("line", "int"), col("id", "uuid"), col("kind", '"SourceKind"'), col("name", "text"), col("description", "text"), col("url", "text"),
    col("external_id", "text"), col("has_note", "bool"), col("identity_note", "text"), ...META, col("key", "text"), ...TARGET,
  ],
  s_affiliation: [
    col("line", "int"), col("id", "uuid"), ...sourceRefCols("person"), ...sourceRefCols("org"), col("title", "text"),
    col("started_at", "timestamptz"), col("started_precision", '"DatePrecision"'), col("ended_at", "timestamptz"), col("ended_precision", '"DatePrecision"'),
    ...META, ...TARGET,
  ],
  s_work: [
    col("line", "int"), col("id", "uuid"), col("type", '"WorkType"'), col("title", "text"), col("outlet", "text"), ...sourceRefCols("outlet_source"),
    col("url", "text"), col("language", "text"), col("published_at", "timestamptz"), col("published_precision", '"DatePrecision"'),
    col("external_id", "text"), col("note", "text"), ...META, col("tkey", "text"), ...TARGET,
  ],
  s_article: [
    col("line", "int"), col("id", "uuid"), col("slug", "text"), col("external_id", "text"), col("title", "text"), col("summary", "text"), col("body", "text"),
    col("language", "text"), col("outlet", "text"), ...sourceRefCols("outlet_source"), col("url", "text"), col("type", '"WorkType"'),
    col("published_at", "timestamptz"), col("published_precision", '"DatePrecision"'), col("record_published_at", "timestamptz"),
    col("status", '"ArticleStatus"'), ...META, ...TARGET,
  ],
  s_claim: [
    col("line", "int"), col("id", "uuid"), col("article_key", "text"), col("article_id", "uuid", false), col("position", "int"), col("statement", "text"),
    col("kind", '"ClaimKind"'), col("quote", "text"), col("anchor_start", "int"), col("anchor_end", "int"), col("anchor_prefix", "text"), col("anchor_suffix", "text"),
    col("anchor_state", '"AnchorState"'), col("quantity_value", "float8"), col("quantity_unit", "text"), col("quantity_subject", "text"), col("quantity_period", "text"),
    col("cluster_id", "uuid"), ...workRefCols("origin_work"), ...META, ...TARGET,
  ],
  s_attribution: [
    col("line", "int"), col("id", "uuid"), ...claimRefCols("claim"), ...sourceRefCols("source"), col("role", '"AttributionRole"'),
    col("anonymity", '"AnonymityLevel"'), col("anonymity_reason", "text"), col("anonymity_reason_not_stated", "bool"), col("caveat", "text"),
    col("astatus", '"AttributionStatus"'), ...affRefCols("capacity"), ...workRefCols("work"), col("quote", "text"), ...attrRefCols("via"), ...META, ...TARGET,
  ],
  s_response: [
    col("line", "int"), col("id", "uuid"), ...sourceRefCols("source"), col("text", "text"), col("quote", "text"), col("on_record", "bool"),
    col("made_at", "timestamptz"), col("made_precision", '"DatePrecision"'), ...affRefCols("capacity"), col("anonymity", '"AnonymityLevel"'),
    col("anonymity_reason", "text"), col("anonymity_reason_not_stated", "bool"), col("caveat", "text"), col("occasion", "text"), col("place", "text"),
    ...workRefCols("work"), ...META, ...TARGET,
  ],
  s_answer: [
    col("line", "int"), col("response_id", "uuid"), col("idx", "int"), ...claimRefCols("claim"), ...attrRefCols("attr"), col("stance", '"ResponseStance"'),
    col("quote", "text"), col("position", "int"),
  ],
  s_conduit: [col("line", "int"), col("response_id", "uuid"), col("idx", "int"), col("position", "int"), ...sourceRefCols("source"), ...workRefCols("work")],
  s_verdict: [
    col("line", "int"), col("id", "uuid"), ...claimRefCols("claim"), col("rating", '"VerdictRating"'), col("rationale", "text"), col("review_url", "text"),
    col("recorded_by", "text"), col("recorded_by_id", "uuid", false), col("created_at", "timestamptz"), ...TARGET,
  ],
  s_relation: [
    col("line", "int"), col("id", "uuid"), ...claimRefCols("from"), ...claimRefCols("to"), col("kind", '"ClaimRelationKind"'), col("note", "text"),
    col("created_at", "timestamptz"), ...TARGET,
  ],
};

export function stagingDdl(): string[] {
  return Object.entries(STAGING).map(
    ([name, columns]) => `CREATE TEMP TABLE ${name} (${columns.map((c) => `"${c.name}" ${c.type}`).join(", ")}) ON COMMIT DROP`,
  );
}

const str = (v: unknown): Value => (v === undefined ? null : (v as Value));
const sref = (v: unknown) => (v ? sourceKey(v as SourceRef) : null);
const wref = (v: unknown) => (v ? workKey(v as WorkRef) : null);
const cref = (v: unknown): Value[] => {
  const ref = v as ClaimRef | null | undefined;
  return ref ? [articleKey(ref.article), ref.position] : [null, null];
};
const affref = (v: unknown): Value[] => {
  const ref = v as AffiliationRef | null | undefined;
  return ref ? [sourceKey(ref.person), sourceKey(ref.organization), ref.title, ref.startedAt] : [null, null, null, null];
};
const attrref = (v: unknown): Value[] => {
  const ref = v as AttributionRef | null | undefined;
  return ref ? [...cref(ref.claim), sourceKey(ref.source), ref.role] : [null, null, null, null];
};
const meta = (r: Rec): Value[] => [str(r.version), str(r.createdAt), str(r.updatedAt)];

/** The staged values (columns with staged = true, in order) of one record. */
export function flatten(type: string, line: number, r: Rec): Array<[table: string, values: Value[]]> {
  switch (type) {
    case "source": {
      const key = sourceKey(r.externalId ? { externalId: r.externalId as string } : { name: r.name as string, kind: r.kind as string });
      return [["s_source", [line, str(r.id), str(r.kind), str(r.name), str(r.description), str(r.url), str(r.externalId), "identityNote" in r, str(r.identityNote), ...meta(r), key]]];
    }
    case "affiliation":
      return [["s_affiliation", [line, str(r.id), sref(r.person), sref(r.organization), str(r.title), str(r.startedAt), str(r.startedPrecision), str(r.endedAt), str(r.endedPrecision), ...meta(r)]]];
    case "work": {
      const tkey = workKey({ title: r.title as string, outlet: (r.outlet as string | null) ?? null, publishedAt: (r.publishedAt as string | null) ?? null });
      return [["s_work", [line, str(r.id), str(r.workType), str(r.title), str(r.outlet), sref(r.outletSource), str(r.url), str(r.language), str(r.publishedAt), str(r.publishedPrecision), str(r.externalId), str(r.note), ...meta(r), tkey]]];
    }
    case "article":
      return [["s_article", [
        line, str(r.id), str(r.slug), str(r.externalId), str(r.title), str(r.summary), str(r.body), str(r.language), str(r.outlet), sref(r.outletSource), str(r.url),
        str(r.workType), str(r.publishedAt), str(r.publishedPrecision), str(r.recordPublishedAt), str(r.status), ...meta(r),
      ]]];
    case "claim":
      return [["s_claim", [
        line, str(r.id), articleKey(r.article as ClaimRef["article"]), str(r.position), str(r.statement), str(r.kind), str(r.quote), str(r.anchorStart), str(r.anchorEnd),
        str(r.anchorPrefix), str(r.anchorSuffix), str(r.anchorState), str(r.quantityValue), str(r.quantityUnit), str(r.quantitySubject), str(r.quantityPeriod),
        str(r.cluster), wref(r.originWork), ...meta(r),
      ]]];
    case "attribution":
      return [["s_attribution", [
        line, str(r.id), ...cref(r.claim), sref(r.source), str(r.role), str(r.anonymity), str(r.anonymityReason), str(r.anonymityReasonNotStated), str(r.caveat),
        str(r.status), ...affref(r.capacity), wref(r.work), str(r.quote), ...attrref(r.via), ...meta(r),
      ]]];
    case "response": {
      const rows: Array<[string, Value[]]> = [["s_response", [
        line, str(r.id), sref(r.source), str(r.text), str(r.quote), str(r.onRecord), str(r.madeAt), str(r.madePrecision), ...affref(r.capacity), str(r.anonymity),
        str(r.anonymityReason), str(r.anonymityReasonNotStated), str(r.caveat), str(r.occasion), str(r.place), wref(r.work), ...meta(r),
      ]]];
      for (const [i, a] of ((r.answers as Rec[] | undefined) ?? []).entries()) {
        rows.push(["s_answer", [line, str(r.id), i, ...cref(a.claim), ...attrref(a.attribution), str(a.stance), str(a.quote), a.position === undefined ? i : str(a.position)]]);
      }
      for (const [i, c] of ((r.conduits as Rec[] | undefined) ?? []).entries()) {
        rows.push(["s_conduit", [line, str(r.id), i, str(c.position), sref(c.source), wref(c.work)]]);
      }
      return rows;
    }
    case "verdict":
      return [["s_verdict", [line, str(r.id), ...cref(r.claim), str(r.rating), str(r.rationale), str(r.reviewUrl), str(r.recordedBy), str(r.createdAt)]]];
    case "claimRelation":
      return [["s_relation", [line, str(r.id), ...cref(r.from), ...cref(r.to), str(r.kind), str(r.note), str(r.createdAt)]]];
    default:
      throw new Error(`unknown record type ${type}`);
  }
}

function copyText(value: Value): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r"));
}

const FLUSH_AT = 1 << 20;

/** Buffers staged rows per table and sends them with COPY (one COPY per ~1 MB). */
export class StagingWriter {
  private readonly buffers = new Map<string, string[]>();
  private readonly sizes = new Map<string, number>();
  readonly counts = new Map<string, number>();

  constructor(private readonly client: pg.Client) {}

  async add(table: string, values: Value[]): Promise<void> {
    const expected = STAGING[table]!.filter((c) => c.staged).length;
    if (values.length !== expected) throw new Error(`${table}: ${values.length} values for ${expected} staged columns`);
    const line = `${values.map(copyText).join("\t")}\n`;
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    buffer.push(line);
    const size = (this.sizes.get(table) ?? 0) + line.length;
    this.sizes.set(table, size);
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
    if (size >= FLUSH_AT) await this.flush(table);
  }

  /** The COPY in flight (one at a time, so that node parses the next rows while PostgreSQL loads these). */
  private pending: Promise<void> = Promise.resolve();

  async flush(table: string): Promise<void> {
    const buffer = this.buffers.get(table);
    if (!buffer?.length) return;
    this.buffers.set(table, []);
    this.sizes.set(table, 0);
    await this.pending;
    const columns = STAGING[table]!.filter((c) => c.staged).map((c) => `"${c.name}"`).join(", ");
    const stream = this.client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`));
    const sent = pipeline(
      (function* () {
        yield buffer.join("");
      })(),
      stream as unknown as Writable,
    );
    // Handled when awaited (next flush or flushAll); never an unhandled rejection in between.
    sent.catch(() => {});
    this.pending = sent;
  }

  async flushAll(): Promise<void> {
    for (const table of this.buffers.keys()) await this.flush(table);
    await this.pending;
  }
}
