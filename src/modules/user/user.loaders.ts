import type { PrismaClient } from "../../db/prisma";
import { rowLoader } from "../../shared/loaders";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

export function createUserLoaders(prisma: PrismaClient) {
  return {
    userById: rowLoader(
      (ids: readonly string[]) => prisma.user.findMany({ where: { id: { in: [...ids] } } }),
      (user) => user.id,
    ),
  };
}
