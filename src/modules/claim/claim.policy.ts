import type { Viewer } from "../../context";
import type { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Anonymous readers see the claims of published articles only. */
export function visibleClaimWhere(viewer: Viewer | null): Prisma.ClaimWhereInput {
  return seesUnpublished(viewer) ? {} : { article: { status: "PUBLISHED" } };
}
