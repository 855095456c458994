import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type { Article } from "../../generated/prisma/client";
import { rowLoader } from "../../shared/loaders";
import type { ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf } from "../../shared/sql";
import { visibleArticleSql } from "./article.policy";

/** Every field of the Prisma `Article` model, from `article a`. */
export const ARTICLE_COLUMNS = columnsOf<Article>({
  id: "a.id",
  slug: "a.slug",
  title: "a.title",
  summary: "a.summary",
  body: "a.body",
  language: "a.language",
  outlet: "a.outlet",
  url: "a.url",
  publishedAt: "a.published_at",
  status: "a.status::text",
  createdById: "a.created_by_id",
  version: "a.version",
  createdAt: "a.created_at",
  updatedAt: "a.updated_at",
});

/** The article with this slug, or null when there is none or the viewer may not see it. */
export async function articleBySlug(prisma: PrismaClient, viewer: Viewer | null, slug: string): Promise<Article | null> {
  const rows = await prisma.$queryRaw<Article[]>`
    SELECT ${ARTICLE_COLUMNS} FROM article a WHERE a.slug = ${slug} AND ${visibleArticleSql(viewer)} LIMIT 1`;
  return rows[0] ?? null;
}

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
