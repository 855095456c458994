/**
 * claimSearch: `search(query: ..., first: 20)` (schema/search.graphql, src/modules/search/), run as
 * an anonymous reader. Skipped with a "not available" row when claimdesk's schema has no `search`.
 *
 * The raw server's statement mirrors claimdesk's search statement (search.service.ts
 * searchStatement, anonymous visibility) and builds the same JSON: snippet HTML-escaped with <mark>,
 * cursor base64url(JSON [rank, kind, id]), items with the selected fields. PostGraphile has no
 * full-text search without a custom SQL function, so it does not run this operation.
 */
import { SEARCH_BOUNDS } from "../src/modules/search/search.service";
import type { SearchDocuments } from "./operations";

export const CLAIMDESK_SEARCH = /* GraphQL */ `
query claimSearch($query: String!, $first: Int!) {
  search(query: $query, first: $first) {
    totalCount totalCountIsExact
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        kind rank snippet
        item {
          __typename
          ... on Claim { id statement claimKind: kind verdict { rating } article { id slug title } }
          ... on Article { id slug title publishedAt }
          ... on Source { id sourceKind: kind name }
        }
      }
    }
  }
}`;

export const SEARCH_DOCUMENTS: SearchDocuments = {
  claimdesk: CLAIMDESK_SEARCH,
  variables: (word) => ({ query: word, first: 20 }),
};

/**
 * Does claimdesk answer `search`? Asked with a tiny search rather than through introspection,
 * which a production server (NODE_ENV=production, as the bench runs it) turns off.
 */
export async function searchAvailable(claimdeskUrl: string): Promise<boolean> {
  const response = await fetch(claimdeskUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: '{ search(query: "claimdesk", first: 1) { pageInfo { hasNextPage } } }' }),
  });
  const body = (await response.json()) as { data?: { search?: unknown }; errors?: unknown[] };
  return Boolean(body.data?.search) && !body.errors?.length;
}

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const HEADLINE = `'StartSel=' || U&'\\E000' || ', StopSel=' || U&'\\E001' || ', HighlightAll=true'`;
const clean = (text: string) => `translate(${text}, U&'\\E000\\E001\\E002\\E003', '')`;
/**
 * claimdesk's snippet work in SQL (search.service.ts searchStatement): every match marked in the
 * whole text (CJK characters made words), then the text around the first mark. claimdesk cuts the
 * final snippet in JavaScript (trimSnippet: whole words, CJK widths, "…"); the raw server cuts a
 * plain window of 100 characters here, so its snippets differ from claimdesk's: the report's
 * "Raw server's JSON equals claimdesk's" compares this operation's answers without their snippets.
 */
const snippetOf = (config: string, text: string, query: string) =>
  `(SELECT substr(h.h, greatest(1, position(U&'\\E000' IN h.h) - 40), 100)
    FROM (SELECT replace(ts_headline(${config}, claimdesk_cjk_spaced(${clean(text)}), ${query}, ${HEADLINE}), U&'\\E002', '') AS h) h)`;
/** snippetHtml(): whitespace runs to one space, trimmed, HTML-escaped, then the marks. */
const html = (headline: string) =>
  `replace(replace(replace(replace(replace(replace(replace(btrim(regexp_replace(${headline}, '\\s+', ' ', 'g')),
     '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;'), U&'\\E000', '<mark>'), U&'\\E001', '</mark>')`;
/** A float8 as JavaScript's String(number) writes it (PostgreSQL writes 1.5e-05 where JS writes 0.000015). */
const jsNumber = (x: string) =>
  `(CASE WHEN ${x} <> 0 AND abs(${x}) < 1e-4 AND ${x}::text LIKE '%e-%'
     THEN '0.' || repeat('0', -split_part(${x}::text, 'e', 2)::int - 1) || replace(split_part(${x}::text, 'e', 1), '.', '')
     ELSE ${x}::text END)`;
const kindName = (k: string) => `(CASE ${k} WHEN 3 THEN 'ARTICLE' WHEN 2 THEN 'CLAIM' ELSE 'SOURCE' END)`;
const cursor = (p: string) =>
  `rtrim(translate(encode(convert_to('[' || ${jsNumber(`${p}.rank`)} || ',"' || ${kindName(`${p}.kind_order`)} || '","' || ${p}.id || '"]', 'UTF8'), 'base64'), '+/' || chr(10), '-_'), '=')`;

const PUBLISHED_CLAIM = (claim: string) => `EXISTS (SELECT 1 FROM article va WHERE va.id = ${claim}.article_id AND va.status = 'PUBLISHED')`;
const PUBLISHED_SOURCE = (source: string) => `(EXISTS (SELECT 1 FROM attribution vt JOIN claim vc ON vc.id = vt.claim_id JOIN article va ON va.id = vc.article_id
                 WHERE vt.source_id = ${source}.id AND va.status = 'PUBLISHED')
      OR EXISTS (SELECT 1 FROM response vr JOIN response_answer vrc ON vrc.response_id = vr.id JOIN claim vc ON vc.id = vrc.claim_id
                 JOIN article va ON va.id = vc.article_id WHERE vr.source_id = ${source}.id AND va.status = 'PUBLISHED'))`;
/** Claimdesk's bounds, the very same numbers. */
const { matchesPerKind: MATCHES_PER_KIND, rankedArticles: RANKED_ARTICLES, countCap: COUNT_CAP } = SEARCH_BOUNDS;

/**
 * $1 = query text (already trimmed, non-empty), $2 = page size. Anonymous reader's visibility.
 * The same bounded plan as claimdesk's searchStatement: the query parsed once per configuration,
 * at most MATCHES_PER_KIND matches per kind, RANKED_ARTICLES article candidates (head match, then
 * recency), claims' and sources' visibility checked on the ranked hits only, the count capped.
 */
export const RAW_SEARCH_SQL = `
WITH q AS MATERIALIZED (
  SELECT e.config, e.tsq FROM claimdesk_websearch_each($1) e WHERE e.tsq IS NOT NULL
),
qa AS MATERIALIZED (SELECT claimdesk_tsquery_or(d.tsq) AS tsq FROM (SELECT DISTINCT ON (q.tsq::text) q.tsq FROM q) d),
article_matches AS (
  SELECT a.id, a.published_at, claimdesk_ts_config(a.language) AS config, a.search_head @@ (SELECT tsq FROM qa) AS head
  FROM article a WHERE a.search_vector @@ (SELECT tsq FROM qa) AND a.status = 'PUBLISHED'
  LIMIT ${MATCHES_PER_KIND}
),
claim_matches AS (
  SELECT c.id, c.article_id, c.search_vector, coalesce(c.search_config, 'simple'::regconfig) AS config
  FROM claim c WHERE c.search_vector @@ (SELECT tsq FROM qa) LIMIT ${MATCHES_PER_KIND}
),
source_matches AS (
  SELECT s.id, s.search_vector FROM source s WHERE s.search_vector @@ (SELECT q.tsq FROM q WHERE q.config = 'simple'::regconfig) LIMIT ${MATCHES_PER_KIND}
),
article_candidates AS (
  SELECT m.id, m.config FROM article_matches m
  ORDER BY m.head DESC, m.published_at DESC NULLS LAST, m.id DESC
  LIMIT ${RANKED_ARTICLES}
),
hits AS (
  SELECT 3 AS kind_order, a.id, NULL::uuid AS article_id, ts_rank_cd(a.search_vector, q.tsq, 1|32)::float8 AS rank
  FROM article_candidates ac JOIN q ON q.config = ac.config JOIN article a ON a.id = ac.id
  WHERE a.search_vector @@ q.tsq
  UNION ALL
  SELECT 2, c.id, c.article_id, ts_rank_cd(c.search_vector, q.tsq, 1|32)::float8
  FROM claim_matches c JOIN q ON q.config = c.config WHERE c.search_vector @@ q.tsq
  UNION ALL
  SELECT 1, s.id, NULL::uuid, ts_rank_cd(s.search_vector, (SELECT q.tsq FROM q WHERE q.config = 'simple'::regconfig), 1|32)::float8
  FROM source_matches s
),
ranked AS (
  SELECT h.* FROM hits h ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC LIMIT ${3 * MATCHES_PER_KIND}
),
page AS (
  SELECT h.kind_order, h.id, h.rank, row_number() OVER (ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC) AS n
  FROM (
    SELECT h.kind_order, h.id, h.rank FROM ranked h
    WHERE CASE h.kind_order WHEN 2 THEN (SELECT ${PUBLISHED_CLAIM("x")} FROM (SELECT h.article_id OFFSET 0) x) WHEN 1 THEN ${PUBLISHED_SOURCE("h")} ELSE TRUE END
    ORDER BY h.rank DESC, h.kind_order DESC, h.id DESC LIMIT $2::int + 1) h
),
counted AS (
  SELECT count(*)::int AS n FROM (
    SELECT 1 FROM claim_matches c JOIN q ON q.config = c.config WHERE c.search_vector @@ q.tsq AND ${PUBLISHED_CLAIM("c")}
    UNION ALL
    SELECT 1 FROM article_matches m JOIN q ON q.config = m.config JOIN article a ON a.id = m.id WHERE a.search_vector @@ q.tsq
    UNION ALL
    SELECT 1 FROM source_matches s WHERE ${PUBLISHED_SOURCE("s")}
    LIMIT ${COUNT_CAP + 1}) x
)
SELECT json_build_object('data', json_build_object('search', json_build_object(
  'totalCount', (SELECT least(n, ${COUNT_CAP}) FROM counted),
  'totalCountIsExact', (SELECT n <= ${COUNT_CAP} FROM counted)
    AND (SELECT count(*) FROM article_matches) < ${MATCHES_PER_KIND} AND (SELECT count(*) FROM claim_matches) < ${MATCHES_PER_KIND}
    AND (SELECT count(*) FROM source_matches) < ${MATCHES_PER_KIND},
  'pageInfo', json_build_object(
    'hasNextPage', (SELECT count(*) > $2::int FROM page),
    'endCursor', (SELECT ${cursor("p")} FROM page p WHERE p.n <= $2::int ORDER BY p.n DESC LIMIT 1)),
  'edges', COALESCE((
    SELECT json_agg(json_build_object(
      'cursor', ${cursor("p")},
      'node', json_build_object(
        'kind', ${kindName("p.kind_order")},
        'rank', p.rank,
        'snippet', CASE p.kind_order
          WHEN 3 THEN (SELECT ${html(snippetOf("claimdesk_ts_config(x.language)", "concat_ws(E'\\n\\n', x.title, x.summary, x.body)", "(SELECT q.tsq FROM q WHERE q.config = claimdesk_ts_config(x.language))"))} FROM article x WHERE x.id = p.id)
          WHEN 2 THEN (SELECT ${html(snippetOf("coalesce(x.search_config, 'simple'::regconfig)", "concat_ws(E'\\n\\n', x.statement, x.quote)", "(SELECT q.tsq FROM q WHERE q.config = coalesce(x.search_config, 'simple'::regconfig))"))} FROM claim x WHERE x.id = p.id)
          ELSE (SELECT ${html(snippetOf("'simple'::regconfig", "concat_ws(E'\\n\\n', x.name, x.description)", "(SELECT q.tsq FROM q WHERE q.config = 'simple'::regconfig)"))} FROM source x WHERE x.id = p.id)
        END,
        'item', CASE p.kind_order
          WHEN 2 THEN (
            SELECT json_build_object('__typename', 'Claim', 'id', c.id, 'statement', c.statement, 'claimKind', c.kind,
              'verdict', (SELECT json_build_object('rating', v.rating) FROM verdict v WHERE v.claim_id = c.id ORDER BY v.sequence DESC LIMIT 1),
              'article', json_build_object('id', a.id, 'slug', a.slug, 'title', a.title))
            FROM claim c JOIN article a ON a.id = c.article_id WHERE c.id = p.id)
          WHEN 3 THEN (
            SELECT json_build_object('__typename', 'Article', 'id', a.id, 'slug', a.slug, 'title', a.title, 'publishedAt', ${ts("a.published_at")})
            FROM article a WHERE a.id = p.id)
          ELSE (SELECT json_build_object('__typename', 'Source', 'id', s.id, 'sourceKind', s.kind, 'name', s.name) FROM source s WHERE s.id = p.id)
        END)
    ) ORDER BY p.n)
    FROM page p WHERE p.n <= $2::int), '[]'::json)
)))::text AS body`;
