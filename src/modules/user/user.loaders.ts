import type { PrismaClient } from "../../db/prisma";
import { rowLoader } from "../../shared/loaders";

export function createUserLoaders(prisma: PrismaClient) {
  return {
    userById: rowLoader(
      (ids: readonly string[]) => prisma.user.findMany({ where: { id: { in: [...ids] } } }),
      (user) => user.id,
    ),
  };
}
