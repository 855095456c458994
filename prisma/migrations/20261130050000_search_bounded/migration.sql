-- Search in bounded time (issue 9, part 2): what the search statement needs to rank a bounded set
-- of candidates instead of every hit. Hand-written (Prisma does not model generated columns'
-- expressions beyond dbgenerated(), nor set-returning functions).
--
-- Adding the generated column rewrites article once (ACCESS EXCLUSIVE lock for the duration): run
-- it in a quiet moment on a large database.

-- An article's head: title (A) and summary (B), in the article's language. The full vector
-- (search_vector, with the body) is TOASTed, so reading it costs a detoast per row; this one is a
-- few dozen bytes stored in the row itself. The search ranks only a bounded set of article
-- candidates and picks them by whether their head matches (cheap to check on every match), then
-- by recency: see src/modules/search/search.service.ts.
ALTER TABLE "article" ADD COLUMN "search_head" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(claimdesk_ts_config("language"), coalesce("title", '')), 'A')
  || setweight(to_tsvector(claimdesk_ts_config("language"), coalesce("summary", '')), 'B')
) STORED;

-- The query parsed once by every configuration claimdesk_ts_config() can return: one row per
-- configuration, NULL where the query has no positive term in it (claimdesk_websearch). The search
-- joins each row to its configuration's query instead of parsing the query again for every row.
-- Keep the list in step with claimdesk_ts_config() and claimdesk_websearch_any().
CREATE FUNCTION claimdesk_websearch_each(query text) RETURNS TABLE (config regconfig, tsq tsquery)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT c::regconfig, claimdesk_websearch(c::regconfig, query)
  FROM unnest(ARRAY[
    'simple', 'arabic', 'armenian', 'basque', 'catalan', 'danish', 'dutch', 'english',
    'finnish', 'french', 'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish',
    'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese', 'romanian', 'russian', 'serbian',
    'spanish', 'swedish', 'tamil', 'turkish', 'yiddish'
  ]) AS c
$$;
