import type { PrismaClient } from "../../db/prisma";
import type { Work } from "../../generated/prisma/client";
import { rowLoader } from "../../shared/loaders";
import { anyUuid } from "../../shared/sql";
import type { Viewer } from "../../shared/viewer";
import { WORK_COLUMNS } from "./work.columns";
import { visibleWorkSql } from "./work.policy";

/** The work an attribution, a response or a conduit of a payload row cites (the planner reads the others). */
export function createWorkLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  return {
    workById: rowLoader((ids: readonly string[]) => prisma.$queryRaw<Work[]>`SELECT ${WORK_COLUMNS} FROM work w WHERE w.id ${anyUuid(ids)} AND ${visibleWorkSql(viewer, "w")}`, (work) => work.id),
  };
}
