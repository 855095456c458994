import type { Viewer } from "../../context";
import type { PrismaClient } from "../../db/prisma";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { visibleClaimWhere } from "./claim.policy";

export const claimReadingOrder = [{ position: "asc" as const }, { createdAt: "asc" as const }, { id: "asc" as const }];

export function createClaimLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const visible = visibleClaimWhere(viewer);
  return {
    claimById: rowLoader(
      (ids: readonly string[]) => prisma.claim.findMany({ where: { id: { in: [...ids] }, ...visible } }),
      (claim) => claim.id,
    ),
    /** Only called for articles the viewer can see, so the claims need no further filter. */
    claimsByArticleId: groupLoader(
      (articleIds: readonly string[]) =>
        prisma.claim.findMany({ where: { articleId: { in: [...articleIds] } }, orderBy: claimReadingOrder }),
      (claim) => claim.articleId,
    ),
  };
}
