/**
 * `npm run export -- --format claimreview`: the schema.org ClaimReview objects of the PUBLISHED
 * articles matching the filters, one JSON object per line (NDJSON), built by the ClaimReview module
 * (`claimReviewsForArticles`, one statement per page of article ids) with the server's settings.
 */
import { createPrismaClient } from "../db/prisma";
import { claimReviewsForArticles } from "../modules/claimreview";
import type { ClaimReviewSettings } from "../modules/claimreview/claimreview.settings";
import { articleFilter, writeWithBackpressure, type ExportOptions } from "./export";

export interface ClaimReviewExportOptions extends Pick<ExportOptions, "databaseUrl" | "out" | "status" | "outlet" | "since" | "until"> {
  settings: ClaimReviewSettings;
  /** Article ids per statement (default 500). */
  pageSize?: number;
  onProgress?: (articles: number, reviews: number) => void;
}

export interface ClaimReviewExportResult {
  /** Published articles matching the filters. */
  articles: number;
  /** ClaimReview objects written. */
  reviews: number;
}

export async function exportClaimReviews(options: ClaimReviewExportOptions): Promise<ClaimReviewExportResult> {
  const pageSize = options.pageSize ?? 500;
  const { where, params } = articleFilter(options);
  const prisma = createPrismaClient(options.databaseUrl, { poolSize: 1 });
  let articles = 0;
  let reviews = 0;
  try {
    // Keyset pages of published article ids (id order); the reviews of a page in ONE statement.
    const after = `$${params.length + 1}::uuid`;
    const sql = `SELECT a.id::text AS id FROM article a WHERE a.status = 'PUBLISHED' ${where.map((w) => `AND ${w} `).join("")}
                 AND (${after} IS NULL OR a.id > ${after}) ORDER BY a.id LIMIT ${Number(pageSize)}`;
    let last: string | null = null;
    for (;;) {
      const rows: Array<{ id: string }> = await prisma.$queryRawUnsafe(sql, ...params, last);
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.id);
      last = ids[ids.length - 1]!;
      const byArticle = await claimReviewsForArticles(prisma, ids, options.settings);
      let chunk = "";
      for (const id of ids) {
        for (const review of byArticle.get(id) ?? []) {
          chunk += `${JSON.stringify(review)}\n`;
          reviews++;
        }
      }
      articles += ids.length;
      if (chunk) await writeWithBackpressure(options.out, chunk);
      options.onProgress?.(articles, reviews);
      if (rows.length < pageSize) break;
    }
    return { articles, reviews };
  } finally {
    await prisma.$disconnect();
  }
}
