import type { Prisma } from "../../generated/prisma/client";
import type { Context } from "../../context";
import type { Tx } from "../../db/prisma";
import type { ClaimFilter, CreateClaimInput, DeleteInput, UpdateClaimInput } from "../../generated/graphql";
import { badInput, notFound } from "../../shared/errors";
import { paginate, type PageArgs } from "../../shared/pagination";
import { isUuid, parseId, parseInput } from "../../shared/validation";
import { applyVersioned } from "../../shared/versioning";
import { runWrite } from "../../shared/write";
import { deleteRebuttalsLeftWithoutClaims } from "../rebuttal/rebuttal.service";
import { resolveAnchor, type AnchorFields } from "./claim.anchor";
import { createClaimInput, updateClaimInput } from "./claim.validation";

type Quantity = { value: number; unit: string; subject?: string | null; period?: string | null } | null | undefined;

export async function getClaim(ctx: Context, id: string) {
  return isUuid(id) ? ctx.loaders.claimById.load(id) : null;
}

export async function requireClaim(ctx: Context, id: string, field?: string) {
  const claim = await getClaim(ctx, id);
  if (!claim) throw notFound("Claim", id, field);
  return claim;
}

function filterWhere(filter: ClaimFilter | null | undefined): Prisma.ClaimWhereInput {
  if (!filter) return {};
  if (filter.articleId) parseId(filter.articleId, "filter.articleId");
  if (filter.sourceId) parseId(filter.sourceId, "filter.sourceId");
  return {
    ...(filter.articleId ? { articleId: filter.articleId } : {}),
    ...(filter.verdict?.length ? { currentRating: { in: filter.verdict } } : {}),
    ...(filter.kind?.length ? { kind: { in: filter.kind } } : {}),
    ...(filter.sourceId ? { attributions: { some: { sourceId: filter.sourceId } } } : {}),
  };
}

export async function listClaims(ctx: Context, args: PageArgs & { filter?: ClaimFilter | null }) {
  const where = filterWhere(args.filter);
  return paginate(
    args,
    (page) => ctx.prisma.claim.findMany({ where: { AND: [where, page.where] }, orderBy: page.orderBy, take: page.take }),
    () => ctx.prisma.claim.count({ where }),
  );
}

function quantityFields(kind: string, quantity: Quantity) {
  if (kind === "QUANTITATIVE" && !quantity) throw badInput("input.quantity", "is required for a QUANTITATIVE claim (value and unit)");
  if (kind !== "QUANTITATIVE" && quantity) throw badInput("input.quantity", `is only for QUANTITATIVE claims, not ${kind}`);
  return {
    quantityValue: quantity?.value ?? null,
    quantityUnit: quantity?.unit ?? null,
    quantitySubject: quantity?.subject ?? null,
    quantityPeriod: quantity?.period ?? null,
  };
}

const NO_ANCHOR = { quote: null, anchorStart: null, anchorEnd: null, anchorPrefix: null, anchorSuffix: null, anchorState: null };

async function articleBody(tx: Tx, articleId: string, field: string) {
  const article = await tx.article.findUnique({ where: { id: articleId }, select: { body: true } });
  if (!article) throw notFound("Article", articleId, field);
  return article.body;
}

export async function createClaim(ctx: Context, rawInput: CreateClaimInput) {
  const input = parseInput(createClaimInput, rawInput);
  const kind = input.kind ?? "FACTUAL";
  const quantity = quantityFields(kind, input.quantity);
  return runWrite(ctx, async (tx) => {
    const body = await articleBody(tx, input.articleId, "input.articleId");
    const anchor: AnchorFields | null = resolveAnchor(body, input);
    const position =
      input.position ??
      ((await tx.claim.aggregate({ where: { articleId: input.articleId }, _max: { position: true } }))._max.position ?? -1) + 1;
    return tx.claim.create({
      data: {
        articleId: input.articleId,
        statement: input.statement,
        kind,
        position,
        ...(anchor ?? NO_ANCHOR),
        ...quantity,
        verdicts: { create: { rating: "UNVERIFIED", rationale: null } },
      },
    });
  });
}

export async function updateClaim(ctx: Context, rawInput: UpdateClaimInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateClaimInput, rawInput);
  return runWrite(ctx, async (tx) => {
    const current = await tx.claim.findUnique({ where: { id } });
    if (!current) throw notFound("Claim", id);
    const data: Prisma.ClaimUncheckedUpdateManyInput = { version: { increment: 1 } };
    if (changes.statement !== undefined) data.statement = changes.statement;
    if (changes.position != null) data.position = changes.position;
    const kind = changes.kind ?? current.kind;
    if (changes.kind != null) data.kind = changes.kind;
    if (changes.kind != null || changes.quantity !== undefined) {
      const keptQuantity =
        current.quantityValue != null && current.quantityUnit != null
          ? { value: current.quantityValue, unit: current.quantityUnit, subject: current.quantitySubject, period: current.quantityPeriod }
          : null;
      Object.assign(data, quantityFields(kind, changes.quantity !== undefined ? changes.quantity : keptQuantity));
    }
    if (changes.anchor !== undefined || changes.quote !== undefined) {
      const body = await articleBody(tx, current.articleId, "input.id");
      Object.assign(data, resolveAnchor(body, changes) ?? NO_ANCHOR);
    }
    await applyVersioned(
      "Claim",
      id,
      expectedVersion,
      (where) => tx.claim.updateMany({ where, data }),
      () => tx.claim.findUnique({ where: { id }, select: { version: true } }),
    );
    return tx.claim.findUniqueOrThrow({ where: { id } });
  });
}

export async function deleteClaim(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(updateClaimInput.pick({ id: true, expectedVersion: true }), rawInput);
  return runWrite(ctx, async (tx) => {
    const rebuttals = await tx.rebuttalClaim.findMany({ where: { claimId: id }, select: { rebuttalId: true } });
    await applyVersioned(
      "Claim",
      id,
      expectedVersion,
      (where) => tx.claim.deleteMany({ where }),
      () => tx.claim.findUnique({ where: { id }, select: { version: true } }),
    );
    await deleteRebuttalsLeftWithoutClaims(tx, rebuttals.map((row) => row.rebuttalId));
    return { id };
  });
}
