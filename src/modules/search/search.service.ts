import type { Context } from "../../shared/context";
import type { Viewer } from "../../shared/viewer";
import { Prisma, type Article, type Claim, type Source } from "../../generated/prisma/client";
import type { SearchHitKind } from "../../generated/graphql";
import { badInput } from "../../shared/errors";
import { pageSize } from "../../shared/pagination";
import { recordScope } from "../../shared/read-tags";
import { isUuid } from "../../shared/validation";
import { visibleArticleSql } from "../article/article.policy";
import { visibleClaimSql } from "../claim/claim.policy";
import { visibleSourceSql } from "../source/source.policy";

/**
 * Full-text search over articles (title, summary, body), claims (statement, quote) and sources
 * (name, description), with PostgreSQL's text search.
 *
 * Indexing (migration 20261129071755_search_and_indexes): each table has a generated, weighted
 * `search_vector` (title/statement/name A, summary/quote/description B, body C) with a GIN index.
 * Articles are indexed with the configuration of their language (claimdesk_ts_config: en ->
 * english, de -> german, ..., otherwise simple); claims with their article's (copied onto the claim
 * by a trigger, since a generated column cannot read another table); sources with 'simple', as they
 * are shared across languages and are mostly names.
 *
 * Matching: the query is parsed with websearch_to_tsquery (through claimdesk_websearch), which
 * accepts anything a reader may type ("quoted phrases", or, -not) and never raises a syntax error;
 * quotes, operators, backslashes and punctuation are just text to it. A query without a positive
 * term (only punctuation, stop words or exclusions) parses to NULL and finds nothing. Lexemes only compare when the document and the query went
 * through the same stemmer, so a row matches the query parsed with *its own* configuration: a
 * German article is found by "Sanktionen" through german, an English one by "sanctions" through
 * english, whatever language the reader typed in. That per-row query cannot use the GIN index, so
 * each branch also requires `search_vector @@ claimdesk_websearch_any(q)`: the query parsed by every
 * configuration in use, OR-ed, a constant superset of every per-row query that the planner folds
 * and answers from the index. The exact per-row condition is then checked on those candidates only.
 *
 * Ranking: ts_rank_cd (cover density, with the A/B/C weights), normalisation 1|32: divided by
 * 1 + log(document length), so long bodies do not win by repetition alone, then scaled into [0, 1).
 * Ties are broken by kind (article, claim, source) and id, so the order is total.
 *
 * Paging: keyset, never an offset. A cursor is the position of a hit in that total order
 * (rank, kind, id); the next page is the hits strictly after it. Pages neither repeat nor skip a
 * hit when other rows are written meanwhile (only a hit whose own text changed moves).
 */

const MAX_QUERY_LENGTH = 2000;
/**
 * Words after the 16th are ignored (as web search engines do). Ranking and highlighting cost
 * grows much faster than linearly with the number of query terms (ts_rank_cd on a long body with
 * 32 frequent terms takes tens of milliseconds per article), so a long pasted text must not reach
 * them whole.
 */
const MAX_QUERY_WORDS = 16;

/** Bounds of the highlighted text: private-use characters, replaced by <mark> after HTML-escaping. */
const MARK_START = "\uE000";
const MARK_END = "\uE001";
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const KIND_ORDER: Record<SearchHitKind, number> = { ARTICLE: 3, CLAIM: 2, SOURCE: 1 };
const KIND_BY_ORDER = new Map(Object.entries(KIND_ORDER).map(([kind, order]) => [order, kind as SearchHitKind]));

export interface SearchPosition {
  rank: number;
  kind: SearchHitKind;
  id: string;
}

type SearchItem = Article | Claim | Source;

interface SearchHit {
  kind: SearchHitKind;
  rank: number;
  /** HTML-escaped text around the matches, each match in <mark>...</mark>. */
  snippet: string;
  item: SearchItem;
}

export interface SearchConnection {
  edges: Array<{ node: SearchHit; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * What the viewer may find: the read rules of the rest of the API, one per branch (aliases `a`
 * article, `c` claim, `s` source); see each module's policy.
 */
function searchVisibility(viewer: Viewer | null) {
  return { article: visibleArticleSql(viewer, "a"), claim: visibleClaimSql(viewer, "c"), source: visibleSourceSql(viewer, "s") };
}

interface SearchRow {
  total: number;
  kindOrder: number | null;
  id: string | null;
  rank: number | null;
  snippet: string | null;
}

/**
 * The one statement of a search: the page of hits after `after` (at most `limit` rows), each with
 * its snippet, and the total number of hits (on every row; a single row with null hit columns when
 * the page is empty). Every value from the client is a bound parameter.
 */
export function searchStatement(args: { query: string; viewer: Viewer | null; after: SearchPosition | null; limit: number }): Prisma.Sql {
  const { query: q, after, limit } = args;
  const visible = searchVisibility(args.viewer);
  const articleQuery = (alias: Prisma.Sql) => Prisma.sql`claimdesk_websearch(claimdesk_ts_config(${alias}.language), ${q})`;
  const claimQuery = (alias: Prisma.Sql) => Prisma.sql`claimdesk_websearch(coalesce(${alias}.search_config, 'simple'::regconfig), ${q})`;
  const sourceQuery = Prisma.sql`claimdesk_websearch('simple'::regconfig, ${q})`;
  const a = Prisma.raw("a");
  const c = Prisma.raw("c");
  const x = Prisma.raw("x");
  const keyset = after
    ? // The rank goes as text: String(number) is the shortest exact round trip of a double, and
      // float8 parses it back to the very value the previous page returned.
      Prisma.sql`WHERE (h.rank, h.kind_order, h.id) < (${String(after.rank)}::float8, ${KIND_ORDER[after.kind]}::int, ${after.id}::uuid)`
    : Prisma.empty;
  // The private-use characters that mark the highlights are removed from the text first.
  const clean = (text: Prisma.Sql) => Prisma.sql`translate(${text}, ${MARK_START + MARK_END}, '')`;
  return Prisma.sql`
    WITH hits AS (
      SELECT 3 AS kind_order, a.id, ts_rank_cd(a.search_vector, ${articleQuery(a)}, 1|32)::float8 AS rank
      FROM article a
      WHERE a.search_vector @@ claimdesk_websearch_any(${q}) AND a.search_vector @@ ${articleQuery(a)} AND ${visible.article}
      UNION ALL
      SELECT 2, c.id, ts_rank_cd(c.search_vector, ${claimQuery(c)}, 1|32)::float8
      FROM claim c
      WHERE c.search_vector @@ claimdesk_websearch_any(${q}) AND c.search_vector @@ ${claimQuery(c)} AND ${visible.claim}
      UNION ALL
      SELECT 1, s.id, ts_rank_cd(s.search_vector, ${sourceQuery}, 1|32)::float8
      FROM source s
      WHERE s.search_vector @@ ${sourceQuery} AND ${visible.source}
    ),
    page AS (
      SELECT h.kind_order, h.id, h.rank FROM hits h
      ${keyset}
      ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC
      LIMIT ${limit}::int
    )
    SELECT t.total, p.kind_order AS "kindOrder", p.id::text AS id, p.rank,
      CASE p.kind_order
        WHEN 3 THEN (
          SELECT ts_headline(claimdesk_ts_config(x.language), ${clean(Prisma.sql`concat_ws(E'\n\n', x.title, x.summary, x.body)`)}, ${articleQuery(x)}, ${HEADLINE_OPTIONS})
          FROM article x WHERE x.id = p.id)
        WHEN 2 THEN (
          SELECT ts_headline(coalesce(x.search_config, 'simple'::regconfig), ${clean(Prisma.sql`concat_ws(E'\n\n', x.statement, x.quote)`)}, ${claimQuery(x)}, ${HEADLINE_OPTIONS})
          FROM claim x WHERE x.id = p.id)
        WHEN 1 THEN (
          SELECT ts_headline('simple'::regconfig, ${clean(Prisma.sql`concat_ws(E'\n\n', x.name, x.description)`)}, ${sourceQuery}, ${HEADLINE_OPTIONS})
          FROM source x WHERE x.id = p.id)
      END AS snippet
    FROM (SELECT count(*)::int AS total FROM hits) t
    LEFT JOIN page p ON TRUE
    ORDER BY p.rank DESC, p.kind_order DESC, p.id DESC`;
}

function encodeSearchCursor(position: SearchPosition): string {
  return Buffer.from(JSON.stringify([position.rank, position.kind, position.id])).toString("base64url");
}

function decodeSearchCursor(cursor: string): SearchPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) throw new Error("bad cursor");
    const [rank, kind, id] = value as unknown[];
    // Ranks are in [0, 1): anything else was not made by this API.
    if (typeof rank !== "number" || !(rank >= 0 && rank <= 1)) throw new Error("bad cursor");
    if (typeof kind !== "string" || !(kind in KIND_ORDER)) throw new Error("bad cursor");
    if (typeof id !== "string" || !isUuid(id)) throw new Error("bad cursor");
    return { rank, kind: kind as SearchHitKind, id };
  } catch {
    throw badInput("after", "is not a cursor returned by search");
  }
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** ts_headline's output made safe to insert as HTML: everything escaped except our <mark>s. */
function snippetHtml(headline: string): string {
  return headline
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!)
    .replaceAll(MARK_START, "<mark>")
    .replaceAll(MARK_END, "</mark>");
}

/**
 * The text of a query as searched, trimmed: without NUL (which PostgreSQL text cannot hold), with
 * unpaired UTF-16 surrogates (not text at all) replaced by U+FFFD, with runs of `-` cut to one or
 * two, and cut after its MAX_QUERY_WORDS-th word.
 *
 * websearch_to_tsquery nests one NOT per `-` of a run (punctuation between them included), and
 * about 30 of them overflow its parser ("tsquery stack too small"). A longer run is searched as one
 * `-` (odd length) or two (even length), as runs of one or two always were.
 */
function normalizeQuery(query: string): string {
  const text = query
    .replaceAll("\u0000", " ")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/-(?:[^\p{L}\p{N}"-]*-)+/gu, (run) => (run.split("-").length % 2 === 0 ? "-" : "--"))
    .trim();
  let words = 0;
  for (const word of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    words += 1;
    if (words > MAX_QUERY_WORDS) return text.slice(0, word.index).trim();
  }
  return text;
}

function emptyConnection(after: string | null | undefined): SearchConnection {
  return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: Boolean(after), startCursor: null, endCursor: null }, totalCount: 0 };
}

export async function search(ctx: Context, args: { query: string; first?: number | null; after?: string | null }): Promise<SearchConnection> {
  recordScope(ctx, "list:search"); // the items themselves are recorded by the loaders below
  const size = pageSize(args.first);
  const after = args.after ? decodeSearchCursor(args.after) : null;
  if (args.query.length > MAX_QUERY_LENGTH) throw badInput("query", `must be at most ${MAX_QUERY_LENGTH} characters`);
  const query = normalizeQuery(args.query);
  // Nothing to search for: no hits (no statement is run).
  if (query === "") return emptyConnection(args.after);

  const rows = await ctx.prisma.$queryRaw<SearchRow[]>(searchStatement({ query, viewer: ctx.viewer, after, limit: size + 1 }));
  const totalCount = rows[0]?.total ?? 0;
  const found = rows
    .filter((row) => row.id != null && row.kindOrder != null && row.rank != null)
    .map((row) => ({ kind: KIND_BY_ORDER.get(row.kindOrder!)!, id: row.id!, rank: row.rank!, snippet: snippetHtml(row.snippet ?? "") }));
  const page = found.slice(0, size);

  // The items, through the request's loaders: one batched statement per kind on the page (and
  // the loaders apply the viewer's visibility again). A hit whose item disappeared since the
  // search statement (deleted meanwhile) is left out.
  const items = await Promise.all(
    page.map((hit): Promise<SearchItem | null> => {
      switch (hit.kind) {
        case "ARTICLE":
          return ctx.loaders.articleById.load(hit.id);
        case "CLAIM":
          return ctx.loaders.claimById.load(hit.id);
        case "SOURCE":
          return ctx.loaders.sourceById.load(hit.id);
      }
    }),
  );
  const edges = page.flatMap((hit, index) => {
    const item = items[index];
    return item ? [{ node: { kind: hit.kind, rank: hit.rank, snippet: hit.snippet, item }, cursor: encodeSearchCursor(hit) }] : [];
  });
  // The page's bounds are those of its hits, even of one left out, so the next page starts after it.
  const first = page[0];
  const last = page[page.length - 1];
  return {
    edges,
    pageInfo: {
      hasNextPage: found.length > size,
      hasPreviousPage: Boolean(args.after),
      startCursor: first ? encodeSearchCursor(first) : null,
      endCursor: last ? encodeSearchCursor(last) : null,
    },
    totalCount,
  };
}
