-- claimdesk model, second version (docs/model.md): responses with provenance and a stance per
-- answer, affiliations, outside works, attribution status, claim relations and clusters, partial
-- dates. Existing rows are carried over (see the comments at each step).

-- CreateEnum
CREATE TYPE "ResponseStance" AS ENUM ('CONFIRMS', 'DENIES', 'DISPUTES', 'CORRECTS', 'CONTEXTUALIZES', 'CONCEDES', 'NEITHER_CONFIRMS_NOR_DENIES', 'DECLINED_TO_COMMENT', 'DID_NOT_RESPOND');

-- CreateEnum
CREATE TYPE "WorkType" AS ENUM ('NEWS_REPORT', 'ANALYSIS', 'INTERVIEW', 'OPINION', 'EDITORIAL', 'PRESS_RELEASE', 'OFFICIAL_STATEMENT', 'BRIEFING_TRANSCRIPT', 'FACT_CHECK', 'BROADCAST', 'SOCIAL_MEDIA_POST', 'REPORT', 'OTHER');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('YEAR', 'MONTH', 'DAY', 'INSTANT');

-- CreateEnum
CREATE TYPE "AttributionStatus" AS ENUM ('ASSERTED', 'ALLEGED', 'DISPUTED', 'REPUDIATED');

-- CreateEnum
CREATE TYPE "ClaimRelationKind" AS ENUM ('SAME_CLAIM', 'COMMENTS_ON', 'CONTRADICTS', 'SUPPORTS');

-- AlterEnum
ALTER TYPE "SourceKind" ADD VALUE 'UNNAMED_PERSON';

-- AlterTable
ALTER TABLE "article" ADD COLUMN     "external_id" VARCHAR(200),
ADD COLUMN     "outlet_source_id" UUID,
ADD COLUMN     "published_precision" "DatePrecision",
ADD COLUMN     "record_published_at" TIMESTAMPTZ(3),
ADD COLUMN     "type" "WorkType" NOT NULL DEFAULT 'NEWS_REPORT';

-- AlterTable
ALTER TABLE "claim" ADD COLUMN     "cluster_id" UUID,
ADD COLUMN     "origin_work_id" UUID;

-- AlterTable
ALTER TABLE "attribution" ADD COLUMN     "anonymity_reason_not_stated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "capacity_id" UUID,
ADD COLUMN     "caveat" VARCHAR(1000),
ADD COLUMN     "status" "AttributionStatus" NOT NULL DEFAULT 'ASSERTED',
ADD COLUMN     "work_id" UUID;

-- AlterTable
ALTER TABLE "verdict" ADD COLUMN     "review_url" VARCHAR(2048);

-- Rebuttals become responses, carried over: the table is renamed (ids, sources, texts, dates and
-- versions kept), and each (rebuttal, claim) link becomes an answer with the rebuttal's stance,
-- mapped onto the new enum. The rebuttal-wide stance column goes: a stance is per answer now.
ALTER TABLE "rebuttal" RENAME TO "response";
ALTER TABLE "response" RENAME CONSTRAINT "rebuttal_pkey" TO "response_pkey";
ALTER TABLE "response" RENAME CONSTRAINT "rebuttal_source_id_fkey" TO "response_source_id_fkey";
ALTER INDEX "rebuttal_source_id_idx" RENAME TO "response_source_id_idx";
ALTER TABLE "response" ADD COLUMN "made_precision" "DatePrecision",
ADD COLUMN "capacity_id" UUID,
ADD COLUMN "anonymity" "AnonymityLevel" NOT NULL DEFAULT 'NAMED',
ADD COLUMN "anonymity_reason" VARCHAR(500),
ADD COLUMN "anonymity_reason_not_stated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "caveat" VARCHAR(1000),
ADD COLUMN "occasion" VARCHAR(300),
ADD COLUMN "place" VARCHAR(300),
ADD COLUMN "work_id" UUID;
-- Dates recorded before precision existed were full instants.
UPDATE "response" SET "made_precision" = 'INSTANT' WHERE "made_at" IS NOT NULL;

CREATE TABLE "response_answer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "response_id" UUID NOT NULL,
    "claim_id" UUID,
    "attribution_id" UUID,
    "stance" "ResponseStance" NOT NULL,
    "quote" VARCHAR(5000),
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "response_answer_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "response_answer_answers_one" CHECK (num_nonnulls("claim_id", "attribution_id") = 1)
);

INSERT INTO "response_answer" ("response_id", "claim_id", "stance", "position")
SELECT link."rebuttal_id", link."claim_id", r."stance"::text::"ResponseStance",
       (row_number() OVER (PARTITION BY link."rebuttal_id" ORDER BY c."position", c."created_at", c."id") - 1)::int
FROM "rebuttal_claim" link
JOIN "response" r ON r."id" = link."rebuttal_id"
JOIN "claim" c ON c."id" = link."claim_id";

-- Prisma generates the ids of new rows; the default above only served the carry-over.
ALTER TABLE "response_answer" ALTER COLUMN "id" DROP DEFAULT;

DROP TABLE "rebuttal_claim";
ALTER TABLE "response" DROP COLUMN "stance";
DROP TYPE "RebuttalStance";

-- CreateTable
CREATE TABLE "response_conduit" (
    "id" UUID NOT NULL,
    "response_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "source_id" UUID NOT NULL,
    "work_id" UUID,

    CONSTRAINT "response_conduit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "affiliation" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "title" VARCHAR(300) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "started_precision" "DatePrecision",
    "ended_at" TIMESTAMPTZ(3),
    "ended_precision" "DatePrecision",
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "affiliation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work" (
    "id" UUID NOT NULL,
    "type" "WorkType" NOT NULL DEFAULT 'NEWS_REPORT',
    "title" VARCHAR(500) NOT NULL,
    "outlet" VARCHAR(200),
    "outlet_source_id" UUID,
    "url" VARCHAR(2048),
    "language" VARCHAR(35),
    "published_at" TIMESTAMPTZ(3),
    "published_precision" "DatePrecision",
    "external_id" VARCHAR(200),
    "note" VARCHAR(2000),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "work_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_cluster" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_relation" (
    "id" UUID NOT NULL,
    "from_claim_id" UUID NOT NULL,
    "to_claim_id" UUID NOT NULL,
    "kind" "ClaimRelationKind" NOT NULL,
    "note" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "claim_relation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "response_capacity_id_idx" ON "response"("capacity_id");

-- CreateIndex
CREATE INDEX "response_work_id_idx" ON "response"("work_id");

-- CreateIndex
CREATE INDEX "response_answer_claim_id_idx" ON "response_answer"("claim_id");

-- CreateIndex
CREATE INDEX "response_answer_attribution_id_idx" ON "response_answer"("attribution_id");

-- CreateIndex
CREATE UNIQUE INDEX "response_answer_response_id_claim_id_key" ON "response_answer"("response_id", "claim_id");

-- CreateIndex
CREATE UNIQUE INDEX "response_answer_response_id_attribution_id_key" ON "response_answer"("response_id", "attribution_id");

-- CreateIndex
CREATE INDEX "response_conduit_source_id_idx" ON "response_conduit"("source_id");

-- CreateIndex
CREATE UNIQUE INDEX "response_conduit_response_id_position_key" ON "response_conduit"("response_id", "position");

-- CreateIndex
CREATE INDEX "affiliation_person_id_idx" ON "affiliation"("person_id");

-- CreateIndex
CREATE INDEX "affiliation_organization_id_idx" ON "affiliation"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_external_id_key" ON "work"("external_id");

-- CreateIndex
CREATE INDEX "work_outlet_source_id_idx" ON "work"("outlet_source_id");

-- CreateIndex
CREATE INDEX "work_created_at_id_idx" ON "work"("created_at", "id");

-- CreateIndex
CREATE INDEX "claim_relation_to_claim_id_idx" ON "claim_relation"("to_claim_id");

-- CreateIndex
CREATE UNIQUE INDEX "claim_relation_from_claim_id_to_claim_id_kind_key" ON "claim_relation"("from_claim_id", "to_claim_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "article_external_id_key" ON "article"("external_id");

-- CreateIndex
CREATE INDEX "article_outlet_source_id_idx" ON "article"("outlet_source_id");

-- CreateIndex
CREATE INDEX "claim_cluster_id_idx" ON "claim"("cluster_id");

-- CreateIndex
CREATE INDEX "claim_origin_work_id_idx" ON "claim"("origin_work_id");

-- CreateIndex
CREATE INDEX "source_kind_name_idx" ON "source"("kind", "name");

-- CreateIndex
CREATE INDEX "attribution_capacity_id_idx" ON "attribution"("capacity_id");

-- CreateIndex
CREATE INDEX "attribution_work_id_idx" ON "attribution"("work_id");

-- AddForeignKey
ALTER TABLE "article" ADD CONSTRAINT "article_outlet_source_id_fkey" FOREIGN KEY ("outlet_source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "claim_cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_origin_work_id_fkey" FOREIGN KEY ("origin_work_id") REFERENCES "work"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution" ADD CONSTRAINT "attribution_capacity_id_fkey" FOREIGN KEY ("capacity_id") REFERENCES "affiliation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attribution" ADD CONSTRAINT "attribution_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response" ADD CONSTRAINT "response_capacity_id_fkey" FOREIGN KEY ("capacity_id") REFERENCES "affiliation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response" ADD CONSTRAINT "response_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_answer" ADD CONSTRAINT "response_answer_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_answer" ADD CONSTRAINT "response_answer_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_answer" ADD CONSTRAINT "response_answer_attribution_id_fkey" FOREIGN KEY ("attribution_id") REFERENCES "attribution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_conduit" ADD CONSTRAINT "response_conduit_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_conduit" ADD CONSTRAINT "response_conduit_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "response_conduit" ADD CONSTRAINT "response_conduit_work_id_fkey" FOREIGN KEY ("work_id") REFERENCES "work"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work" ADD CONSTRAINT "work_outlet_source_id_fkey" FOREIGN KEY ("outlet_source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_from_claim_id_fkey" FOREIGN KEY ("from_claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_to_claim_id_fkey" FOREIGN KEY ("to_claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Carried over and checked by the database
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "claim_relation" ADD CONSTRAINT "claim_relation_not_to_itself" CHECK ("from_claim_id" <> "to_claim_id");
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_not_to_itself" CHECK ("person_id" <> "organization_id");

-- Articles: publishArticle used to stamp published_at = now() on an article that had no date. The
-- audit log tells those stamps apart (a PUBLISH entry whose publishedAt went from null to a value):
-- that instant is when the record was published in claimdesk, not when the outlet published it.
WITH first_publish AS (
  SELECT DISTINCT ON ("entity_id") "entity_id" AS article_id, "created_at",
         ("changes" -> 'publishedAt' ->> 'after') AS stamped
  FROM "audit_entry"
  WHERE "entity" = 'Article' AND "action" = 'PUBLISH'
  ORDER BY "entity_id", "sequence"
)
UPDATE "article" a
SET "record_published_at" = coalesce(fp.stamped::timestamptz, fp."created_at")
FROM first_publish fp
WHERE fp.article_id = a."id";

WITH stamped AS (
  SELECT DISTINCT "entity_id" AS article_id, ("changes" -> 'publishedAt' ->> 'after')::timestamptz AS at
  FROM "audit_entry"
  WHERE "entity" = 'Article' AND "action" = 'PUBLISH'
    AND "changes" ? 'publishedAt' AND ("changes" -> 'publishedAt' -> 'before') = 'null'::jsonb
)
UPDATE "article" a SET "published_at" = NULL
FROM stamped s
WHERE s.article_id = a."id" AND a."published_at" = s.at;

-- Published before the audit log could tell: the record's publication is the best known instant.
UPDATE "article" SET "record_published_at" = "published_at"
WHERE "status" = 'PUBLISHED' AND "record_published_at" IS NULL;

UPDATE "article" SET "published_precision" = 'INSTANT' WHERE "published_at" IS NOT NULL;

-- An article's outlet becomes a link to its source when exactly one news outlet or agency has that name.
UPDATE "article" a SET "outlet_source_id" = s."id"
FROM "source" s
WHERE a."outlet" IS NOT NULL
  AND s."kind" IN ('NEWS_OUTLET', 'NEWS_AGENCY')
  AND lower(s."name") = lower(a."outlet")
  AND (SELECT count(*) FROM "source" t WHERE t."kind" IN ('NEWS_OUTLET', 'NEWS_AGENCY') AND lower(t."name") = lower(a."outlet")) = 1;

-- A precision needs a date. A date without one (written by a tool that predates precision) reads as an instant.
ALTER TABLE "article" ADD CONSTRAINT "article_published_precision" CHECK ("published_precision" IS NULL OR "published_at" IS NOT NULL);
ALTER TABLE "work" ADD CONSTRAINT "work_published_precision" CHECK ("published_precision" IS NULL OR "published_at" IS NOT NULL);
ALTER TABLE "response" ADD CONSTRAINT "response_made_precision" CHECK ("made_precision" IS NULL OR "made_at" IS NOT NULL);
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_started_precision" CHECK ("started_precision" IS NULL OR "started_at" IS NOT NULL);
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_ended_precision" CHECK ("ended_precision" IS NULL OR "ended_at" IS NOT NULL);
