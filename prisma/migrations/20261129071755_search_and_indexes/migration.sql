-- Full-text search over articles, claims and sources, and the indexes every filter and join of
-- the API needs. Hand-written around what `prisma migrate dev --create-only` generated: Prisma
-- knows the new columns only as Unsupported("tsvector") / Unsupported("regconfig") and does not
-- model generated columns, functions, triggers or extensions.
--
-- Adding the generated columns rewrites article, claim and source once (ACCESS EXCLUSIVE lock for
-- the duration): run it in a quiet moment on a large database.

-- ---------------------------------------------------------------------------------------------
-- Languages
-- ---------------------------------------------------------------------------------------------

-- The text search configuration for a BCP 47 language tag (only the primary subtag counts:
-- pt-BR -> portuguese). Every snowball configuration PostgreSQL 15 ships is mapped; any other
-- language (zh, ja, pl, ...) falls back to 'simple' (lower-cased words, no stemming, no stop
-- words). IMMUTABLE, so it can be used in generated columns: changing the mapping later means
-- recomputing the vectors (UPDATE article SET language = language, ... in that migration).
-- Keep the list in claimdesk_websearch_any() below in step with the configurations used here.
CREATE FUNCTION claimdesk_ts_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE lower(split_part(coalesce(language, ''), '-', 1))
    WHEN 'ar' THEN 'arabic'::regconfig
    WHEN 'hy' THEN 'armenian'::regconfig
    WHEN 'eu' THEN 'basque'::regconfig
    WHEN 'ca' THEN 'catalan'::regconfig
    WHEN 'da' THEN 'danish'::regconfig
    WHEN 'nl' THEN 'dutch'::regconfig
    WHEN 'en' THEN 'english'::regconfig
    WHEN 'fi' THEN 'finnish'::regconfig
    WHEN 'fr' THEN 'french'::regconfig
    WHEN 'de' THEN 'german'::regconfig
    WHEN 'el' THEN 'greek'::regconfig
    WHEN 'hi' THEN 'hindi'::regconfig
    WHEN 'hu' THEN 'hungarian'::regconfig
    WHEN 'id' THEN 'indonesian'::regconfig
    WHEN 'ga' THEN 'irish'::regconfig
    WHEN 'it' THEN 'italian'::regconfig
    WHEN 'lt' THEN 'lithuanian'::regconfig
    WHEN 'ne' THEN 'nepali'::regconfig
    WHEN 'no' THEN 'norwegian'::regconfig
    WHEN 'nb' THEN 'norwegian'::regconfig
    WHEN 'nn' THEN 'norwegian'::regconfig
    WHEN 'pt' THEN 'portuguese'::regconfig
    WHEN 'ro' THEN 'romanian'::regconfig
    WHEN 'ru' THEN 'russian'::regconfig
    WHEN 'sr' THEN 'serbian'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig
    WHEN 'sv' THEN 'swedish'::regconfig
    WHEN 'ta' THEN 'tamil'::regconfig
    WHEN 'tr' THEN 'turkish'::regconfig
    WHEN 'yi' THEN 'yiddish'::regconfig
    ELSE 'simple'::regconfig
  END)
$$;

-- A search query as typed by a reader, parsed with one configuration. websearch_to_tsquery accepts
-- any text ("phrases", or, -word; stray quotes, operators, backslashes and punctuation are just
-- text) and never raises a syntax error. A query without a single positive term (empty, only
-- punctuation, only stop words, only exclusions such as "-word") would match (nearly) everything
-- and cannot use an index: it becomes NULL, which matches nothing.
CREATE FUNCTION claimdesk_websearch(config regconfig, query text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN numnode(t) > 0 AND querytree(t) <> 'T' THEN t END
  FROM websearch_to_tsquery(config, query) AS t
$$;

-- OR of tsqueries, skipping NULLs (tsquery_or is strict); NULL when every input is.
CREATE AGGREGATE claimdesk_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);

-- The query parsed by every configuration claimdesk_ts_config() can return, OR-ed together.
-- A row must match the query parsed by *its own* configuration (lexemes only compare when the
-- document and the query went through the same stemmer), but that per-row query cannot drive a
-- GIN index. This constant superset can: the search filters with
-- `vector @@ claimdesk_websearch_any(q)` (index, folded once per statement) AND
-- `vector @@ claimdesk_websearch(<row configuration>, q)` (exact, on the candidates only).
CREATE FUNCTION claimdesk_websearch_any(query text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT claimdesk_tsquery_or(DISTINCT claimdesk_websearch(config::regconfig, query))
  FROM unnest(ARRAY[
    'simple', 'arabic', 'armenian', 'basque', 'catalan', 'danish', 'dutch', 'english',
    'finnish', 'french', 'german', 'greek', 'hindi', 'hungarian', 'indonesian', 'irish',
    'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese', 'romanian', 'russian', 'serbian',
    'spanish', 'swedish', 'tamil', 'turkish', 'yiddish'
  ]) AS config
$$;

-- ---------------------------------------------------------------------------------------------
-- Search vectors (generated: PostgreSQL keeps them in step with every write, whoever writes)
-- ---------------------------------------------------------------------------------------------

-- Articles: title A, summary B, body C, in the article's language.
ALTER TABLE "article" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(claimdesk_ts_config("language"), coalesce("title", '')), 'A')
  || setweight(to_tsvector(claimdesk_ts_config("language"), coalesce("summary", '')), 'B')
  || setweight(to_tsvector(claimdesk_ts_config("language"), coalesce("body", '')), 'C')
) STORED;

-- Claims are written in their article's language, but a generated column cannot read another
-- table: the configuration is copied onto the claim (search_config) by the triggers below, and the
-- vector is generated from it. Statement A, quote B.
ALTER TABLE "claim" ADD COLUMN "search_config" regconfig;

UPDATE "claim" c SET "search_config" = claimdesk_ts_config(a."language") FROM "article" a WHERE a."id" = c."article_id";

ALTER TABLE "claim" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(coalesce("search_config", 'simple'::regconfig), coalesce("statement", '')), 'A')
  || setweight(to_tsvector(coalesce("search_config", 'simple'::regconfig), coalesce("quote", '')), 'B')
) STORED;

-- Sources (people, organisations, documents) are shared by articles in every language and are
-- mostly proper names, which a stemmer for a guessed language would only mangle: 'simple'.
-- Name A, description B. The identity note is never indexed.
ALTER TABLE "source" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple'::regconfig, coalesce("name", '')), 'A')
  || setweight(to_tsvector('simple'::regconfig, coalesce("description", '')), 'B')
) STORED;

-- A claim's configuration always comes from its article (whatever the writer sent). The
-- generated vector is computed after BEFORE triggers, so it sees the value set here.
CREATE FUNCTION claim_search_config_from_article() RETURNS trigger AS $$
BEGIN
  NEW."search_config" := (SELECT claimdesk_ts_config(a."language") FROM "article" a WHERE a."id" = NEW."article_id");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claim_search_config
  BEFORE INSERT OR UPDATE OF "article_id", "search_config" ON "claim"
  FOR EACH ROW EXECUTE FUNCTION claim_search_config_from_article();

-- When an article's language changes, its claims are re-indexed in the new language (the claim
-- trigger above reads the article's new language).
CREATE FUNCTION article_language_to_claims() RETURNS trigger AS $$
BEGIN
  UPDATE "claim" SET "search_config" = claimdesk_ts_config(NEW."language")
  WHERE "article_id" = NEW."id" AND "search_config" IS DISTINCT FROM claimdesk_ts_config(NEW."language");
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER article_language_to_claims
  AFTER UPDATE OF "language" ON "article"
  FOR EACH ROW WHEN (OLD."language" IS DISTINCT FROM NEW."language")
  EXECUTE FUNCTION article_language_to_claims();

-- CreateIndex
CREATE INDEX "article_search_vector_idx" ON "article" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "claim_search_vector_idx" ON "claim" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "source_search_vector_idx" ON "source" USING GIN ("search_vector");

-- ---------------------------------------------------------------------------------------------
-- Indexes for the filters and joins that had none
-- ---------------------------------------------------------------------------------------------
-- Already there (20261129070420_init): article (status, published_at, id), outlet, language,
-- (created_at, id), slug; claim (article_id, position, id), current_rating, kind, (created_at, id);
-- attribution (claim_id, source_id, role) [serves claim_id], source_id, via_id; rebuttal source_id;
-- rebuttal_claim (rebuttal_id, claim_id) [pkey], claim_id; verdict (claim_id, sequence);
-- source name, (created_at, id), external_id.

-- articles(filter: { publishedAfter, publishedBefore }) without a status filter (the
-- (status, published_at, id) index needs the status first).
-- CreateIndex
CREATE INDEX "article_published_at_idx" ON "article"("published_at");

-- An author's articles (a REPORTER's own drafts) and the foreign key to app_user.
-- CreateIndex
CREATE INDEX "article_created_by_id_idx" ON "article"("created_by_id");

-- sources(filter: { kind })
-- CreateIndex
CREATE INDEX "source_kind_idx" ON "source"("kind");

-- sources(filter: { name }) is a case-insensitive substring match (ILIKE '%...%'), and
-- articles(filter: { outlet }) a case-insensitive equality, which Prisma also sends as ILIKE: no
-- b-tree serves either, a trigram index does. pg_trgm ships with PostgreSQL (contrib; present in
-- the Debian PostgreSQL 15 used here and in @embedded-postgres' 17.6) and is a trusted extension
-- (the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "source_name_trgm_idx" ON "source" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "article_outlet_trgm_idx" ON "article" USING GIN ("outlet" gin_trgm_ops);
