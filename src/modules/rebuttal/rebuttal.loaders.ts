import type { Viewer } from "../../context";
import type { PrismaClient } from "../../db/prisma";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { claimReadingOrder } from "../claim/claim.loaders";
import { visibleRebuttalWhere } from "./rebuttal.policy";

const rebuttalOrder = [{ createdAt: "asc" as const }, { id: "asc" as const }];

export function createRebuttalLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const visible = visibleRebuttalWhere(viewer);
  return {
    rebuttalById: rowLoader(
      (ids: readonly string[]) => prisma.rebuttal.findMany({ where: { id: { in: [...ids] }, ...visible } }),
      (rebuttal) => rebuttal.id,
    ),
    rebuttalsBySourceId: groupLoader(
      (sourceIds: readonly string[]) => prisma.rebuttal.findMany({ where: { sourceId: { in: [...sourceIds] }, ...visible }, orderBy: rebuttalOrder }),
      (rebuttal) => rebuttal.sourceId,
    ),
    rebuttalsByClaimId: groupLoader(
      async (claimIds: readonly string[]) => {
        const links = await prisma.rebuttalClaim.findMany({
          where: { claimId: { in: [...claimIds] } },
          include: { rebuttal: true },
          orderBy: [{ rebuttal: { createdAt: "asc" } }, { rebuttalId: "asc" }],
        });
        return links.map((link) => ({ claimId: link.claimId, rebuttal: link.rebuttal }));
      },
      (link) => link.claimId,
    ),
    claimsByRebuttalId: groupLoader(
      async (rebuttalIds: readonly string[]) => {
        const links = await prisma.rebuttalClaim.findMany({
          where: { rebuttalId: { in: [...rebuttalIds] } },
          include: { claim: true },
          orderBy: claimReadingOrder.map((order) => ({ claim: order })),
        });
        return links.map((link) => ({ rebuttalId: link.rebuttalId, claim: link.claim }));
      },
      (link) => link.rebuttalId,
    ),
  };
}
