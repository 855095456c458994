import type { Viewer } from "../../context";
import type { PrismaClient } from "../../db/prisma";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { visibleAttributionWhere } from "./attribution.policy";

const attributionOrder = [{ createdAt: "asc" as const }, { id: "asc" as const }];

export function createAttributionLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const visible = visibleAttributionWhere(viewer);
  return {
    attributionById: rowLoader(
      (ids: readonly string[]) => prisma.attribution.findMany({ where: { id: { in: [...ids] }, ...visible } }),
      (attribution) => attribution.id,
    ),
    attributionsByClaimId: groupLoader(
      (claimIds: readonly string[]) => prisma.attribution.findMany({ where: { claimId: { in: [...claimIds] } }, orderBy: attributionOrder }),
      (attribution) => attribution.claimId,
    ),
    attributionsBySourceId: groupLoader(
      (sourceIds: readonly string[]) => prisma.attribution.findMany({ where: { sourceId: { in: [...sourceIds] }, ...visible }, orderBy: attributionOrder }),
      (attribution) => attribution.sourceId,
    ),
  };
}
