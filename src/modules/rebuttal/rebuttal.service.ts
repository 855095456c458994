import type { GraphQLResolveInfo } from "graphql";
import type { Response } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { CreateRebuttalInput, DeleteInput, UpdateRebuttalInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { badInput, notFound } from "../../shared/errors";
import { parseInput, versionedId } from "../../shared/validation";
import { lockArticle } from "../../shared/locks";
import { deleteVersioned, gate, lockVersioned, updateVersioned } from "../../shared/write-gate";
import { assertCanAttachToArticle } from "../article/article.policy";
import { createRebuttalInput, updateRebuttalInput } from "./rebuttal.validation";

/** `rebuttal(id)`: the rebuttal with the tree the query selects, or null (also when the viewer may not see it). */
export function getRebuttal(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Response>(info, "Rebuttal", id);
}

/**
 * The claims a rebuttal answers must all exist and belong to one article; that article, locked
 * FOR SHARE, is what the article's rules decide on (a claim never moves to another article).
 */
async function lockArticleOfClaims(tx: Tx, claimIds: string[]) {
  const claims = await tx.claim.findMany({ where: { id: { in: claimIds } }, select: { id: true, articleId: true } });
  const articleOf = new Map(claims.map((claim) => [claim.id, claim.articleId]));
  const missing = claimIds.find((id) => !articleOf.has(id));
  if (missing) throw notFound("Claim", missing, "input.claimIds");
  const articleIds = new Set(articleOf.values());
  if (articleIds.size > 1) throw badInput("input.claimIds", "must all be claims of the same article");
  return lockArticle(tx, [...articleIds][0]!, "share");
}

/** The article a rebuttal belongs to (through the claims it answers), locked FOR SHARE. */
async function lockArticleOfRebuttal(tx: Tx, id: string) {
  const claimIds = await claimIdsOf(tx, id);
  if (claimIds.length === 0) throw notFound("Rebuttal", id);
  return lockArticleOfClaims(tx, claimIds);
}

async function claimIdsOf(db: Pick<Tx, "responseAnswer">, responseId: string) {
  return (await db.responseAnswer.findMany({ where: { responseId, claimId: { not: null } }, select: { claimId: true }, orderBy: { position: "asc" } })).map((link) => link.claimId!);
}

async function assertSourceExists(tx: Tx, sourceId: string) {
  if (!(await tx.source.findUnique({ where: { id: sourceId }, select: { id: true } }))) throw notFound("Source", sourceId, "input.sourceId");
}

export async function createRebuttal(ctx: Context, rawInput: CreateRebuttalInput) {
  requireViewer(ctx);
  const input = parseInput(createRebuttalInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      await assertSourceExists(tx, input.sourceId);
      return lockArticleOfClaims(tx, input.claimIds);
    },
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      const rebuttal = await tx.response.create({
        data: {
          sourceId: input.sourceId,
          text: input.text,
          quote: input.quote ?? null,
          onRecord: input.onRecord ?? true,
          madeAt: input.madeAt ?? null,
          answers: { create: input.claimIds.map((claimId, position) => ({ claimId, stance: input.stance, position })) },
        },
      });
      await audit({ entity: "Rebuttal", entityId: rebuttal.id, articleId: article.id, action: "CREATE", after: { ...rebuttal, stance: input.stance, claimIds: input.claimIds } });
      return { ...rebuttal, stance: input.stance };
    },
  });
}

export async function updateRebuttal(ctx: Context, rawInput: UpdateRebuttalInput) {
  requireViewer(ctx);
  const { id, expectedVersion, claimIds, ...changes } = parseInput(updateRebuttalInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      if (!(await tx.response.findUnique({ where: { id }, select: { id: true } }))) throw notFound("Rebuttal", id);
      if (changes.sourceId) await assertSourceExists(tx, changes.sourceId);
      return lockArticleOfRebuttal(tx, id);
    },
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      if (claimIds) {
        const target = await lockArticleOfClaims(tx, claimIds);
        if (target.id !== article.id) {
          assertCanAttachToArticle(ctx, target);
          throw badInput("input.claimIds", "must be claims of the article the rebuttal belongs to");
        }
      }
      const before = await lockVersioned(tx, "response", id, expectedVersion, "update");
      const beforeStance = (await tx.responseAnswer.findFirst({ where: { responseId: id }, orderBy: { position: "asc" }, select: { stance: true } }))?.stance;
      const stance = changes.stance ?? beforeStance!;
      const after = await updateVersioned(tx, "response", before, {
        ...(changes.sourceId ? { sourceId: changes.sourceId } : {}),
        ...(changes.text !== undefined ? { text: changes.text } : {}),
        ...(changes.quote !== undefined ? { quote: changes.quote } : {}),
        ...(changes.onRecord != null ? { onRecord: changes.onRecord } : {}),
        ...(changes.madeAt !== undefined ? { madeAt: changes.madeAt } : {}),
      });
      const beforeClaimIds = await claimIdsOf(tx, id);
      if (claimIds) {
        await tx.responseAnswer.deleteMany({ where: { responseId: id } });
        await tx.responseAnswer.createMany({ data: claimIds.map((claimId, position) => ({ responseId: id, claimId, stance, position })) });
      } else if (changes.stance) {
        await tx.responseAnswer.updateMany({ where: { responseId: id }, data: { stance } });
      }
      await audit({
        entity: "Rebuttal",
        entityId: id,
        articleId: article.id,
        action: "UPDATE",
        before: { ...before, stance: beforeStance, claimIds: beforeClaimIds },
        after: { ...after, stance, claimIds: claimIds ?? beforeClaimIds },
      });
      return { ...after, stance };
    },
  });
}

export async function deleteRebuttal(ctx: Context, rawInput: DeleteInput) {
  requireViewer(ctx);
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticleOfRebuttal(tx, id),
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      const before = await lockVersioned(tx, "response", id, expectedVersion, "delete");
      const beforeClaimIds = await claimIdsOf(tx, id);
      await deleteVersioned(tx, "response", before);
      await audit({ entity: "Rebuttal", entityId: id, articleId: article.id, action: "DELETE", before: { ...before, claimIds: beforeClaimIds } });
      return { id };
    },
  });
}

/** After claims are deleted, a rebuttal that answers none of the remaining claims goes with them. */
export async function deleteRebuttalsLeftWithoutClaims(tx: Tx, rebuttalIds: string[]) {
  if (rebuttalIds.length === 0) return;
  await tx.response.deleteMany({ where: { id: { in: [...new Set(rebuttalIds)] }, answers: { none: {} } } });
}
