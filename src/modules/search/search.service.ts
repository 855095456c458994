import type { GraphQLResolveInfo } from "graphql";
import { selectionAt, type PlannedRow } from "../../shared/planner/planner";
import type { Context } from "../../shared/context";
import type { Viewer } from "../../shared/viewer";
import { Prisma, type Article, type Claim, type Source } from "../../generated/prisma/client";
import type { SearchHitCluster, SearchHitKind } from "../../generated/graphql";
import { badInput } from "../../shared/errors";
import { pageSize } from "../../shared/pagination";
import { recordScope } from "../../shared/read-tags";
import { isUuid } from "../../shared/validation";
import { visibleArticleSql } from "../article/article.policy";
import { visibleClaimSql } from "../claim/claim.policy";
import { visibleSourceSql } from "../source/source.policy";
import { CJK_SEPARATOR, CUT, MARK_END, MARK_START, cjkRuns, cutWords, rewriteCjk, trimSnippet } from "./search.text";

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
 * Multilingual (issue 10, migration 20261130090500_multilingual_search, search.text.ts):
 * - CJK: every run of Chinese, Japanese or Korean characters is indexed as its overlapping
 *   bigrams (claimdesk_cjk_bigrams, in every generated vector), and a query's CJK words are
 *   searched as phrases of bigrams (rewriteCjk "bigrams"): a word is found inside any clause.
 * - Languages without a stemmer ('simple': Ukrainian, Polish, ..., and sources): the 'simple'
 *   query is a prefix query (claimdesk_prefix_query): Cyrillic words lose a common case ending
 *   ("Зеленським" -> 'зеленськ':*), other words of 4 letters or more match the words they start.
 * - Snippets: ts_headline marks every match in the whole text (CJK characters made words of their
 *   own by claimdesk_cjk_spaced, the query's CJK words as phrases of characters), the statement
 *   returns the region around the first mark, and trimSnippet cuts a window of about 40 + 60
 *   characters (CJK characters count double) around the first match, with "…".
 * - groupClaimsByCluster: one claim hit per "same claim" cluster (the best visible one), and
 *   SearchHit.cluster (the cluster's other claims, matching or not), see searchStatement.
 *
 * Matching: the query is parsed with websearch_to_tsquery (through claimdesk_websearch), which
 * accepts anything a reader may type ("quoted phrases", or, -not) and never raises a syntax error;
 * quotes, operators, backslashes and punctuation are just text to it. A query without a positive
 * term (only punctuation, stop words or exclusions) parses to NULL and finds nothing. Lexemes only compare when the document and the query went
 * through the same stemmer, so a row matches the query parsed with *its own* configuration: a
 * German article is found by "Sanktionen" through german, an English one by "sanctions" through
 * english, whatever language the reader typed in. That per-row query cannot use the GIN index, so
 * each branch also requires `search_vector @@ qa`: the query parsed by every configuration in use
 * (claimdesk_websearch_each), OR-ed, a superset of every per-row query that the index answers. The exact per-row condition is then checked on those candidates only.
 *
 * Ranking: ts_rank_cd (cover density, with the A/B/C weights), normalisation 1|32: divided by
 * 1 + log(document length), so long bodies do not win by repetition alone, then scaled into [0, 1).
 * Ties are broken by kind (article, claim, source) and id, so the order is total.
 *
 * Paging: keyset, never an offset. A cursor is the position of a hit in that total order
 * (rank, kind, id); the next page is the hits strictly after it. Pages neither repeat nor skip a
 * hit when other rows are written meanwhile (only a hit whose own text changed moves).
 *
 * Bounded time: only a bounded set of candidates is ranked, and paging stops at its end; the count
 * is capped and made only when selected, snippets only when selected (see searchStatement and
 * SEARCH_BOUNDS; docs/api.md, "Search").
 */

const MAX_QUERY_LENGTH = 2000;
/**
 * Words after the 16th are ignored (as web search engines do). Ranking and highlighting cost
 * grows much faster than linearly with the number of query terms (ts_rank_cd on a long body with
 * 32 frequent terms takes tens of milliseconds per article), so a long pasted text must not reach
 * them whole.
 */
const MAX_QUERY_WORDS = 16;

/**
 * Every occurrence of a query word is marked (MARK_START/MARK_END: private-use characters, replaced
 * by <mark> after HTML-escaping); the snippet is then cut around the first one (trimSnippet).
 */
const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
/**
 * What the statement returns of a highlighted text: this many characters from SNIPPET_REGION_BEFORE
 * before its first mark (trimSnippet cuts the snippet from it), so a long body is not sent whole.
 */
const SNIPPET_REGION = 1200;
const SNIPPET_REGION_BEFORE = 300;

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
  /** HTML-escaped text around the first match, each match in <mark>...</mark>. */
  snippet: string;
  /** The claim's "same claim" cluster (claims only; null when not selected). */
  cluster: SearchHitCluster | null;
  item: SearchItem;
}

export interface SearchConnection {
  edges: Array<{ node: SearchHit; cursor: string }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** The hits, counted up to SEARCH_BOUNDS.countCap (0 when the client did not select it). */
  totalCount: number;
  /** False when the count stopped at the cap, or may have missed hits (see searchStatement). */
  totalCountIsExact: boolean;
}

interface SearchRow {
  total: number | null;
  /** A kind had matchesPerKind matches or more: the count may have missed some (null when not counted). */
  truncated: boolean | null;
  kindOrder: number | null;
  id: string | null;
  rank: number | null;
  snippet: string | null;
  cluster: SearchHitCluster | null;
  item?: PlannedRow | null;
}

/**
 * The bounds that keep a search's cost independent of how many rows match (issue 9, "Search in
 * bounded time"). See the comment of searchStatement for where each applies.
 */
export const SEARCH_BOUNDS = {
  /** Matches considered per kind (articles, claims, sources), in index (storage) order. */
  matchesPerKind: 1000,
  /** Articles ranked: the best of the article matches by head match, then recency. */
  rankedArticles: 100,
  /** totalCount counts at most this many hits; beyond it, totalCount is the cap and totalCountIsExact false. */
  countCap: 1000,
} as const;

/** What the client selected: the statement computes only those. */
export interface SearchSelection {
  totalCount: boolean;
  snippet: boolean;
  /** SearchHit.cluster (false when left out). */
  cluster?: boolean;
}

/**
 * The one statement of a search: the page of hits after `after` (at most `limit` rows), each with
 * its snippet when asked, and the number of hits (capped at SEARCH_BOUNDS.countCap; on every row,
 * null when not asked; a single row with null hit columns when the page is empty). Every value
 * from the client is a bound parameter.
 *
 * Bounded work, whatever the number of matches:
 * - The query is parsed once per text search configuration (claimdesk_websearch_each, `q`), and
 *   each row is checked and ranked with its configuration's query from there.
 * - Candidates per kind: at most `matchesPerKind` rows whose vector matches the any-configuration
 *   superset (GIN index), in index order. Claims and sources (short vectors stored in the row) are
 *   all checked and ranked. Articles' full vectors are TOASTed (a detoast per row), so only
 *   `rankedArticles` of them are ranked: those whose head (title, summary: `search_head`, in the
 *   row) matches first, then the most recently published. A body-only match ranks far below a
 *   title match (weight C against A) and below most claims, so the best articles are nearly
 *   always among them; past the bound an article with many body mentions can be missed.
 * - Visibility: articles' (a column) is checked on the candidates; claims' and sources' (joins)
 *   only on the ranked hits, best first, until the page is full. Grouped by cluster
 *   (groupClaimsByCluster), every claim hit's visibility is checked first (at most
 *   matchesPerKind), so that a cluster's hit is its best *visible* claim.
 * - Snippets (when selected) and clusters (when selected) for the page's rows only; a snippet's
 *   text leaves the database as the SNIPPET_REGION characters around its first match.
 * - The page is the best `limit` candidates after the cursor; paging on with `after` walks the
 *   same bounded candidate set, and stops (hasNextPage false) when it is exhausted.
 * - totalCount, when asked, counts the hits (exact, visible) among those matches, up to
 *   countCap + 1. It is exact unless it passed the cap, or a kind had matchesPerKind matches or
 *   more (then it is a lower bound, and totalCountIsExact false).
 */
export function searchStatement(args: {
  query: string;
  viewer: Viewer | null;
  after: SearchPosition | null;
  limit: number;
  select?: SearchSelection;
  /** One claim hit per "same claim" cluster (the best of its hits), see groupClaimsByCluster in the SDL. */
  groupClaimsByCluster?: boolean;
  /** An expression over the page's hit `p` (`p.kind_order`, `p.id`) selected as `item`: the hit's item as JSON. */
  items?: Prisma.Sql;
}): Prisma.Sql {
  const { after, limit } = args;
  const select = { totalCount: true, snippet: true, cluster: false, ...args.select };
  const grouped = args.groupClaimsByCluster ?? false;
  const { matchesPerKind, rankedArticles, countCap } = SEARCH_BOUNDS;
  // The query as matched (CJK words as phrases of bigrams, as the vectors index them) and as
  // highlighted (CJK words as phrases of characters, as claimdesk_cjk_spaced splits the text).
  const q = cutWords(rewriteCjk(args.query, "bigrams"), MAX_QUERY_WORDS);
  const headlineQuery = cutWords(rewriteCjk(args.query, "chars"), 2 * MAX_QUERY_WORDS);
  const visibleArticle = visibleArticleSql(args.viewer, "a");
  // The superset query (every configuration's parse, OR-ed) for the GIN indexes. As a value
  // computed by the statement rather than a constant, the planner does not estimate its
  // selectivity from the statistics: it always reads the matches through the index (with a
  // constant it would scan a whole table for a frequent word, detoasting every article vector).
  const anyQuery = Prisma.sql`(SELECT qa.tsq FROM qa)`;
  // A claim hit's visibility, probed hit by hit (best first, until the page is full). Evaluated
  // for one row at a time (the subquery over one row), else the planner may prefer to hash the
  // ids of every published article once: thousands of rows read for a page of 20.
  const visibleClaimHit = Prisma.sql`(SELECT ${visibleClaimSql(args.viewer, "x")} FROM (SELECT h.article_id OFFSET 0) x)`;
  // Sources are indexed with 'simple': its query is the prefix query (claimdesk_websearch_each).
  const sourceQuery = Prisma.sql`(SELECT q.tsq FROM q WHERE q.config = 'simple'::regconfig)`;
  const keyset = after
    ? // The rank goes as text: String(number) is the shortest exact round trip of a double, and
      // float8 parses it back to the very value the previous page returned.
      Prisma.sql`WHERE (h.rank, h.kind_order, h.id) < (${String(after.rank)}::float8, ${KIND_ORDER[after.kind]}::int, ${after.id}::uuid)`
    : Prisma.empty;
  // The private-use characters the snippet uses are removed from the text first.
  const clean = (text: Prisma.Sql) => Prisma.sql`translate(${text}, ${MARK_START + MARK_END + CJK_SEPARATOR + CUT}, '')`;
  // Without CJK words both are the same text: the headline reuses the match query (one parse).
  const ownHeadlineQuery = headlineQuery !== q;
  const headlineOf = (config: Prisma.Sql) =>
    ownHeadlineQuery ? Prisma.sql`(SELECT hq.tsq FROM hq WHERE hq.config = ${config})` : Prisma.sql`(SELECT q.tsq FROM q WHERE q.config = ${config})`;
  // Every match marked in the whole text (CJK characters made words of their own), then the region
  // around the first mark, with CUT where it was cut; trimSnippet cuts the snippet from it. (OFFSET 0
  // keeps the headline a value computed once: a flattened subquery would repeat ts_headline in
  // every expression that reads it.)
  const highlighted = (config: Prisma.Sql, text: Prisma.Sql) =>
    Prisma.sql`(SELECT CASE WHEN r.s > 1 THEN ${CUT} ELSE '' END || substr(r.h, r.s, ${SNIPPET_REGION}::int)
        || CASE WHEN length(r.h) >= r.s + ${SNIPPET_REGION}::int THEN ${CUT} ELSE '' END
      FROM (SELECT h.h, greatest(1, position(${MARK_START} IN h.h) - ${SNIPPET_REGION_BEFORE}::int) AS s
        FROM (SELECT replace(ts_headline(${config}, claimdesk_cjk_spaced(${clean(text)}), ${headlineOf(config)}, ${HEADLINE_OPTIONS}), ${CJK_SEPARATOR}, '') AS h OFFSET 0) h) r)`;
  // Snippets for the page's rows only (`limit` is one more than the page, to know hasNextPage).
  const snippet = select.snippet
    ? Prisma.sql`CASE WHEN p.n < ${limit - 1}::int THEN CASE p.kind_order
        WHEN 3 THEN (
          SELECT ${highlighted(Prisma.sql`x.config`, Prisma.sql`concat_ws(E'\n\n', x.title, x.summary, x.body)`)}
          FROM (SELECT x.title, x.summary, x.body, claimdesk_ts_config(x.language) AS config FROM article x WHERE x.id = p.id) x)
        WHEN 2 THEN (
          SELECT ${highlighted(Prisma.sql`x.config`, Prisma.sql`concat_ws(E'\n\n', x.statement, x.quote)`)}
          FROM (SELECT x.statement, x.quote, coalesce(x.search_config, 'simple'::regconfig) AS config FROM claim x WHERE x.id = p.id) x)
        WHEN 1 THEN (
          SELECT ${highlighted(Prisma.sql`'simple'::regconfig`, Prisma.sql`concat_ws(E'\n\n', x.name, x.description)`)}
          FROM source x WHERE x.id = p.id)
      END END`
    : Prisma.sql`NULL::text`;
  // A claim hit's "same claim" cluster: the other claims of the cluster the viewer may see, how
  // many of them matched too, their articles and languages (null when the claim has no cluster).
  const cluster = select.cluster
    ? Prisma.sql`CASE WHEN p.kind_order = 2 AND p.n < ${limit - 1}::int THEN (
        SELECT json_build_object(
          'id', x.cluster_id,
          'otherClaimCount', count(*) FILTER (WHERE o.id <> x.id),
          'otherMatchingClaimCount', count(*) FILTER (WHERE o.id <> x.id AND o.id IN (SELECT ch.id FROM claim_hits ch)),
          'articleCount', count(DISTINCT o.article_id),
          'languages', coalesce(to_json(array_agg(DISTINCT oa.language) FILTER (WHERE oa.language IS NOT NULL)), '[]'::json))
        FROM claim x JOIN claim o ON o.cluster_id = x.cluster_id JOIN article oa ON oa.id = o.article_id
        WHERE x.id = p.id AND ${visibleClaimSql(args.viewer, "o")}
        GROUP BY x.id, x.cluster_id) END`
    : Prisma.sql`NULL::json`;
  // The claim hits: every one, or (grouped) the best visible one of each cluster.
  const claimHits = grouped
    ? Prisma.sql`SELECT 2, g.id, g.article_id, g.rank FROM (
        SELECT h.id, h.article_id, h.rank,
          row_number() OVER (PARTITION BY coalesce(h.cluster_id, h.id) ORDER BY h.rank DESC, h.id DESC) AS k
        FROM claim_hits h WHERE ${visibleClaimSql(args.viewer, "h")}) g
      WHERE g.k = 1`
    : Prisma.sql`SELECT 2, c.id, c.article_id, c.rank FROM claim_hits c`;
  // Every hit, exact and visible, up to one past the cap (claims first: the cheapest to check;
  // grouped, one per cluster).
  const countedClaims = grouped
    ? Prisma.sql`SELECT DISTINCT coalesce(c.cluster_id, c.id) FROM claim_hits c WHERE ${visibleClaimSql(args.viewer, "c")}`
    : Prisma.sql`SELECT 1 FROM claim_hits c WHERE ${visibleClaimSql(args.viewer, "c")}`;
  const total = select.totalCount
    ? Prisma.sql`(SELECT count(*)::int FROM (
        SELECT 1 FROM (${countedClaims}) cc
        UNION ALL
        SELECT 1 FROM article_matches m JOIN q ON q.config = m.config JOIN article a ON a.id = m.id
        WHERE a.search_vector @@ q.tsq
        UNION ALL
        SELECT 1 FROM source_matches s WHERE ${visibleSourceSql(args.viewer, "s")}
        LIMIT ${countCap + 1}::int) counted)`
    : Prisma.sql`NULL::int`;
  const truncated = select.totalCount
    ? Prisma.sql`((SELECT count(*) FROM article_matches) >= ${matchesPerKind}::int
        OR (SELECT count(*) FROM claim_matches) >= ${matchesPerKind}::int
        OR (SELECT count(*) FROM source_matches) >= ${matchesPerKind}::int)`
    : Prisma.sql`NULL::boolean`;
  const headlineQueries = select.snippet && ownHeadlineQuery
    ? Prisma.sql`hq AS MATERIALIZED (
      SELECT e.config, e.tsq FROM claimdesk_websearch_each(${headlineQuery}) e WHERE e.tsq IS NOT NULL
    ),`
    : Prisma.empty;
  return Prisma.sql`
    WITH q AS MATERIALIZED (
      SELECT e.config, e.tsq FROM claimdesk_websearch_each(${q}) e WHERE e.tsq IS NOT NULL
    ),
    ${headlineQueries}
    -- (Distinct by text: tsquery equality ignores the prefix flag, 'word':* = 'word'.)
    qa AS MATERIALIZED (
      SELECT claimdesk_tsquery_or(d.tsq) AS tsq FROM (SELECT DISTINCT ON (q.tsq::text) q.tsq FROM q) d
    ),
    -- The matches of each kind, at most matchesPerKind, in index order.
    article_matches AS (
      SELECT a.id, a.published_at, claimdesk_ts_config(a.language) AS config, a.search_head @@ ${anyQuery} AS head
      FROM article a
      WHERE a.search_vector @@ ${anyQuery} AND ${visibleArticle}
      LIMIT ${matchesPerKind}::int
    ),
    claim_matches AS (
      SELECT c.id, c.article_id, c.cluster_id, c.search_vector, coalesce(c.search_config, 'simple'::regconfig) AS config
      FROM claim c WHERE c.search_vector @@ ${anyQuery}
      LIMIT ${matchesPerKind}::int
    ),
    source_matches AS (
      SELECT s.id, s.search_vector FROM source s WHERE s.search_vector @@ ${sourceQuery}
      LIMIT ${matchesPerKind}::int
    ),
    -- The articles ranked: head (title, summary) matches first, then the most recent.
    article_candidates AS (
      SELECT m.id, m.config FROM article_matches m
      ORDER BY m.head DESC, m.published_at DESC NULLS LAST, m.id DESC
      LIMIT ${rankedArticles}::int
    ),
    claim_hits AS (
      SELECT c.id, c.article_id, c.cluster_id, ts_rank_cd(c.search_vector, q.tsq, 1|32)::float8 AS rank
      FROM claim_matches c JOIN q ON q.config = c.config
      WHERE c.search_vector @@ q.tsq
    ),
    hits AS (
      SELECT 3 AS kind_order, a.id, NULL::uuid AS article_id, ts_rank_cd(a.search_vector, q.tsq, 1|32)::float8 AS rank
      FROM article_candidates ac JOIN q ON q.config = ac.config JOIN article a ON a.id = ac.id
      WHERE a.search_vector @@ q.tsq
      UNION ALL
      ${claimHits}
      UNION ALL
      SELECT 1, s.id, NULL::uuid, ts_rank_cd(s.search_vector, ${sourceQuery}, 1|32)::float8
      FROM source_matches s
    ),
    ranked AS (
      SELECT h.kind_order, h.id, h.article_id, h.rank FROM hits h
      ${keyset}
      ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC
      LIMIT ${3 * matchesPerKind}::int
    ),
    page AS (
      SELECT h.kind_order, h.id, h.rank, row_number() OVER (ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC) - 1 AS n
      FROM (
        SELECT h.kind_order, h.id, h.rank FROM ranked h
        WHERE CASE h.kind_order WHEN 2 THEN ${visibleClaimHit} WHEN 1 THEN ${visibleSourceSql(args.viewer, "h")} ELSE TRUE END
        ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC
        LIMIT ${limit}::int) h
    )
    SELECT t.total, t.truncated, p.kind_order AS "kindOrder", p.id::text AS id, p.rank, ${snippet} AS snippet, ${cluster} AS cluster${args.items ? Prisma.sql`, ${args.items} AS item` : Prisma.empty}
    FROM (SELECT ${total} AS total, ${truncated} AS truncated) t
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

/**
 * ts_headline's output trimmed around the first match (trimSnippet) and made safe to insert as
 * HTML: everything escaped except our <mark>s.
 */
function snippetHtml(headline: string, runs: string[]): string {
  return trimSnippet(headline.replace(/\s+/g, " "), runs)
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
  return cutWords(text, MAX_QUERY_WORDS);
}

function emptyConnection(after: string | null | undefined): SearchConnection {
  return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: Boolean(after), startCursor: null, endCursor: null }, totalCount: 0, totalCountIsExact: true };
}

/** The GraphQL type of each kind's items, and the read planner's expression of a hit's item. */
const ITEM_TYPES = { ARTICLE: "Article", CLAIM: "Claim", SOURCE: "Source" } as const satisfies Record<SearchHitKind, string>;

function plannedItems(ctx: Context, info: GraphQLResolveInfo) {
  const selections = selectionAt(info, ["edges", "node", "item"]);
  const embedded = Object.entries(ITEM_TYPES).map(([kind, type]) => ({ kind: kind as SearchHitKind, type, ...ctx.planner.embedded(type, selections[type] ?? {}, Prisma.sql`p.id`) }));
  return {
    sql: Prisma.sql`CASE p.kind_order ${Prisma.join(
      embedded.map(({ kind, sql }) => Prisma.sql`WHEN ${Prisma.raw(String(KIND_ORDER[kind]))} THEN ${sql}`),
      " ",
    )} END`,
    /** The item of a hit as the union's resolver needs it (its __typename), its rows recorded as read. */
    received(kind: SearchHitKind, row: PlannedRow): SearchItem {
      const item = embedded.find((entry) => entry.kind === kind)!;
      item.received(row);
      return Object.assign(row, { __typename: item.type }) as unknown as SearchItem;
    },
  };
}

/**
 * `search`: the hits with their items, in one statement (the items' trees compiled by the read
 * planner from the selection under `item`).
 */
export async function search(
  ctx: Context,
  args: { query: string; first?: number | null; after?: string | null; groupClaimsByCluster?: boolean | null },
  info: GraphQLResolveInfo,
  select: SearchSelection = { totalCount: true, snippet: true },
): Promise<SearchConnection> {
  recordScope(ctx, "list:search"); // the items are recorded by the read planner
  const size = pageSize(args.first);
  const after = args.after ? decodeSearchCursor(args.after) : null;
  if (args.query.length > MAX_QUERY_LENGTH) throw badInput("query", `must be at most ${MAX_QUERY_LENGTH} characters`);
  const query = normalizeQuery(args.query);
  // Nothing to search for: no hits (no statement is run).
  if (query === "") return emptyConnection(args.after);

  const items = plannedItems(ctx, info);
  const statement = searchStatement({ query, viewer: ctx.viewer, after, limit: size + 1, select, groupClaimsByCluster: args.groupClaimsByCluster ?? false, items: items.sql });
  const runs = cjkRuns(query);
  const rows = (await ctx.planner.run(statement)) as unknown as SearchRow[];
  const counted = rows[0]?.total ?? 0;
  const truncated = rows[0]?.truncated ?? false;
  const found = rows
    .filter((row) => row.id != null && row.kindOrder != null && row.rank != null)
    .map((row) => ({
      kind: KIND_BY_ORDER.get(row.kindOrder!)!,
      id: row.id!,
      rank: row.rank!,
      snippet: row.snippet == null ? "" : snippetHtml(row.snippet, runs),
      cluster: row.cluster ?? null,
      item: row.item ?? null,
    }));
  const page = found.slice(0, size);

  // The items came with their hits, under the viewer's visibility (checked again, as for any
  // read). A hit whose item the viewer may not see is left out.
  const edges = page.flatMap((hit) =>
    hit.item ? [{ node: { kind: hit.kind, rank: hit.rank, snippet: hit.snippet, cluster: hit.cluster, item: items.received(hit.kind, hit.item) }, cursor: encodeSearchCursor(hit) }] : [],
  );
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
    totalCount: Math.min(counted, SEARCH_BOUNDS.countCap),
    totalCountIsExact: counted <= SEARCH_BOUNDS.countCap && !truncated,
  };
}
