import type { Prisma } from "../../generated/prisma/client";
import type { Context } from "../../context";
import type { Tx } from "../../db/prisma";
import type { AttributeClaimInput, DeleteInput, UpdateAttributionInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { badInput, conflict, notFound } from "../../shared/errors";
import { isUuid, parseInput, versionedId } from "../../shared/validation";
import { applyVersioned, assertReadVersion } from "../../shared/versioning";
import { lockArticle } from "../../shared/locks";
import { runWrite } from "../../shared/write";
import { assertCanAttachToArticle } from "../article/article.policy";
import { requireArticle } from "../article/article.service";
import { recordAudit } from "../audit/audit.service";
import { requireClaim } from "../claim/claim.service";
import { requireSource } from "../source/source.service";
import { attributeClaimInput, updateAttributionInput } from "./attribution.validation";

export async function getAttribution(ctx: Context, id: string) {
  return isUuid(id) ? ctx.loaders.attributionById.load(id) : null;
}

/** Changing an attribution is changing what its article says: the article's rules apply. */
async function authorise(ctx: Context, id: string) {
  requireViewer(ctx);
  const attribution = await getAttribution(ctx, id);
  if (!attribution) throw notFound("Attribution", id);
  const claim = await requireClaim(ctx, attribution.claimId);
  const viewer = assertCanAttachToArticle(ctx, await requireArticle(ctx, claim.articleId));
  return { articleId: claim.articleId, viewer };
}

function checkAnonymity(anonymity: string, anonymityReason: string | null | undefined) {
  if (anonymity === "NAMED" && anonymityReason) {
    throw badInput("input.anonymityReason", "is only for PARTIAL or ANONYMOUS attributions");
  }
}

/** `via` must be another attribution of the same claim, and following it must never come back here. */
async function checkVia(tx: Tx, claimId: string, viaId: string, selfId?: string) {
  if (viaId === selfId) throw badInput("input.viaId", "an attribution cannot come through itself");
  const seen = new Set<string>(selfId ? [selfId] : []);
  let cursor: string | null = viaId;
  while (cursor) {
    const link: { id: string; claimId: string; viaId: string | null } | null = await tx.attribution.findUnique({
      where: { id: cursor },
      select: { id: true, claimId: true, viaId: true },
    });
    if (!link) throw notFound("Attribution", cursor, "input.viaId");
    if (link.claimId !== claimId) throw badInput("input.viaId", "must be an attribution of the same claim");
    if (seen.has(link.id)) throw badInput("input.viaId", "would make the attribution chain a loop");
    seen.add(link.id);
    cursor = link.viaId;
  }
}

async function assertNotDuplicate(tx: Tx, claimId: string, sourceId: string, role: string, exceptId?: string) {
  const existing = await tx.attribution.findFirst({ where: { claimId, sourceId, role: role as never }, select: { id: true } });
  if (existing && existing.id !== exceptId) {
    throw conflict(`This claim is already attributed to that source as ${role}`, { attributionId: existing.id });
  }
}

export async function attributeClaim(ctx: Context, rawInput: AttributeClaimInput) {
  requireViewer(ctx);
  const input = parseInput(attributeClaimInput, rawInput);
  const claim = await requireClaim(ctx, input.claimId, "input.claimId");
  await requireSource(ctx, input.sourceId, "input.sourceId");
  const viewer = assertCanAttachToArticle(ctx, await requireArticle(ctx, claim.articleId));
  const anonymity = input.anonymity ?? "NAMED";
  checkAnonymity(anonymity, input.anonymityReason);
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, claim.articleId, "share");
    if (input.viaId) await checkVia(tx, input.claimId, input.viaId);
    await assertNotDuplicate(tx, input.claimId, input.sourceId, input.role);
    const attribution = await tx.attribution.create({
      data: {
        claimId: input.claimId,
        sourceId: input.sourceId,
        role: input.role,
        anonymity,
        anonymityReason: input.anonymityReason ?? null,
        quote: input.quote ?? null,
        viaId: input.viaId ?? null,
      },
    });
    await recordAudit(tx, viewer, { entity: "Attribution", entityId: attribution.id, articleId: claim.articleId, action: "CREATE", after: attribution });
    return attribution;
  });
}

export async function updateAttribution(ctx: Context, rawInput: UpdateAttributionInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateAttributionInput, rawInput);
  const { articleId, viewer } = await authorise(ctx, id);
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, articleId, "share");
    const current = assertReadVersion("Attribution", id, await tx.attribution.findUnique({ where: { id } }), expectedVersion);
    const anonymity = changes.anonymity ?? current.anonymity;
    const anonymityReason = changes.anonymityReason !== undefined ? changes.anonymityReason : anonymity === "NAMED" ? null : current.anonymityReason;
    checkAnonymity(anonymity, anonymityReason);
    if (changes.viaId) await checkVia(tx, current.claimId, changes.viaId, id);
    if (changes.role) await assertNotDuplicate(tx, current.claimId, current.sourceId, changes.role, id);
    const data: Prisma.AttributionUncheckedUpdateManyInput = {
      ...(changes.role ? { role: changes.role } : {}),
      anonymity,
      anonymityReason,
      ...(changes.quote !== undefined ? { quote: changes.quote } : {}),
      ...(changes.viaId !== undefined ? { viaId: changes.viaId } : {}),
      version: { increment: 1 },
    };
    await applyVersioned(
      "Attribution",
      id,
      expectedVersion,
      (where) => tx.attribution.updateMany({ where, data }),
      () => tx.attribution.findUnique({ where: { id }, select: { version: true } }),
    );
    const after = await tx.attribution.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, viewer, { entity: "Attribution", entityId: id, articleId, action: "UPDATE", before: current, after });
    return after;
  });
}

export async function removeAttribution(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  const { articleId, viewer } = await authorise(ctx, id);
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, articleId, "share");
    const before = assertReadVersion("Attribution", id, await tx.attribution.findUnique({ where: { id } }), expectedVersion);
    const carried = await tx.attribution.count({ where: { viaId: id } });
    if (carried) {
      throw conflict(`${carried} other attribution(s) came through attribution ${id}; remove or re-route them first`, { reason: "REFERENCED" });
    }
    await applyVersioned(
      "Attribution",
      id,
      expectedVersion,
      (where) => tx.attribution.deleteMany({ where }),
      () => tx.attribution.findUnique({ where: { id }, select: { version: true } }),
    );
    await recordAudit(tx, viewer, { entity: "Attribution", entityId: id, articleId, action: "DELETE", before });
    return { id };
  });
}
