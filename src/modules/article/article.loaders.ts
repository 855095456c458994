import type { PrismaClient } from "../../db/prisma";
import { rowLoader } from "../../shared/loaders";

export function createArticleLoaders(prisma: PrismaClient) {
  return {
    articleById: rowLoader(
      (ids: readonly string[]) => prisma.article.findMany({ where: { id: { in: [...ids] } } }),
      (article) => article.id,
    ),
  };
}
