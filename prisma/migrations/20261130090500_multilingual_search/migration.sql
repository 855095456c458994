-- Multilingual search (issue 10, point 9): word search in Chinese, Japanese and Korean text, inflected
-- forms in languages without a stemmer (Ukrainian at least), snippets trimmed to the match. See
-- src/modules/search/search.service.ts for how the search statement uses what is defined here.
-- Hand-written (Prisma models neither functions nor generated columns' expressions; the
-- dbgenerated() strings in prisma/schema.prisma repeat the new expressions verbatim).
--
-- Re-creating the generated columns rewrites article, claim and source once (ACCESS EXCLUSIVE lock
-- for the duration) and rebuilds their full-text indexes: run it in a quiet moment on a large
-- database.

-- ---------------------------------------------------------------------------------------------
-- CJK: overlapping character bigrams
-- ---------------------------------------------------------------------------------------------
-- Chinese and Japanese put no spaces between words (Korean puts them between phrases, particles
-- attached), so PostgreSQL's parser reads a whole clause between two punctuation marks as one
-- "word": a word inside it could never match. Every run of CJK characters (Han, kana, Hangul) is
-- rewritten, before to_tsvector, into its overlapping two-character bigrams and its last
-- character alone: 中国外交部 -> "中国 国外 外交 交部 部". A query word is rewritten into the phrase
-- of its bigrams (外交部 -> '外交' <-> '交部', search.service.ts), which matches wherever the word
-- stands, inside any clause; a one-character query word matches the bigrams it starts (a prefix
-- query) or a run's last character. Applied to every language (a Chinese name in an English
-- article, a Japanese source name), not only zh/ja/ko: text without CJK characters is returned as
-- it is. Keep the character class in step with CJK in search.service.ts.
CREATE FUNCTION claimdesk_cjk_bigrams(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN t IS NULL OR t !~ '[\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]' THEN t
    ELSE (
      SELECT string_agg(
        CASE WHEN m[1] IS NULL THEN m[2]
        ELSE (SELECT string_agg(substr(m[1], i, 2), ' ' ORDER BY i) FROM generate_series(1, length(m[1])) AS i)
        END, ' ' ORDER BY n)
      FROM regexp_matches(t,
        '([\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]+)|([^\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]+)',
        'g') WITH ORDINALITY AS x(m, n))
  END
$$;

-- The text a snippet is cut from, with every CJK character made a word of its own: a separator
-- (U+E002, a private-use character the parser reads as a blank, removed again from the snippet)
-- before each CJK run and after each CJK character. ts_headline then marks the characters of a
-- query word (parsed the same way: 外交部 -> '外' <-> '交' <-> '部') where they stand, and the
-- snippet is the original text. search.service.ts removes the separators and joins the marks.
CREATE FUNCTION claimdesk_cjk_spaced(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN t IS NULL OR t !~ '[\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]' THEN t
    ELSE regexp_replace(
      regexp_replace(t, '([\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]+)', U&'\E002\\1', 'g'),
      '([\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F])', U&'\\1\E002', 'g')
  END
$$;

-- ---------------------------------------------------------------------------------------------
-- Inflected forms without a stemmer: prefix queries for the 'simple' configuration
-- ---------------------------------------------------------------------------------------------
-- PostgreSQL has no Ukrainian stemmer (nor Polish, Czech, Bulgarian, ...): those languages are
-- indexed with 'simple', word forms as they stand. A query word in another case ("Зеленським",
-- instrumental) must still find the forms in the text ("Зеленський"): the query parsed with
-- 'simple' becomes a prefix query. One operand of that query:
-- - a Cyrillic word loses its longest common case or number ending (Ukrainian and Russian
--   declension: -ого, -ому, -ими, -ами, -ів, -ою, -ий, -і, -а, ...), keeping at least 3 letters,
--   and matches every word starting with the rest: зеленським -> 'зеленськ':*, війні -> 'війн':*;
-- - a word in another script of 4 letters or more matches the words it starts: sanction ->
--   'sanction':* (sanctions, sanctioned);
-- - a CJK bigram stays exact, a single CJK character matches the bigrams it starts;
-- - anything else (shorter words) stays exact.
-- A prefix never finds fewer rows than the exact word. Alternations inside the stem (Київ /
-- Києві, ніч / ночі) are not caught.
CREATE FUNCTION claimdesk_prefix_operand(lexeme text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT '''' || replace(replace(p.stem, '\', '\\'), '''', '''''') || '''' || CASE WHEN p.prefix THEN ':*' ELSE '' END
  FROM (
    SELECT
      CASE WHEN lexeme ~ '^[\u0400-\u04FF]+$' THEN coalesce((
        SELECT left(lexeme, -length(e)) FROM unnest(ARRAY[
          'ього', 'ього', 'ими', 'іми', 'ами', 'ями', 'ого', 'его', 'ому', 'ему', 'ові', 'еві', 'єві', 'ыми', 'ией',
          'ий', 'ій', 'ый', 'ой', 'ей', 'ої', 'ою', 'ею', 'єю', 'ом', 'ем', 'єм', 'ам', 'ям', 'ах', 'ях', 'ів', 'їв',
          'им', 'ім', 'их', 'іх', 'ым', 'ых', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ую', 'юю', 'ії', 'ія', 'ію',
          'а', 'я', 'у', 'ю', 'і', 'ї', 'е', 'є', 'о', 'и', 'ы', 'ь', 'й'
        ]) AS e
        WHERE right(lexeme, length(e)) = e AND length(lexeme) - length(e) >= 3
        ORDER BY length(e) DESC LIMIT 1), lexeme)
      ELSE lexeme END AS stem,
      CASE
        WHEN lexeme ~ '^[\u1100-\u11FF\u2E80-\u2FDF\u3005-\u3007\u3021-\u3029\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u3131-\u318E\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003134F]+$' THEN length(lexeme) = 1
        WHEN lexeme ~ '^[\u0400-\u04FF]+$' THEN length(lexeme) >= 3
        ELSE length(lexeme) >= 4
      END AS prefix
  ) p
$$;

-- A tsquery with every operand made a prefix operand (claimdesk_prefix_operand), operators kept.
-- Operands are read from the query's text form ('...' with '' and \\ escaped).
CREATE FUNCTION claimdesk_prefix_query(query tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg(
    CASE WHEN m[1] IS NULL THEN m[2]
    ELSE claimdesk_prefix_operand(replace(regexp_replace(m[1], '\\(.)', '\1', 'g'), '''''', ''''))
    END, '' ORDER BY n)::tsquery
  FROM regexp_matches(query::text, '''((?:[^''\\]|''''|\\.)*)''|([^'']+)', 'g') WITH ORDINALITY AS x(m, n)
$$;

-- The query parsed once by every configuration claimdesk_ts_config() can return (as before), the
-- 'simple' one made a prefix query. Keep the list in step with claimdesk_ts_config().
CREATE OR REPLACE FUNCTION claimdesk_websearch_each(query text) RETURNS TABLE (config regconfig, tsq tsquery)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT c::regconfig,
    CASE WHEN c = 'simple' THEN claimdesk_prefix_query(claimdesk_websearch(c::regconfig, query))
    ELSE claimdesk_websearch(c::regconfig, query) END
  FROM unnest(ARRAY[
    'simple', 'arabic', 'armenian', 'basque', 'catalan', 'danish', 'dutch', 'english',
    'finnish', 'french', 'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish',
    'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese', 'romanian', 'russian', 'serbian',
    'spanish', 'swedish', 'tamil', 'turkish', 'yiddish'
  ]) AS c
$$;

-- The superset of every configuration's query, from the same parses (the search statement builds
-- it from claimdesk_websearch_each itself; kept for ad hoc use). Distinct by text: tsquery
-- equality ignores the prefix flag ('word':* = 'word'), so DISTINCT on the tsqueries could drop
-- the prefix query.
CREATE OR REPLACE FUNCTION claimdesk_websearch_any(query text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT claimdesk_tsquery_or(d.tsq) FROM (SELECT DISTINCT ON (e.tsq::text) e.tsq FROM claimdesk_websearch_each(query) e) d
$$;

-- ---------------------------------------------------------------------------------------------
-- Search vectors, re-generated through claimdesk_cjk_bigrams (same weights, same configurations)
-- ---------------------------------------------------------------------------------------------
DROP INDEX "article_search_vector_idx";
DROP INDEX "claim_search_vector_idx";
DROP INDEX "source_search_vector_idx";

ALTER TABLE "article" DROP COLUMN "search_vector", DROP COLUMN "search_head";
ALTER TABLE "claim" DROP COLUMN "search_vector";
ALTER TABLE "source" DROP COLUMN "search_vector";

ALTER TABLE "article" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(claimdesk_ts_config("language"), claimdesk_cjk_bigrams(coalesce("title", ''))), 'A')
  || setweight(to_tsvector(claimdesk_ts_config("language"), claimdesk_cjk_bigrams(coalesce("summary", ''))), 'B')
  || setweight(to_tsvector(claimdesk_ts_config("language"), claimdesk_cjk_bigrams(coalesce("body", ''))), 'C')
) STORED;

ALTER TABLE "article" ADD COLUMN "search_head" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(claimdesk_ts_config("language"), claimdesk_cjk_bigrams(coalesce("title", ''))), 'A')
  || setweight(to_tsvector(claimdesk_ts_config("language"), claimdesk_cjk_bigrams(coalesce("summary", ''))), 'B')
) STORED;

ALTER TABLE "claim" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(coalesce("search_config", 'simple'::regconfig), claimdesk_cjk_bigrams(coalesce("statement", ''))), 'A')
  || setweight(to_tsvector(coalesce("search_config", 'simple'::regconfig), claimdesk_cjk_bigrams(coalesce("quote", ''))), 'B')
) STORED;

ALTER TABLE "source" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple'::regconfig, claimdesk_cjk_bigrams(coalesce("name", ''))), 'A')
  || setweight(to_tsvector('simple'::regconfig, claimdesk_cjk_bigrams(coalesce("description", ''))), 'B')
) STORED;

-- CreateIndex
CREATE INDEX "article_search_vector_idx" ON "article" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "claim_search_vector_idx" ON "claim" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "source_search_vector_idx" ON "source" USING GIN ("search_vector");
