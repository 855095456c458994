import type { GraphQLResolveInfo } from "graphql";
import type { Attribution } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { AttributeClaimInput, DeleteInput, UpdateAttributionInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { badInput, conflict, notFound } from "../../shared/errors";
import { parseInput, versionedId } from "../../shared/validation";
import { lockArticleOfClaim } from "../../shared/locks";
import { deleteVersioned, gate, lockVersioned, updateVersioned } from "../../shared/write-gate";
import { assertCanAttachToArticle } from "../article/article.policy";
import { deleteResponsesLeftWithoutAnswers, responsesAnsweringAttribution } from "../response/response.service";
import { attributeClaimInput, updateAttributionInput } from "./attribution.validation";

/** `attribution(id)`: the attribution with the tree the query selects, or null (also when the viewer may not see it). */
export function getAttribution(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Attribution>(info, "Attribution", id);
}

/**
 * Changing an attribution is changing what its article says: the article's rules apply, to the
 * article as it is under the lock (an attribution never moves to another claim).
 */
async function lockArticleOfAttribution(tx: Tx, id: string) {
  const attribution = await tx.attribution.findUnique({ where: { id }, select: { claimId: true } });
  if (!attribution) throw notFound("Attribution", id);
  return lockArticleOfClaim(tx, attribution.claimId, "share");
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
  return gate(ctx, {
    async lock(tx) {
      const article = await lockArticleOfClaim(tx, input.claimId, "share", "input.claimId");
      if (!(await tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } }))) throw notFound("Source", input.sourceId, "input.sourceId");
      return article;
    },
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      const anonymity = input.anonymity ?? "NAMED";
      checkAnonymity(anonymity, input.anonymityReason);
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
      await audit({ entity: "Attribution", entityId: attribution.id, articleId: article.id, action: "CREATE", after: attribution });
      return attribution;
    },
  });
}

export async function updateAttribution(ctx: Context, rawInput: UpdateAttributionInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateAttributionInput, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticleOfAttribution(tx, id),
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      const current = await lockVersioned(tx, "attribution", id, expectedVersion, "update");
      const anonymity = changes.anonymity ?? current.anonymity;
      const anonymityReason = changes.anonymityReason !== undefined ? changes.anonymityReason : anonymity === "NAMED" ? null : current.anonymityReason;
      checkAnonymity(anonymity, anonymityReason);
      if (changes.viaId) await checkVia(tx, current.claimId, changes.viaId, id);
      if (changes.role) await assertNotDuplicate(tx, current.claimId, current.sourceId, changes.role, id);
      const after = await updateVersioned(tx, "attribution", current, {
        ...(changes.role ? { role: changes.role } : {}),
        anonymity,
        anonymityReason,
        ...(changes.quote !== undefined ? { quote: changes.quote } : {}),
        ...(changes.viaId !== undefined ? { viaId: changes.viaId } : {}),
      });
      await audit({ entity: "Attribution", entityId: id, articleId: article.id, action: "UPDATE", before: current, after });
      return after;
    },
  });
}

export async function removeAttribution(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticleOfAttribution(tx, id),
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      const before = await lockVersioned(tx, "attribution", id, expectedVersion, "delete");
      const carried = await tx.attribution.count({ where: { viaId: id } });
      if (carried) {
        throw conflict(`${carried} other attribution(s) came through attribution ${id}; remove or re-route them first`, { reason: "REFERENCED" });
      }
      const responses = await responsesAnsweringAttribution(tx, id);
      await deleteVersioned(tx, "attribution", before);
      await deleteResponsesLeftWithoutAnswers(tx, responses);
      await audit({ entity: "Attribution", entityId: id, articleId: article.id, action: "DELETE", before });
      return { id };
    },
  });
}
