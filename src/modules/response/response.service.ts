import type { GraphQLResolveInfo } from "graphql";
import type { Response, ResponseAnswer, ResponseConduit, ResponseStance } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { CreateRebuttalInput, DeleteInput, RecordResponseInput, UpdateRebuttalInput, UpdateResponseInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { badInput, notFound } from "../../shared/errors";
import { parseInput, versionedId } from "../../shared/validation";
import { lockArticle, type LockedArticle } from "../../shared/locks";
import { partialDateColumns, type PartialDateValue } from "../../shared/partial-date";
import { deleteVersioned, gate, lockVersioned, updateVersioned } from "../../shared/write-gate";
import { assertCanAttachToArticle } from "../article/article.policy";
import { createRebuttalInput, recordResponseInput, updateRebuttalInput, updateResponseInput, type AnswerInput } from "./response.validation";

/** `response(id)` (and the deprecated `rebuttal(id)`): the response with the tree the query selects, or null (also when the viewer may not see it). */
export function getResponse(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Response>(info, "Response", id);
}

/** The input fields errors name: the new inputs' or the deprecated rebuttal inputs'. */
interface Fields {
  respondent: string;
  answers: string;
  target(index: number, key: "claimId" | "attributionId"): string;
}
const RESPONSE_FIELDS: Fields = { respondent: "input.respondentId", answers: "input.answers", target: (index, key) => `input.answers.${index}.${key}` };
const REBUTTAL_FIELDS: Fields = { respondent: "input.sourceId", answers: "input.claimIds", target: () => "input.claimIds" };

/** A response's own fields as a write gives them (undefined: unchanged on update). */
interface ResponseData {
  respondentId?: string;
  capacityId?: string | null;
  anonymity?: Response["anonymity"] | null;
  anonymityReason?: string | null;
  anonymityReasonNotStated?: boolean | null;
  caveat?: string | null;
  occasion?: string | null;
  place?: string | null;
  madeOn?: PartialDateValue | null;
  workId?: string | null;
  text?: string;
  quote?: string | null;
  onRecord?: boolean | null;
  conduits?: Array<{ sourceId: string; workId?: string | null }> | null;
}

/** Where each target of a response's answers stands: the article of its claim and the claim's cluster. */
interface Placed {
  articleId: string;
  clusterId: string | null;
}

/**
 * The articles the answers touch, checked and locked: every claim and attribution must exist
 * (NOT_FOUND naming the answer), and the targets must all be in one article or all be claims (or
 * attributions of claims) of one claim cluster (unless `check` is false: the answers a response
 * already has). Returns where each answer's target stands.
 */
async function placeAnswers(tx: Tx, answers: readonly AnswerInput[], fields: Fields, check = true): Promise<Placed[]> {
  const claimIds = answers.flatMap((answer) => (answer.claimId ? [answer.claimId] : []));
  const attributionIds = answers.flatMap((answer) => (answer.attributionId ? [answer.attributionId] : []));
  const [claims, attributions] = await Promise.all([
    claimIds.length ? tx.claim.findMany({ where: { id: { in: claimIds } }, select: { id: true, articleId: true, clusterId: true } }) : [],
    attributionIds.length ? tx.attribution.findMany({ where: { id: { in: attributionIds } }, select: { id: true, claim: { select: { articleId: true, clusterId: true } } } }) : [],
  ]);
  const claimOf = new Map(claims.map((claim) => [claim.id, claim]));
  const attributionOf = new Map(attributions.map((attribution) => [attribution.id, attribution.claim]));
  const placed = answers.map((answer, index) => {
    if (answer.claimId) {
      const claim = claimOf.get(answer.claimId);
      if (!claim) throw notFound("Claim", answer.claimId, fields.target(index, "claimId"));
      return claim;
    }
    const claim = attributionOf.get(answer.attributionId!);
    if (!claim) throw notFound("Attribution", answer.attributionId!, fields.target(index, "attributionId"));
    return claim;
  });
  const articles = new Set(placed.map((target) => target.articleId));
  const clusters = new Set(placed.map((target) => target.clusterId));
  if (check && articles.size > 1 && (clusters.size > 1 || clusters.has(null))) {
    throw badInput(fields.answers, "must all be claims of the same article, or claims of one claim cluster (the same claim reported in several articles)");
  }
  return placed;
}

/** Locks every article in one stable order (by id), so that two writers never wait on each other in a cycle. */
async function lockArticles(tx: Tx, articleIds: Iterable<string>): Promise<LockedArticle[]> {
  const locked: LockedArticle[] = [];
  for (const id of [...new Set(articleIds)].sort()) locked.push(await lockArticle(tx, id, "share"));
  return locked;
}

function authoriseAll(ctx: Context, articles: LockedArticle[]) {
  let viewer = requireViewer(ctx);
  for (const article of articles) viewer = assertCanAttachToArticle(ctx, article);
  return viewer;
}

/** The rows a response's ids point at must exist; the capacity must be one of the respondent's posts. */
async function assertReferences(tx: Tx, data: ResponseData, respondentId: string, capacityId: string | null, fields: Fields) {
  if (data.respondentId !== undefined && !(await tx.source.findUnique({ where: { id: data.respondentId }, select: { id: true } }))) {
    throw notFound("Source", data.respondentId, fields.respondent);
  }
  if (capacityId) {
    const capacity = await tx.affiliation.findUnique({ where: { id: capacityId }, select: { personId: true } });
    if (!capacity) throw notFound("Affiliation", capacityId, "input.capacityId");
    if (capacity.personId !== respondentId) {
      throw badInput(data.capacityId !== undefined ? "input.capacityId" : fields.respondent, "the capacity must be an affiliation (a post) of the respondent");
    }
  }
  if (data.workId && !(await tx.work.findUnique({ where: { id: data.workId }, select: { id: true } }))) throw notFound("Work", data.workId, "input.workId");
  if (data.conduits) {
    const sourceIds = [...new Set(data.conduits.map((conduit) => conduit.sourceId))];
    const workIds = [...new Set(data.conduits.flatMap((conduit) => (conduit.workId ? [conduit.workId] : [])))];
    const [sources, works] = await Promise.all([
      tx.source.findMany({ where: { id: { in: sourceIds } }, select: { id: true } }),
      workIds.length ? tx.work.findMany({ where: { id: { in: workIds } }, select: { id: true } }) : [],
    ]);
    const knownSources = new Set(sources.map((row) => row.id));
    const knownWorks = new Set(works.map((row) => row.id));
    data.conduits.forEach((conduit, index) => {
      if (!knownSources.has(conduit.sourceId)) throw notFound("Source", conduit.sourceId, `input.conduits.${index}.sourceId`);
      if (conduit.workId && !knownWorks.has(conduit.workId)) throw notFound("Work", conduit.workId, `input.conduits.${index}.workId`);
    });
  }
}

function assertAnonymity(reason: string | null, notStated: boolean) {
  if (reason && notStated) throw badInput("input.anonymityReasonNotStated", "must not be true when an anonymity reason is given: give one or the other");
}

/** The scalar columns a write sets, from the input (only what it gives). */
function columnsOf(data: ResponseData) {
  const made = data.madeOn !== undefined ? partialDateColumns(data.madeOn) : undefined;
  return {
    ...(data.respondentId !== undefined ? { sourceId: data.respondentId } : {}),
    ...(data.capacityId !== undefined ? { capacityId: data.capacityId } : {}),
    ...(data.anonymity != null ? { anonymity: data.anonymity } : {}),
    ...(data.anonymityReason !== undefined ? { anonymityReason: data.anonymityReason } : {}),
    ...(data.anonymityReasonNotStated != null ? { anonymityReasonNotStated: data.anonymityReasonNotStated } : {}),
    ...(data.caveat !== undefined ? { caveat: data.caveat } : {}),
    ...(data.occasion !== undefined ? { occasion: data.occasion } : {}),
    ...(data.place !== undefined ? { place: data.place } : {}),
    ...(made ? { madeAt: made.at, madePrecision: made.precision } : {}),
    ...(data.workId !== undefined ? { workId: data.workId } : {}),
    ...(data.text !== undefined ? { text: data.text } : {}),
    ...(data.quote !== undefined ? { quote: data.quote } : {}),
    ...(data.onRecord != null ? { onRecord: data.onRecord } : {}),
  };
}

/** The stance all answers share, else null (the deprecated `stance`). */
export function commonStance(answers: ReadonlyArray<{ stance: ResponseStance }>): ResponseStance | null {
  const stances = new Set(answers.map((answer) => answer.stance));
  return stances.size === 1 ? [...stances][0]! : null;
}

/** What the audit log records of a response: its columns, its answers and conduits, and what they link (for the published cache's announcement). */
function audited(response: Response, answers: ReadonlyArray<Omit<ResponseAnswer, "id" | "responseId" | "position">>, conduits: ReadonlyArray<Pick<ResponseConduit, "sourceId" | "workId">>, placed: readonly Placed[]) {
  return {
    ...response,
    stance: commonStance(answers),
    answers: answers.map(({ claimId, attributionId, stance, quote }) => ({ claimId, attributionId, stance, quote })),
    claimIds: answers.flatMap((answer) => (answer.claimId ? [answer.claimId] : [])),
    attributionIds: answers.flatMap((answer) => (answer.attributionId ? [answer.attributionId] : [])),
    conduits: conduits.map(({ sourceId, workId }) => ({ sourceId, workId })),
    sourceIds: conduits.map((conduit) => conduit.sourceId),
    articleIds: [...new Set(placed.map((target) => target.articleId))].sort(),
  };
}

async function currentAnswers(tx: Tx, responseId: string) {
  return tx.responseAnswer.findMany({ where: { responseId }, orderBy: [{ position: "asc" }, { id: "asc" }] });
}

async function currentConduits(tx: Tx, responseId: string) {
  return tx.responseConduit.findMany({ where: { responseId }, orderBy: { position: "asc" } });
}

const answerRows = (responseId: string, answers: readonly AnswerInput[]) =>
  answers.map((answer, position) => ({ responseId, claimId: answer.claimId ?? null, attributionId: answer.attributionId ?? null, stance: answer.stance, quote: answer.quote ?? null, position }));

const conduitRows = (responseId: string, conduits: NonNullable<ResponseData["conduits"]>) =>
  conduits.map((conduit, position) => ({ responseId, sourceId: conduit.sourceId, workId: conduit.workId ?? null, position }));

async function record(ctx: Context, data: ResponseData & { respondentId: string; text: string }, answers: AnswerInput[], fields: Fields) {
  requireViewer(ctx);
  return gate(ctx, {
    async lock(tx) {
      const placed = await placeAnswers(tx, answers, fields);
      return { placed, articles: await lockArticles(tx, placed.map((target) => target.articleId)) };
    },
    authorise: ({ articles }) => authoriseAll(ctx, articles),
    async write({ tx, locked: { placed }, audit }) {
      await assertReferences(tx, data, data.respondentId, data.capacityId ?? null, fields);
      assertAnonymity(data.anonymityReason ?? null, data.anonymityReasonNotStated ?? false);
      const response = await tx.response.create({ data: { ...columnsOf(data), sourceId: data.respondentId, text: data.text } });
      const answerData = answerRows(response.id, answers);
      await tx.responseAnswer.createMany({ data: answerData });
      const conduitData = conduitRows(response.id, data.conduits ?? []);
      if (conduitData.length) await tx.responseConduit.createMany({ data: conduitData });
      await audit({ entity: "Response", entityId: response.id, articleId: placed[0]!.articleId, action: "CREATE", after: audited(response, answerData, conduitData, placed) });
      return response;
    },
  });
}

/** The answers an update gives: a list, or built from the current ones (the deprecated rebuttal update). */
type AnswersChange = AnswerInput[] | ((current: ResponseAnswer[]) => AnswerInput[]) | undefined;

async function change(ctx: Context, id: string, expectedVersion: number, data: ResponseData, answersChange: AnswersChange, fields: Fields) {
  requireViewer(ctx);
  return gate(ctx, {
    async lock(tx) {
      if (!(await tx.response.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Response", id);
      const current = await currentAnswers(tx, id);
      if (current.length === 0) throw notFound("Response", id);
      const next = typeof answersChange === "function" ? answersChange(current) : (answersChange ?? null);
      // Where the answers stand now (the response leaves those articles) and where the new ones go.
      const before = await placeAnswers(tx, current, fields, false);
      const after = next ? await placeAnswers(tx, next, fields) : before;
      const articles = await lockArticles(tx, [...before, ...after].map((target) => target.articleId));
      return { current, next, before, after, articles };
    },
    authorise: ({ articles }) => authoriseAll(ctx, articles),
    async write({ tx, locked: { current, next, before: placedBefore, after: placedAfter }, audit }) {
      const before = await lockVersioned(tx, "response", id, expectedVersion, "update");
      const respondentId = data.respondentId ?? before.sourceId;
      const capacityId = data.capacityId !== undefined ? data.capacityId : before.capacityId;
      await assertReferences(tx, data, respondentId, capacityId, fields);
      assertAnonymity(
        data.anonymityReason !== undefined ? data.anonymityReason : before.anonymityReason,
        data.anonymityReasonNotStated != null ? data.anonymityReasonNotStated : before.anonymityReasonNotStated,
      );
      const conduitsBefore = await currentConduits(tx, id);
      const after = await updateVersioned(tx, "response", before, columnsOf(data));
      let answersAfter: Array<Omit<ResponseAnswer, "id">> = current;
      if (next) {
        answersAfter = answerRows(id, next);
        await tx.responseAnswer.deleteMany({ where: { responseId: id } });
        await tx.responseAnswer.createMany({ data: answersAfter });
      }
      let conduitsAfter: Array<Omit<ResponseConduit, "id">> = conduitsBefore;
      if (data.conduits) {
        conduitsAfter = conduitRows(id, data.conduits);
        await tx.responseConduit.deleteMany({ where: { responseId: id } });
        if (conduitsAfter.length) await tx.responseConduit.createMany({ data: conduitsAfter });
      }
      await audit({
        entity: "Response",
        entityId: id,
        articleId: placedAfter[0]!.articleId,
        action: "UPDATE",
        before: audited(before, current, conduitsBefore, placedBefore),
        after: audited(after, answersAfter, conduitsAfter, placedAfter),
      });
      return after;
    },
  });
}

async function remove(ctx: Context, rawInput: DeleteInput) {
  requireViewer(ctx);
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  return gate(ctx, {
    async lock(tx) {
      const current = await currentAnswers(tx, id);
      if (current.length === 0) throw notFound("Response", id);
      const placed = await placeAnswers(tx, current, RESPONSE_FIELDS, false);
      return { current, placed, articles: await lockArticles(tx, placed.map((target) => target.articleId)) };
    },
    authorise: ({ articles }) => authoriseAll(ctx, articles),
    async write({ tx, locked: { current, placed }, audit }) {
      const before = await lockVersioned(tx, "response", id, expectedVersion, "delete");
      const conduits = await currentConduits(tx, id);
      await deleteVersioned(tx, "response", before);
      await audit({ entity: "Response", entityId: id, articleId: placed[0]!.articleId, action: "DELETE", before: audited(before, current, conduits, placed) });
      return { id };
    },
  });
}

export function recordResponse(ctx: Context, rawInput: RecordResponseInput) {
  requireViewer(ctx);
  const { answers, ...data } = parseInput(recordResponseInput, rawInput);
  return record(ctx, data, answers, RESPONSE_FIELDS);
}

export function updateResponse(ctx: Context, rawInput: UpdateResponseInput) {
  requireViewer(ctx);
  const { id, expectedVersion, answers, respondentId, text, ...data } = parseInput(updateResponseInput, rawInput);
  return change(ctx, id, expectedVersion, { ...data, respondentId: respondentId ?? undefined, text }, answers ?? undefined, RESPONSE_FIELDS);
}

export function deleteResponse(ctx: Context, rawInput: DeleteInput) {
  return remove(ctx, rawInput);
}

/** A date-time of the deprecated inputs, as a partial date of instant precision. */
const instant = (at: Date | null | undefined): PartialDateValue | null | undefined => (at === undefined ? undefined : at && { at, precision: "INSTANT" });

/** Deprecated: a response with one stance for every claim. */
export function createRebuttal(ctx: Context, rawInput: CreateRebuttalInput) {
  requireViewer(ctx);
  const input = parseInput(createRebuttalInput, rawInput);
  const answers = input.claimIds.map((claimId) => ({ claimId, stance: input.stance }));
  return record(ctx, { respondentId: input.sourceId, text: input.text, quote: input.quote, onRecord: input.onRecord, madeOn: instant(input.madeAt) }, answers, REBUTTAL_FIELDS);
}

/**
 * Deprecated: `claimIds` replaces the claims answered (each keeps its quote, answers to
 * attributions are kept), `stance` applies to every claim answered.
 */
export function updateRebuttal(ctx: Context, rawInput: UpdateRebuttalInput) {
  requireViewer(ctx);
  const { id, expectedVersion, claimIds, stance, sourceId, madeAt, ...data } = parseInput(updateRebuttalInput, rawInput);
  const answers: AnswersChange =
    claimIds || stance
      ? (current) => {
          const byClaim = new Map(current.filter((answer) => answer.claimId).map((answer) => [answer.claimId!, answer]));
          const fallback = commonStance(current) ?? current[0]!.stance;
          const claims = (claimIds ?? [...byClaim.keys()]).map((claimId) => ({ claimId, stance: stance ?? byClaim.get(claimId)?.stance ?? fallback, quote: byClaim.get(claimId)?.quote ?? null }));
          const attributions = current.filter((answer) => answer.attributionId).map(({ attributionId, stance: own, quote }) => ({ attributionId, stance: own, quote }));
          return [...claims, ...attributions];
        }
      : undefined;
  return change(ctx, id, expectedVersion, { ...data, respondentId: sourceId ?? undefined, madeOn: instant(madeAt) }, answers, REBUTTAL_FIELDS);
}

export function deleteRebuttal(ctx: Context, rawInput: DeleteInput) {
  return remove(ctx, rawInput);
}

/*
 * Cascades: the database deletes the answers of a deleted claim or attribution (ON DELETE
 * CASCADE); a response left with no answer at all goes with them.
 */

/** The responses answering a claim, directly or through one of its attributions (before the claim is deleted). */
export async function responsesAnsweringClaim(tx: Tx, claimId: string): Promise<string[]> {
  const rows = await tx.responseAnswer.findMany({ where: { OR: [{ claimId }, { attribution: { claimId } }] }, select: { responseId: true } });
  return rows.map((row) => row.responseId);
}

/** The responses answering a claim of an article, or an attribution of one (before the article is deleted). */
export async function responsesAnsweringArticle(tx: Tx, articleId: string): Promise<string[]> {
  const rows = await tx.responseAnswer.findMany({ where: { OR: [{ claim: { articleId } }, { attribution: { claim: { articleId } } }] }, select: { responseId: true } });
  return rows.map((row) => row.responseId);
}

/** The responses answering an attribution (before it is removed). */
export async function responsesAnsweringAttribution(tx: Tx, attributionId: string): Promise<string[]> {
  const rows = await tx.responseAnswer.findMany({ where: { attributionId }, select: { responseId: true } });
  return rows.map((row) => row.responseId);
}

/** After claims or attributions are deleted: a response that answers nothing any more goes with them. */
export async function deleteResponsesLeftWithoutAnswers(tx: Tx, responseIds: string[]) {
  if (responseIds.length === 0) return;
  await tx.response.deleteMany({ where: { id: { in: [...new Set(responseIds)] }, answers: { none: {} } } });
}
