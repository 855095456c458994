import type { Context } from "../../context";
import type { Tx } from "../../db/prisma";
import type { CreateRebuttalInput, DeleteInput, UpdateRebuttalInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { badInput, notFound } from "../../shared/errors";
import { isUuid, parseInput, versionedId } from "../../shared/validation";
import { applyVersioned, assertReadVersion } from "../../shared/versioning";
import { lockArticle } from "../../shared/locks";
import { runWrite } from "../../shared/write";
import { assertCanAttachToArticle } from "../article/article.policy";
import { requireArticle } from "../article/article.service";
import { recordAudit } from "../audit/audit.service";
import { requireSource } from "../source/source.service";
import { createRebuttalInput, updateRebuttalInput } from "./rebuttal.validation";

export async function getRebuttal(ctx: Context, id: string) {
  return isUuid(id) ? ctx.loaders.rebuttalById.load(id) : null;
}

/**
 * The claims a rebuttal answers must all exist (for this viewer) and belong to one article; the
 * article's rules decide who may attach the rebuttal.
 */
async function authoriseClaims(ctx: Context, claimIds: string[]) {
  const claims = await Promise.all(claimIds.map((id) => ctx.loaders.claimById.load(id)));
  const missing = claimIds.find((_, i) => !claims[i]);
  if (missing) throw notFound("Claim", missing, "input.claimIds");
  const articleIds = new Set(claims.map((claim) => claim!.articleId));
  if (articleIds.size > 1) throw badInput("input.claimIds", "must all be claims of the same article");
  const articleId = [...articleIds][0]!;
  const viewer = assertCanAttachToArticle(ctx, await requireArticle(ctx, articleId));
  return { articleId, viewer };
}

async function claimIdsOf(db: Pick<Tx, "rebuttalClaim">, rebuttalId: string) {
  return (await db.rebuttalClaim.findMany({ where: { rebuttalId }, select: { claimId: true } })).map((link) => link.claimId);
}

export async function createRebuttal(ctx: Context, rawInput: CreateRebuttalInput) {
  requireViewer(ctx);
  const input = parseInput(createRebuttalInput, rawInput);
  await requireSource(ctx, input.sourceId, "input.sourceId");
  const { articleId, viewer } = await authoriseClaims(ctx, input.claimIds);
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, articleId, "share");
    const rebuttal = await tx.rebuttal.create({
      data: {
        sourceId: input.sourceId,
        stance: input.stance,
        text: input.text,
        quote: input.quote ?? null,
        onRecord: input.onRecord ?? true,
        madeAt: input.madeAt ?? null,
        claims: { create: input.claimIds.map((claimId) => ({ claimId })) },
      },
    });
    await recordAudit(tx, viewer, {
      entity: "Rebuttal",
      entityId: rebuttal.id,
      articleId,
      action: "CREATE",
      after: { ...rebuttal, claimIds: input.claimIds },
    });
    return rebuttal;
  });
}

export async function updateRebuttal(ctx: Context, rawInput: UpdateRebuttalInput) {
  requireViewer(ctx);
  const { id, expectedVersion, claimIds, ...changes } = parseInput(updateRebuttalInput, rawInput);
  const current = await getRebuttal(ctx, id);
  if (!current) throw notFound("Rebuttal", id);
  if (changes.sourceId) await requireSource(ctx, changes.sourceId, "input.sourceId");
  const currentClaimIds = await claimIdsOf(ctx.prisma, id);
  const { articleId, viewer } = await authoriseClaims(ctx, currentClaimIds);
  if (claimIds) {
    const target = await authoriseClaims(ctx, claimIds);
    if (target.articleId !== articleId) throw badInput("input.claimIds", "must be claims of the article the rebuttal belongs to");
  }
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, articleId, "share");
    const before = assertReadVersion("Rebuttal", id, await tx.rebuttal.findUnique({ where: { id } }), expectedVersion);
    await applyVersioned(
      "Rebuttal",
      id,
      expectedVersion,
      (where) =>
        tx.rebuttal.updateMany({
          where,
          data: {
            ...(changes.sourceId ? { sourceId: changes.sourceId } : {}),
            ...(changes.stance ? { stance: changes.stance } : {}),
            ...(changes.text !== undefined ? { text: changes.text } : {}),
            ...(changes.quote !== undefined ? { quote: changes.quote } : {}),
            ...(changes.onRecord != null ? { onRecord: changes.onRecord } : {}),
            ...(changes.madeAt !== undefined ? { madeAt: changes.madeAt } : {}),
            version: { increment: 1 },
          },
        }),
      () => tx.rebuttal.findUnique({ where: { id }, select: { version: true } }),
    );
    const beforeClaimIds = await claimIdsOf(tx, id);
    if (claimIds) {
      await tx.rebuttalClaim.deleteMany({ where: { rebuttalId: id } });
      await tx.rebuttalClaim.createMany({ data: claimIds.map((claimId) => ({ rebuttalId: id, claimId })) });
    }
    const after = await tx.rebuttal.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, viewer, {
      entity: "Rebuttal",
      entityId: id,
      articleId,
      action: "UPDATE",
      before: { ...before, claimIds: beforeClaimIds },
      after: { ...after, claimIds: claimIds ?? beforeClaimIds },
    });
    return after;
  });
}

export async function deleteRebuttal(ctx: Context, rawInput: DeleteInput) {
  requireViewer(ctx);
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  if (!(await getRebuttal(ctx, id))) throw notFound("Rebuttal", id);
  const { articleId, viewer } = await authoriseClaims(ctx, await claimIdsOf(ctx.prisma, id));
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, articleId, "share");
    const before = assertReadVersion("Rebuttal", id, await tx.rebuttal.findUnique({ where: { id } }), expectedVersion);
    const beforeClaimIds = await claimIdsOf(tx, id);
    await applyVersioned(
      "Rebuttal",
      id,
      expectedVersion,
      (where) => tx.rebuttal.deleteMany({ where }),
      () => tx.rebuttal.findUnique({ where: { id }, select: { version: true } }),
    );
    await recordAudit(tx, viewer, { entity: "Rebuttal", entityId: id, articleId, action: "DELETE", before: { ...before, claimIds: beforeClaimIds } });
    return { id };
  });
}

/** After claims are deleted, a rebuttal that answers none of the remaining claims goes with them. */
export async function deleteRebuttalsLeftWithoutClaims(tx: Tx, rebuttalIds: string[]) {
  if (rebuttalIds.length === 0) return;
  await tx.rebuttal.deleteMany({ where: { id: { in: [...new Set(rebuttalIds)] }, claims: { none: {} } } });
}
