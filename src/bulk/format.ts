/**
 * The claimdesk NDJSON format, version 1 (docs/bulk.md; JSON Schema in
 * docs/format/claimdesk-ndjson-v1.schema.json). Keys, as text, for the import's staging tables.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export const FORMAT_VERSION = 1;
export const HEADER_TYPE = "claimdesk-export";

/** Record types in the order the export writes them (and the import merges them). */
export const RECORD_TYPES = ["source", "affiliation", "work", "article", "claim", "attribution", "response", "verdict", "claimRelation"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export type SourceRef = { externalId: string } | { name: string; kind: string };
export type ArticleRef = { externalId: string } | { slug: string };
export interface ClaimRef {
  article: ArticleRef;
  position: number;
}
export interface AttributionRef {
  claim: ClaimRef;
  source: SourceRef;
  role: string;
}
export type WorkRef = { externalId: string } | { title: string; outlet: string | null; publishedAt: string | null };
export interface AffiliationRef {
  person: SourceRef;
  organization: SourceRef;
  title: string;
  startedAt: string | null;
}

/** Where the JSON Schema lives (from src/bulk or dist/src/bulk). */
function schemaPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "docs", "format", "claimdesk-ndjson-v1.schema.json");
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      if (path.dirname(dir) === dir) throw new Error("docs/format/claimdesk-ndjson-v1.schema.json not found");
    }
  }
}

export interface Validators {
  /** The whole-line schema (any record). */
  line: ValidateFunction;
  header: ValidateFunction;
  byType: Record<RecordType, ValidateFunction>;
}

export function loadValidators(): Validators {
  const schema = JSON.parse(readFileSync(schemaPath(), "utf8")) as { $id: string };
  const ajv = new Ajv({ allErrors: false, strict: false });
  // "fast" formats: the same checks with simpler regular expressions (date-time, uuid on every record).
  addFormats(ajv, { mode: "fast" });
  ajv.addSchema(schema);
  const get = (name: string) => {
    const fn = ajv.getSchema(`${schema.$id}#/definitions/${name}`);
    if (!fn) throw new Error(`schema definition ${name} missing`);
    return fn;
  };
  const byType = Object.fromEntries(RECORD_TYPES.map((t) => [t, get(t)])) as Record<RecordType, ValidateFunction>;
  return { line: ajv.getSchema(schema.$id)!, header: get("header"), byType };
}

// Keys as text (docs/bulk.md "Keys"): the same strings are built in SQL for rows already in the database.
const US = "\u001f";
const iso = (value: string | null | undefined) => (value ? new Date(value).toISOString() : "");

export const sourceKey = (ref: SourceRef) => ("externalId" in ref ? `e:${ref.externalId}` : `n:${ref.kind}:${ref.name}`);
export const articleKey = (ref: ArticleRef) => ("externalId" in ref ? `e:${ref.externalId}` : `s:${ref.slug}`);
export const workKey = (ref: WorkRef) =>
  "externalId" in ref ? `e:${ref.externalId}` : `t:${ref.title}${US}${ref.outlet ?? ""}${US}${iso(ref.publishedAt)}`;

/** SQL for the same keys, over a row of the table aliased `t`. */
export const SQL_KEYS = {
  sourceByExternalId: (t: string) => `'e:' || ${t}.external_id`,
  sourceByName: (t: string) => `'n:' || ${t}.kind || ':' || ${t}.name`,
  articleByExternalId: (t: string) => `'e:' || ${t}.external_id`,
  articleBySlug: (t: string) => `'s:' || ${t}.slug`,
  workByExternalId: (t: string) => `'e:' || ${t}.external_id`,
  workByTitle: (t: string) =>
    `'t:' || ${t}.title || chr(31) || coalesce(${t}.outlet, '') || chr(31) || coalesce(to_char(${t}.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '')`,
};
