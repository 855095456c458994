import type { Context } from "../../context";
import type { Tx } from "../../db/prisma";
import type { CreateRebuttalInput, DeleteInput, UpdateRebuttalInput } from "../../generated/graphql";
import { badInput, notFound } from "../../shared/errors";
import { isUuid, parseInput } from "../../shared/validation";
import { applyVersioned } from "../../shared/versioning";
import { runWrite } from "../../shared/write";
import { createRebuttalInput, updateRebuttalInput } from "./rebuttal.validation";

export async function getRebuttal(ctx: Context, id: string) {
  return isUuid(id) ? ctx.loaders.rebuttalById.load(id) : null;
}

/** The claims a rebuttal answers must all exist and belong to one article. */
async function checkClaims(tx: Tx, claimIds: string[]) {
  const claims = await tx.claim.findMany({ where: { id: { in: claimIds } }, select: { id: true, articleId: true } });
  const found = new Set(claims.map((claim) => claim.id));
  const missing = claimIds.find((id) => !found.has(id));
  if (missing) throw notFound("Claim", missing, "input.claimIds");
  const articles = new Set(claims.map((claim) => claim.articleId));
  if (articles.size > 1) throw badInput("input.claimIds", "must all be claims of the same article");
}

async function checkSource(tx: Tx, sourceId: string) {
  const source = await tx.source.findUnique({ where: { id: sourceId }, select: { id: true } });
  if (!source) throw notFound("Source", sourceId, "input.sourceId");
}

export async function createRebuttal(ctx: Context, rawInput: CreateRebuttalInput) {
  const input = parseInput(createRebuttalInput, rawInput);
  return runWrite(ctx, async (tx) => {
    await checkSource(tx, input.sourceId);
    await checkClaims(tx, input.claimIds);
    return tx.rebuttal.create({
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
  });
}

export async function updateRebuttal(ctx: Context, rawInput: UpdateRebuttalInput) {
  const { id, expectedVersion, claimIds, ...changes } = parseInput(updateRebuttalInput, rawInput);
  return runWrite(ctx, async (tx) => {
    if (changes.sourceId) await checkSource(tx, changes.sourceId);
    if (claimIds) await checkClaims(tx, claimIds);
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
    if (claimIds) {
      await tx.rebuttalClaim.deleteMany({ where: { rebuttalId: id } });
      await tx.rebuttalClaim.createMany({ data: claimIds.map((claimId) => ({ rebuttalId: id, claimId })) });
    }
    return tx.rebuttal.findUniqueOrThrow({ where: { id } });
  });
}

export async function deleteRebuttal(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(updateRebuttalInput.pick({ id: true, expectedVersion: true }), rawInput);
  return runWrite(ctx, async (tx) => {
    await applyVersioned(
      "Rebuttal",
      id,
      expectedVersion,
      (where) => tx.rebuttal.deleteMany({ where }),
      () => tx.rebuttal.findUnique({ where: { id }, select: { version: true } }),
    );
    return { id };
  });
}

/** After claims are deleted, a rebuttal that answers none of the remaining claims goes with them. */
export async function deleteRebuttalsLeftWithoutClaims(tx: Tx, rebuttalIds: string[]) {
  if (rebuttalIds.length === 0) return;
  await tx.rebuttal.deleteMany({ where: { id: { in: [...new Set(rebuttalIds)] }, claims: { none: {} } } });
}
