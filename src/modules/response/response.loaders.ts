import type { Viewer } from "../../shared/viewer";
import type { PrismaClient } from "../../db/prisma";
import type DataLoader from "dataloader";
import { Prisma, type Affiliation, type Claim, type Response, type ResponseAnswer, type ResponseConduit, type Source } from "../../generated/prisma/client";
import { groupLoader, rowLoader } from "../../shared/loaders";
import { recordRead, type ReadTags } from "../../shared/read-tags";
import { anyUuid, columnsOf, splitJoined } from "../../shared/sql";
import { JOINED_SOURCE_COLUMNS, JOINED_SOURCE_PREFIX } from "../source/source.loaders";
import { CLAIM_COLUMNS } from "../claim/claim.loaders";
import { AFFILIATION_COLUMNS } from "../affiliation/affiliation.loaders";
import { visibleResponseAnswerSql, visibleResponseSql } from "./response.policy";

/*
 * DataLoaders: only where the read planner (src/shared/planner) does not compile the tree, i.e. the
 * fields under a mutation's payload (a row the write gate returns, not a planned row) and the
 * lookups the write path makes. Every root read field is planned (one statement).
 */

/** Every field of the Prisma `Response` model, from `response r`. */
const RESPONSE_COLUMNS = columnsOf<Response>({
  id: "r.id",
  sourceId: "r.source_id",
  text: "r.text",
  quote: "r.quote",
  onRecord: "r.on_record",
  madeAt: "r.made_at",
  madePrecision: "r.made_precision::text",
  capacityId: "r.capacity_id",
  anonymity: "r.anonymity::text",
  anonymityReason: "r.anonymity_reason",
  anonymityReasonNotStated: "r.anonymity_reason_not_stated",
  caveat: "r.caveat",
  occasion: "r.occasion",
  place: "r.place",
  workId: "r.work_id",
  version: "r.version",
  createdAt: "r.created_at",
  updatedAt: "r.updated_at",
});

/** Every field of the Prisma `ResponseAnswer` model, from `response_answer ra`. */
const RESPONSE_ANSWER_COLUMNS = columnsOf<ResponseAnswer>({
  id: "ra.id",
  responseId: "ra.response_id",
  claimId: "ra.claim_id",
  attributionId: "ra.attribution_id",
  stance: "ra.stance::text",
  quote: "ra.quote",
  position: "ra.position",
});

/** Every field of the Prisma `ResponseConduit` model, from `response_conduit rc`. */
const RESPONSE_CONDUIT_COLUMNS = columnsOf<ResponseConduit>({
  id: "rc.id",
  responseId: "rc.response_id",
  position: "rc.position",
  sourceId: "rc.source_id",
  workId: "rc.work_id",
});

/** `sourceOfVisible`: as for attributions, a visible response's source is primed from the same statement. */
export function createResponseLoaders(prisma: PrismaClient, viewer: Viewer | null, sourceOfVisible: DataLoader<string, Source | null>, reads?: ReadTags) {
  const visible = visibleResponseSql(viewer);
  const visibleAnswer = visibleResponseAnswerSql(viewer);
  /** Responses answering the targets (claims or attributions) with their sources primed: visible, as their target is. */
  const answering = (column: "claim_id" | "attribution_id") => async (targetIds: readonly string[]) => {
    const rows = await prisma.$queryRaw<Array<Response & { linkTargetId: string }>>`
      SELECT ra.${Prisma.raw(column)} AS "linkTargetId", ${RESPONSE_COLUMNS}, ${JOINED_SOURCE_COLUMNS}
      FROM response_answer ra JOIN response r ON r.id = ra.response_id JOIN source s ON s.id = r.source_id
      WHERE ra.${Prisma.raw(column)} ${anyUuid(targetIds)}
      ORDER BY r.created_at, r.id`;
    return rows.map((row) => {
      const [{ linkTargetId, ...response }, source] = splitJoined<typeof row, Source>(row, JOINED_SOURCE_PREFIX);
      sourceOfVisible.prime(source.id, source);
      recordRead(reads, "Source", source.id);
      return { targetId: linkTargetId, response: response };
    });
  };
  return {
    /** Filtered: a visible source may also have responded to unpublished claims only. */
    responsesBySourceId: groupLoader(
      (sourceIds: readonly string[]) =>
        prisma.$queryRaw<Response[]>`
          SELECT ${RESPONSE_COLUMNS} FROM response r WHERE r.source_id ${anyUuid(sourceIds)} AND ${visible}
          ORDER BY r.created_at, r.id`,
      (response) => response.sourceId,
      { reads, type: "Response", parent: "Source" },
    ),
    /** NOT filtered: only called for claims the viewer can see; a response answering a visible claim is visible. */
    responsesByVisibleClaimId: groupLoader(answering("claim_id"), (link) => link.targetId, { reads, type: "Response", parent: "Claim", idOf: (link) => link.response.id }),
    /** NOT filtered: only called for attributions the viewer can see; a response answering one is visible. */
    responsesByVisibleAttributionId: groupLoader(answering("attribution_id"), (link) => link.targetId, {
      reads,
      type: "Response",
      parent: "Attribution",
      idOf: (link) => link.response.id,
    }),
    /** Filtered: the answers of a visible response whose claim or attribution the viewer may see. */
    answersByResponseId: groupLoader(
      (responseIds: readonly string[]) =>
        prisma.$queryRaw<ResponseAnswer[]>`
          SELECT ${RESPONSE_ANSWER_COLUMNS} FROM response_answer ra WHERE ra.response_id ${anyUuid(responseIds)} AND ${visibleAnswer}
          ORDER BY ra.position, ra.id`,
      (answer) => answer.responseId,
      { reads, type: "Response", idOf: (answer) => answer.responseId },
    ),
    /** The conduits of a visible response, in order, their sources primed (visible through the response). */
    conduitsByResponseId: groupLoader(
      async (responseIds: readonly string[]) => {
        const rows = await prisma.$queryRaw<ResponseConduit[]>`
          SELECT ${RESPONSE_CONDUIT_COLUMNS}, ${JOINED_SOURCE_COLUMNS}
          FROM response_conduit rc JOIN source s ON s.id = rc.source_id
          WHERE rc.response_id ${anyUuid(responseIds)}
          ORDER BY rc.position`;
        return rows.map((row) => {
          const [conduit, source] = splitJoined<ResponseConduit, Source>(row, JOINED_SOURCE_PREFIX);
          sourceOfVisible.prime(source.id, source);
          recordRead(reads, "Source", source.id);
          return conduit;
        });
      },
      (conduit) => conduit.responseId,
      { reads, type: "Response", idOf: (conduit) => conduit.responseId },
    ),
    /** Filtered (deprecated `Response.claims`): the claims answered that the viewer may see. */
    claimsByResponseId: groupLoader(
      async (responseIds: readonly string[]) => {
        const rows = await prisma.$queryRaw<Array<Claim & { linkResponseId: string }>>`
          SELECT ra.response_id AS "linkResponseId", ${CLAIM_COLUMNS}
          FROM response_answer ra JOIN claim c ON c.id = ra.claim_id JOIN article a ON a.id = c.article_id
          WHERE ra.response_id ${anyUuid(responseIds)} AND ${visibleAnswer}
          ORDER BY a.created_at, a.id, c.position, c.created_at, c.id`;
        return rows.map(({ linkResponseId, ...claim }) => ({ responseId: linkResponseId, claim: claim }));
      },
      (link) => link.responseId,
      { reads, type: "Claim", parent: "Response", idOf: (link) => link.claim.id },
    ),
    /** NOT filtered: only for the capacity of a visible response, an affiliation of its (visible) respondent. */
    affiliationByIdOfVisibleResponse: rowLoader(
      (ids: readonly string[]) => prisma.$queryRaw<Affiliation[]>`SELECT ${AFFILIATION_COLUMNS} FROM affiliation af WHERE af.id ${anyUuid(ids)}`,
      (affiliation) => affiliation.id,
    ),
  };
}
