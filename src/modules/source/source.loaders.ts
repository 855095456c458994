import type { PrismaClient } from "../../db/prisma";
import { rowLoader } from "../../shared/loaders";

export function createSourceLoaders(prisma: PrismaClient) {
  return {
    sourceById: rowLoader(
      (ids: readonly string[]) => prisma.source.findMany({ where: { id: { in: [...ids] } } }),
      (source) => source.id,
    ),
  };
}
