import type { PrismaClient } from "../../db/prisma";
import { Prisma } from "../../generated/prisma/client";
import { partialDateSql } from "../../shared/partial-date";
import { anyUuid } from "../../shared/sql";
import { buildClaimReview, type ClaimReviewFacts } from "./claimreview.build";
import type { ClaimReviewSettings } from "./claimreview.settings";

/** Anything that runs a raw query: the Prisma client or a transaction. */
export type ClaimReviewDb = Pick<PrismaClient, "$queryRaw">;

/** A row of the facts statement: an article, with the facts of one of its reviewed claims or none. */
type FactsRow = Omit<ClaimReviewFacts, "claimId"> & { claimId: string | null };

/**
 * The facts of every reviewed claim (latest verdict not UNVERIFIED) of the PUBLISHED articles
 * meeting `articleWhere`, restricted to the claims meeting `claimWhere`, in ONE statement: one
 * row per reviewed claim, and one row with a null claimId for a published article with none.
 *
 * The claim's author is one CLAIMANT attribution the source is known or alleged to have made
 * (ASSERTED, then ALLEGED; never DISPUTED or REPUDIATED), a named one first. The source's name and
 * url leave the database only for a NAMED attribution of a named source (not UNNAMED_*): for an
 * ANONYMOUS or PARTIAL one, only its kind is read. identity_note is never read.
 */
function factsStatement(articleWhere: Prisma.Sql, claimWhere: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT a.id::text AS "articleId", a.slug AS "articleSlug", a.title AS "articleTitle", a.url AS "articleUrl",
      ${Prisma.raw(partialDateSql("a.published_at", "a.published_precision"))} AS "articleDate", r.*
    FROM article a
    LEFT JOIN LATERAL (
      SELECT c.id::text AS "claimId", c.statement, c.position,
        v.id::text AS "verdictId", v.rating::text AS rating, v.review_url AS "reviewUrl", v.created_at AS "reviewedAt",
        w.id::text AS "workId", w.title AS "workTitle", w.url AS "workUrl",
        ${Prisma.raw(partialDateSql("w.published_at", "w.published_precision"))} AS "workDate",
        cl.id::text AS "attributionId", cl.source_id::text AS "sourceId", cl.kind::text AS "sourceKind", cl.named AS "claimantNamed",
        CASE WHEN cl.named THEN cl.name END AS "claimantName", CASE WHEN cl.named THEN cl.url END AS "claimantUrl"
      FROM claim c
      JOIN LATERAL (
        SELECT lv.id, lv.rating, lv.review_url, lv.created_at FROM verdict lv WHERE lv.claim_id = c.id ORDER BY lv.sequence DESC LIMIT 1
      ) v ON v.rating <> 'UNVERIFIED'
      LEFT JOIN work w ON w.id = c.origin_work_id
      LEFT JOIN LATERAL (
        SELECT t.id, t.source_id, s.kind, s.name, s.url,
          (t.anonymity = 'NAMED' AND s.kind NOT IN ('UNNAMED_GROUP', 'UNNAMED_PERSON')) AS named
        FROM attribution t JOIN source s ON s.id = t.source_id
        WHERE t.claim_id = c.id AND t.role = 'CLAIMANT' AND t.status IN ('ASSERTED', 'ALLEGED')
        ORDER BY named DESC, t.status = 'ASSERTED' DESC, t.created_at, t.id
        LIMIT 1
      ) cl ON TRUE
      WHERE c.article_id = a.id AND ${claimWhere}
    ) r ON TRUE
    WHERE a.status = 'PUBLISHED' AND ${articleWhere}
    ORDER BY a.id, r.position, r."claimId"`;
}

function reviewed(rows: FactsRow[]): ClaimReviewFacts[] {
  return rows.filter((row): row is ClaimReviewFacts => row.claimId !== null);
}

/** The facts of these claims that have a review (the others, and claims of unpublished articles, are absent). */
export async function claimReviewFactsOfClaims(db: ClaimReviewDb, claimIds: readonly string[]): Promise<ClaimReviewFacts[]> {
  const rows = await db.$queryRaw<FactsRow[]>(
    factsStatement(Prisma.sql`a.id IN (SELECT ca.article_id FROM claim ca WHERE ca.id ${anyUuid(claimIds)})`, Prisma.sql`c.id ${anyUuid(claimIds)}`),
  );
  return reviewed(rows);
}

function reviewsOf(facts: ClaimReviewFacts[], settings: ClaimReviewSettings): Array<Record<string, unknown>> {
  return facts.flatMap((row) => {
    const review = buildClaimReview(row, settings);
    return review ? [review] : [];
  });
}

/**
 * The ClaimReviews of each PUBLISHED article among `articleIds`, in claim order, in ONE statement
 * (for the export's ClaimReview mode). Unknown and unpublished articles are absent from the map; a
 * published article without reviews maps to []. Nothing is produced when ClaimReview is off.
 */
export async function claimReviewsForArticles(db: ClaimReviewDb, articleIds: readonly string[], settings: ClaimReviewSettings): Promise<Map<string, Array<Record<string, unknown>>>> {
  const byArticle = new Map<string, Array<Record<string, unknown>>>();
  if (!settings.publisher || articleIds.length === 0) return byArticle;
  const rows = await db.$queryRaw<FactsRow[]>(factsStatement(Prisma.sql`a.id ${anyUuid(articleIds)}`, Prisma.sql`TRUE`));
  for (const row of rows) {
    const reviews = byArticle.get(row.articleId) ?? [];
    byArticle.set(row.articleId, reviews);
    if (row.claimId !== null) reviews.push(...reviewsOf([row as ClaimReviewFacts], settings));
  }
  return byArticle;
}

/** The ClaimReviews of the PUBLISHED article with this slug (ONE statement), or null when there is none (or ClaimReview is off). */
export async function claimReviewsForArticleSlug(db: ClaimReviewDb, slug: string, settings: ClaimReviewSettings): Promise<Array<Record<string, unknown>> | null> {
  if (!settings.publisher) return null;
  const rows = await db.$queryRaw<FactsRow[]>(factsStatement(Prisma.sql`a.slug = ${slug}`, Prisma.sql`TRUE`));
  if (rows.length === 0) return null;
  return reviewsOf(reviewed(rows), settings);
}
