import type { Viewer } from "../../context";
import type { PrismaClient } from "../../db/prisma";
import { rowLoader } from "../../shared/loaders";
import { visibleArticleWhere } from "./article.policy";

export function createArticleLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const visible = visibleArticleWhere(viewer);
  return {
    articleById: rowLoader(
      (ids: readonly string[]) => prisma.article.findMany({ where: { id: { in: [...ids] }, ...visible } }),
      (article) => article.id,
    ),
  };
}
