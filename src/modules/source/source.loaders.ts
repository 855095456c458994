import type { Viewer } from "../../context";
import type { PrismaClient } from "../../db/prisma";
import { rowLoader } from "../../shared/loaders";
import { visibleSourceWhere } from "./source.policy";

export function createSourceLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const visible = visibleSourceWhere(viewer);
  return {
    sourceById: rowLoader(
      (ids: readonly string[]) => prisma.source.findMany({ where: { id: { in: [...ids] }, ...visible } }),
      (source) => source.id,
    ),
  };
}
