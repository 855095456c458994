import { GraphQLError } from "graphql";
import type { Tx } from "../../db/prisma";
import type { BatchAttributionInput, BatchClaimInput, BatchInput, BatchOperationKind, BatchResult, BatchVerdictInput } from "../../generated/graphql";
import type { Context } from "../../shared/context";
import { requireViewer } from "../../shared/access";
import { lockArticle, lockArticleOfClaim } from "../../shared/locks";
import { parseInput } from "../../shared/validation";
import { gate, inOneTransaction } from "../../shared/write-gate";
import { assertCanAttachToArticle, assertCanEditArticleContent } from "../article/article.policy";
import { upsertArticle, type UpsertOutcome } from "../article/article.service";
import { attributeClaim, updateAttribution } from "../attribution/attribution.service";
import { attributeClaimInput } from "../attribution/attribution.validation";
import { createClaim, updateClaim } from "../claim/claim.service";
import { createClaimInput } from "../claim/claim.validation";
import { upsertSource } from "../source/source.service";
import { recordVerdict } from "../verdict/verdict.service";
import { assertCanRecordVerdict } from "../verdict/verdict.policy";
import { recordVerdictInput } from "../verdict/verdict.validation";
import { checkBatch, type OperationName } from "./batch.validation";

const KIND: Record<OperationName, BatchOperationKind> = {
  upsertArticle: "UPSERT_ARTICLE",
  upsertSource: "UPSERT_SOURCE",
  upsertClaim: "UPSERT_CLAIM",
  attributeClaim: "ATTRIBUTE_CLAIM",
  recordVerdict: "RECORD_VERDICT",
};

type Done = { id: string; outcome: UpsertOutcome };

/** Whether two stored/given values are the same (undefined and null alike). */
const same = (stored: unknown, given: unknown) => (stored ?? null) === (given ?? null);

/** The given fields (not undefined) whose value differs from the stored row's. */
function differing<T extends Record<string, unknown>>(stored: Record<string, unknown>, given: T): Partial<T> {
  return Object.fromEntries(Object.entries(given).filter(([field, value]) => value !== undefined && !same(stored[field], value))) as Partial<T>;
}

/** For an UNCHANGED operation: nothing is written, but the policy of its write is still checked (through the gate). */
function authoriseOnly<L>(ctx: Context, lock: (tx: Tx) => Promise<L>, authorise: (locked: L) => unknown) {
  return gate(ctx, { lock, authorise: (locked) => (authorise(locked), ctx.viewer!), write: async () => undefined });
}

/** A claim keyed by its article and position: created (createClaim), updated (updateClaim, the differing fields only) or unchanged. */
async function upsertClaimOperation(ctx: Context, tx: Tx, articleId: string, input: BatchClaimInput): Promise<Done> {
  const given = parseInput(createClaimInput, { articleId, statement: input.statement, kind: input.kind, quote: input.quote, quantity: input.quantity, position: input.position });
  const existing = await tx.claim.findFirst({ where: { articleId, position: input.position }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  if (!existing) return { id: (await createClaim(ctx, given)).id, outcome: "CREATED" };
  const changes = differing(existing, { statement: given.statement, kind: given.kind ?? undefined, quote: given.quote });
  const quantity = given.quantity;
  const quantityDiffers =
    quantity !== undefined &&
    !(
      same(existing.quantityValue, quantity?.value) &&
      same(existing.quantityUnit, quantity?.unit) &&
      same(existing.quantitySubject, quantity?.subject) &&
      same(existing.quantityPeriod, quantity?.period)
    );
  if (!Object.keys(changes).length && !quantityDiffers) {
    await authoriseOnly(ctx, (t) => lockArticle(t, articleId, "share"), (article) => assertCanEditArticleContent(ctx, article));
    return { id: existing.id, outcome: "UNCHANGED" };
  }
  await updateClaim(ctx, { id: existing.id, expectedVersion: existing.version, ...changes, ...(quantityDiffers ? { quantity } : {}) });
  return { id: existing.id, outcome: "UPDATED" };
}

/** An attribution keyed by claim, source and role: created (attributeClaim), updated (updateAttribution) or unchanged. */
async function attributeClaimOperation(ctx: Context, tx: Tx, claimId: string, sourceId: string, input: BatchAttributionInput): Promise<Done> {
  const { claimRef: _claimRef, sourceRef: _sourceRef, ...fields } = input;
  const given = parseInput(attributeClaimInput, { ...fields, claimId, sourceId });
  const existing = await tx.attribution.findFirst({ where: { claimId, sourceId, role: given.role } });
  if (!existing) return { id: (await attributeClaim(ctx, given)).id, outcome: "CREATED" };
  const changes = differing(existing, {
    // null for these means "keep" (as in updateAttribution), not "clear".
    status: given.status ?? undefined,
    anonymity: given.anonymity ?? undefined,
    anonymityReason: given.anonymityReason,
    anonymityReasonNotStated: given.anonymityReasonNotStated ?? undefined,
    caveat: given.caveat,
    quote: given.quote,
  });
  if (!Object.keys(changes).length) {
    await authoriseOnly(ctx, (t) => lockArticleOfClaim(t, claimId, "share"), (article) => assertCanAttachToArticle(ctx, article));
    return { id: existing.id, outcome: "UNCHANGED" };
  }
  await updateAttribution(ctx, { id: existing.id, expectedVersion: existing.version, ...changes });
  return { id: existing.id, outcome: "UPDATED" };
}

/** A verdict: UNCHANGED when the claim's current verdict says the same, else appended (recordVerdict). */
async function recordVerdictOperation(ctx: Context, tx: Tx, claimId: string, input: BatchVerdictInput): Promise<Done> {
  const given = parseInput(recordVerdictInput, { claimId, rating: input.rating, rationale: input.rationale, reviewUrl: input.reviewUrl });
  const current = await tx.verdict.findFirst({ where: { claimId }, orderBy: { sequence: "desc" } });
  if (current && current.rating === given.rating && same(current.rationale, given.rationale) && same(current.reviewUrl, given.reviewUrl)) {
    await authoriseOnly(ctx, (t) => lockArticleOfClaim(t, claimId, "share", "input.claimId"), () => assertCanRecordVerdict(ctx));
    return { id: current.id, outcome: "UNCHANGED" };
  }
  return { id: (await recordVerdict(ctx, given)).id, outcome: "CREATED" };
}

/** Adds `extensions.operationIndex` to an error of the vocabulary (others are masked anyway). */
function atOperation(error: unknown, index: number): unknown {
  if (error instanceof GraphQLError && (error.extensions as Record<string, unknown>).operationIndex === undefined) {
    (error.extensions as Record<string, unknown>).operationIndex = index;
  }
  return error;
}

/**
 * `batch`: up to 100 operations in order, in ONE transaction (`inOneTransaction`): each calls the
 * service of its single mutation, whose gate writes in that transaction, so permissions, locks,
 * version checks and audit are exactly theirs, and the first error rolls everything back (its
 * `extensions.operationIndex` says which operation failed).
 */
export async function runBatch(ctx: Context, input: BatchInput) {
  requireViewer(ctx);
  const names = checkBatch(input.operations);
  const refs = new Map<string, string>();
  const idOf = (id: string | null | undefined, ref: string | null | undefined) => id ?? refs.get(ref!)!;
  let failedAt = -1;
  try {
    const results = await inOneTransaction(ctx, async (tx) => {
      const results: BatchResult[] = [];
      for (const [index, operation] of input.operations.entries()) {
        failedAt = index;
        const name = names[index]!;
        let done: Done;
        if (operation.upsertArticle) {
          const { article, outcome } = await upsertArticle(ctx, operation.upsertArticle);
          done = { id: article.id, outcome };
        } else if (operation.upsertSource) {
          const { source, outcome } = await upsertSource(ctx, operation.upsertSource);
          done = { id: source.id, outcome };
        } else if (operation.upsertClaim) {
          const claim = operation.upsertClaim;
          done = await upsertClaimOperation(ctx, tx, idOf(claim.articleId, claim.articleRef), claim);
        } else if (operation.attributeClaim) {
          const link = operation.attributeClaim;
          done = await attributeClaimOperation(ctx, tx, idOf(link.claimId, link.claimRef), idOf(link.sourceId, link.sourceRef), link);
        } else {
          const verdict = operation.recordVerdict!;
          done = await recordVerdictOperation(ctx, tx, idOf(verdict.claimId, verdict.claimRef), verdict);
        }
        if (operation.ref != null) refs.set(operation.ref, done.id);
        results.push({ index, ref: operation.ref ?? null, operation: KIND[name], outcome: done.outcome, id: done.id });
      }
      failedAt = -1;
      return results;
    });
    const count = (outcome: UpsertOutcome) => results.filter((result) => result.outcome === outcome).length;
    return { results, created: count("CREATED"), updated: count("UPDATED"), unchanged: count("UNCHANGED") };
  } catch (error) {
    throw failedAt >= 0 ? atOperation(error, failedAt) : error;
  }
}
