import type { Viewer } from "../../context";
import type { Prisma } from "../../generated/prisma/client";
import { seesUnpublished } from "../../shared/access";

/** Anonymous readers see attributions of claims in published articles only. */
export function visibleAttributionWhere(viewer: Viewer | null): Prisma.AttributionWhereInput {
  return seesUnpublished(viewer) ? {} : { claim: { article: { status: "PUBLISHED" } } };
}
