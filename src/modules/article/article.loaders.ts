import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type { Article } from "../../generated/prisma/client";
import { rowLoader } from "../../shared/loaders";
import type { ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf } from "../../shared/sql";
import { visibleArticleSql } from "./article.policy";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

/** Every field of the Prisma `Article` model, from `article a`. */
const ARTICLE_COLUMNS = columnsOf<Article>({
  id: "a.id",
  slug: "a.slug",
  title: "a.title",
  summary: "a.summary",
  body: "a.body",
  language: "a.language",
  outlet: "a.outlet",
  outletSourceId: "a.outlet_source_id",
  url: "a.url",
  type: "a.type::text",
  publishedAt: "a.published_at",
  publishedPrecision: "a.published_precision::text",
  recordPublishedAt: "a.record_published_at",
  externalId: "a.external_id",
  status: "a.status::text",
  createdById: "a.created_by_id",
  version: "a.version",
  createdAt: "a.created_at",
  updatedAt: "a.updated_at",
});

export function createArticleLoaders(prisma: PrismaClient, viewer: Viewer | null, reads?: ReadTags) {
  const visible = visibleArticleSql(viewer);
  return {
    /** Filtered by the viewer's visibility (root lookups, and claims' articles). */
    articleById: rowLoader(
      (ids: readonly string[]) => prisma.$queryRaw<Article[]>`SELECT ${ARTICLE_COLUMNS} FROM article a WHERE a.id ${anyUuid(ids)} AND ${visible}`,
      (article) => article.id,
      { reads, type: "Article" },
    ),
  };
}
