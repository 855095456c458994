import type { Viewer } from "../../context";
import type { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Anonymous readers see rebuttals of claims in published articles only. */
export function visibleRebuttalWhere(viewer: Viewer | null): Prisma.RebuttalWhereInput {
  return seesUnpublished(viewer) ? {} : { claims: { some: { claim: { article: { status: "PUBLISHED" } } } } };
}
