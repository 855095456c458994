import type { PrismaClient } from "../../db/prisma";
import { groupLoader, rowLoader } from "../../shared/loaders";

export const claimReadingOrder = [{ position: "asc" as const }, { createdAt: "asc" as const }, { id: "asc" as const }];

export function createClaimLoaders(prisma: PrismaClient) {
  return {
    claimById: rowLoader(
      (ids: readonly string[]) => prisma.claim.findMany({ where: { id: { in: [...ids] } } }),
      (claim) => claim.id,
    ),
    claimsByArticleId: groupLoader(
      (articleIds: readonly string[]) =>
        prisma.claim.findMany({ where: { articleId: { in: [...articleIds] } }, orderBy: claimReadingOrder }),
      (claim) => claim.articleId,
    ),
  };
}
