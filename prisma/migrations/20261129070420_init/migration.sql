-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ArticleStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "ClaimKind" AS ENUM ('FACTUAL', 'QUANTITATIVE', 'ASSESSMENT', 'EVENT', 'PREDICTION', 'ATTRIBUTION');

-- CreateEnum
CREATE TYPE "AnchorState" AS ENUM ('ANCHORED', 'RELOCATED', 'ORPHANED');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('PERSON', 'ORGANIZATION', 'GOVERNMENT', 'COMPANY', 'NEWS_OUTLET', 'NEWS_AGENCY', 'DOCUMENT', 'DATASET', 'UNNAMED_GROUP');

-- CreateEnum
CREATE TYPE "AttributionRole" AS ENUM ('CLAIMANT', 'CONDUIT', 'EVIDENCE', 'CONTEXT');

-- CreateEnum
CREATE TYPE "AnonymityLevel" AS ENUM ('NAMED', 'PARTIAL', 'ANONYMOUS');

-- CreateEnum
CREATE TYPE "RebuttalStance" AS ENUM ('DENIES', 'DISPUTES', 'CORRECTS', 'CONTEXTUALIZES', 'CONCEDES');

-- CreateEnum
CREATE TYPE "VerdictRating" AS ENUM ('UNVERIFIED', 'SUPPORTED', 'MOSTLY_SUPPORTED', 'MISLEADING', 'DISPUTED', 'REFUTED', 'UNPROVABLE');

-- CreateTable
CREATE TABLE "article" (
    "id" UUID NOT NULL,
    "slug" VARCHAR(200) NOT NULL,
    "title" VARCHAR(300) NOT NULL,
    "summary" VARCHAR(2000),
    "body" TEXT NOT NULL DEFAULT '',
    "language" VARCHAR(35) NOT NULL DEFAULT 'en',
    "outlet" VARCHAR(200),
    "url" VARCHAR(2048),
    "published_at" TIMESTAMPTZ(3),
    "status" "ArticleStatus" NOT NULL DEFAULT 'DRAFT',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim" (
    "id" UUID NOT NULL,
    "article_id" UUID NOT NULL,
    "statement" VARCHAR(1000) NOT NULL,
    "kind" "ClaimKind" NOT NULL DEFAULT 'FACTUAL',
    "quote" VARCHAR(5000),
    "anchor_start" INTEGER,
    "anchor_end" INTEGER,
    "anchor_prefix" VARCHAR(64),
    "anchor_suffix" VARCHAR(64),
    "anchor_state" "AnchorState",
    "quantity_value" DOUBLE PRECISION,
    "quantity_unit" VARCHAR(100),
    "quantity_subject" VARCHAR(300),
    "quantity_period" VARCHAR(100),
    "current_rating" "VerdictRating" NOT NULL DEFAULT 'UNVERIFIED',
    "position" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source" (
    "id" UUID NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "name" VARCHAR(300) NOT NULL,
    "description" VARCHAR(2000),
    "url" VARCHAR(2048),
    "external_id" VARCHAR(200),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attribution" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "role" "AttributionRole" NOT NULL,
    "anonymity" "AnonymityLevel" NOT NULL DEFAULT 'NAMED',
    "anonymity_reason" VARCHAR(500),
    "quote" VARCHAR(5000),
    "via_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "attribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rebuttal" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "stance" "RebuttalStance" NOT NULL,
    "text" VARCHAR(5000) NOT NULL,
    "quote" VARCHAR(5000),
    "on_record" BOOLEAN NOT NULL DEFAULT true,
    "made_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rebuttal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rebuttal_claim" (
    "rebuttal_id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,

    CONSTRAINT "rebuttal_claim_pkey" PRIMARY KEY ("rebuttal_id","claim_id")
);

-- CreateTable
CREATE TABLE "verdict" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "rating" "VerdictRating" NOT NULL,
    "rationale" VARCHAR(5000),
    "sequence" SERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verdict_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "article_slug_key" ON "article"("slug");

-- CreateIndex
CREATE INDEX "article_status_published_at_id_idx" ON "article"("status", "published_at", "id");

-- CreateIndex
CREATE INDEX "article_outlet_idx" ON "article"("outlet");

-- CreateIndex
CREATE INDEX "article_language_idx" ON "article"("language");

-- CreateIndex
CREATE INDEX "article_created_at_id_idx" ON "article"("created_at", "id");

-- CreateIndex
CREATE INDEX "claim_article_id_position_id_idx" ON "claim"("article_id", "position", "id");

-- CreateIndex
CREATE INDEX "claim_current_rating_idx" ON "claim"("current_rating");

-- CreateIndex
CREATE INDEX "claim_kind_idx" ON "claim"("kind");

-- CreateIndex
CREATE INDEX "claim_created_at_id_idx" ON "claim"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "source_external_id_key" ON "source"("external_id");

-- CreateIndex
CREATE INDEX "source_name_idx" ON "source"("name");

-- CreateIndex
CREATE INDEX "source_created_at_id_idx" ON "source"("created_at", "id");

-- CreateIndex
CREATE INDEX "attribution_source_id_idx" ON "attribution"("source_id");

-- CreateIndex
CREATE INDEX "attribution_via_id_idx" ON "attribution"("via_id");

-- CreateIndex
CREATE UNIQUE INDEX "attribution_claim_id_source_id_role_key" ON "attribution"("claim_id", "source_id", "role");

-- CreateIndex
CREATE INDEX "rebuttal_source_id_idx" ON "rebuttal"("source_id");

-- CreateIndex
CREATE INDEX "rebuttal_claim_claim_id_idx" ON "rebuttal_claim"("claim_id");

-- CreateIndex
CREATE INDEX "verdict_claim_id_sequence_idx" ON "verdict"("claim_id", "sequence");

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution" ADD CONSTRAINT "attribution_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution" ADD CONSTRAINT "attribution_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution" ADD CONSTRAINT "attribution_via_id_fkey" FOREIGN KEY ("via_id") REFERENCES "attribution"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rebuttal" ADD CONSTRAINT "rebuttal_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rebuttal_claim" ADD CONSTRAINT "rebuttal_claim_rebuttal_id_fkey" FOREIGN KEY ("rebuttal_id") REFERENCES "rebuttal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rebuttal_claim" ADD CONSTRAINT "rebuttal_claim_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "verdict" ADD CONSTRAINT "verdict_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Verdicts are an append-only history: no row is ever rewritten, and none is deleted except by
-- the cascade that removes a deleted claim's history (that delete runs inside the foreign key's
-- own trigger, hence pg_trigger_depth() > 1).
CREATE FUNCTION verdict_is_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'verdict history is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER verdict_append_only
  BEFORE UPDATE OR DELETE ON "verdict"
  FOR EACH ROW EXECUTE FUNCTION verdict_is_append_only();
