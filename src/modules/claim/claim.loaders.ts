import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type DataLoader from "dataloader";
import type { Claim, Verdict } from "../../generated/prisma/client";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { recordRead, type ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf, splitJoined } from "../../shared/sql";
import { JOINED_VERDICT_COLUMNS, JOINED_VERDICT_PREFIX } from "../verdict/verdict.loaders";
import { visibleClaimSql } from "./claim.policy";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

/** Every field of the Prisma `Claim` model, from `claim c`. */
export const CLAIM_COLUMNS = columnsOf<Claim>({
  id: "c.id",
  articleId: "c.article_id",
  statement: "c.statement",
  kind: "c.kind::text",
  quote: "c.quote",
  anchorStart: "c.anchor_start",
  anchorEnd: "c.anchor_end",
  anchorPrefix: "c.anchor_prefix",
  anchorSuffix: "c.anchor_suffix",
  anchorState: "c.anchor_state::text",
  quantityValue: "c.quantity_value",
  quantityUnit: "c.quantity_unit",
  quantitySubject: "c.quantity_subject",
  quantityPeriod: "c.quantity_period",
  currentRating: "c.current_rating::text",
  clusterId: "c.cluster_id",
  originWorkId: "c.origin_work_id",
  position: "c.position",
  version: "c.version",
  createdAt: "c.created_at",
  updatedAt: "c.updated_at",
});

/**
 * `latestVerdict` is the loader of each claim's current verdict: the claims of an article are
 * selected with theirs (a LATERAL join on verdict (claim_id, sequence)), primed there, so
 * `Claim.verdict` under `Article.claims` costs no statement of its own.
 */
export function createClaimLoaders(prisma: PrismaClient, viewer: Viewer | null, latestVerdict: DataLoader<string, Verdict | null>, reads?: ReadTags) {
  const visible = visibleClaimSql(viewer);
  const withLatestVerdicts = (rows: Claim[]) =>
    rows.map((row) => {
      const [claim, verdict] = splitJoined<Claim, Verdict>(row, JOINED_VERDICT_PREFIX);
      // A claim without verdict rows joins nulls, whatever the column types say.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      latestVerdict.prime(claim.id, verdict.id === null ? null : verdict);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- as above
      if (verdict.id !== null) recordRead(reads, "Verdict", verdict.id);
      return claim;
    });
  return {
    /** Filtered by the viewer's visibility: for root lookups (`claim(id)`, search hits, input ids). */
    claimById: rowLoader(
      (ids: readonly string[]) => prisma.$queryRaw<Claim[]>`SELECT ${CLAIM_COLUMNS} FROM claim c WHERE c.id ${anyUuid(ids)} AND ${visible}`,
      (claim) => claim.id,
      { reads, type: "Claim" },
    ),
    /**
     * NOT filtered: only for the claim of an attribution the viewer can already see. An attribution
     * is visible exactly when its claim is (both: the claim's article is PUBLISHED, or the viewer
     * is staff), so the filter would only cost a join.
     */
    claimByIdOfVisibleAttribution: rowLoader(
      (ids: readonly string[]) => prisma.$queryRaw<Claim[]>`SELECT ${CLAIM_COLUMNS} FROM claim c WHERE c.id ${anyUuid(ids)}`,
      (claim) => claim.id,
      { reads, type: "Claim" },
    ),
    /** NOT filtered: only called for articles the viewer can see, so their claims are visible too. */
    claimsByVisibleArticleId: groupLoader(
      async (articleIds: readonly string[]) =>
        withLatestVerdicts(
          await prisma.$queryRaw<Claim[]>`
            SELECT ${CLAIM_COLUMNS}, ${JOINED_VERDICT_COLUMNS}
            FROM claim c
            LEFT JOIN LATERAL (SELECT * FROM verdict lv WHERE lv.claim_id = c.id ORDER BY lv.sequence DESC LIMIT 1) v ON TRUE
            WHERE c.article_id ${anyUuid(articleIds)}
            ORDER BY c.position, c.created_at, c.id`,
        ),
      (claim) => claim.articleId,
      { reads, type: "Claim", parent: "Article" },
    ),
  };
}
