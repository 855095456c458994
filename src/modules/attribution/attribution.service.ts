import { randomUUID } from "node:crypto";
import type { GraphQLResolveInfo } from "graphql";
import type { AnonymityLevel, Attribution, AttributionRole } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { AttributeClaimInput, AttributeClaimsInput, DeleteInput, UpdateAttributionInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { recordAudits } from "../../shared/audit";
import { badInput, conflict, notFound } from "../../shared/errors";
import { parseInput, versionedId } from "../../shared/validation";
import { lockArticle, type LockedArticle } from "../../shared/locks";
import { deleteVersioned, gate, lockVersioned, updateVersioned } from "../../shared/write-gate";
import { assertCanAttachToArticle } from "../article/article.policy";
import { claimLabel } from "../article/article.workflow";
import { deleteResponsesLeftWithoutAnswers, responsesAnsweringAttribution } from "../response/response.service";
import { attributeClaimInput, attributeClaimsInput, updateAttributionInput } from "./attribution.validation";

/** `attribution(id)`: the attribution with the tree the query selects, or null (also when the viewer may not see it). */
export function getAttribution(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Attribution>(info, "Attribution", id);
}

/* ------------------------------------------------------------------------------------------------
 * Locks. Changing an attribution is changing what its article says: the article's rules apply, to
 * the article as it is under the lock (an attribution never moves to another claim, a claim never
 * to another article). A `via` into another article (the same claim reported elsewhere) ties the
 * two articles: both are locked, in the order of their ids (every writer takes them in that
 * order), and the viewer must be allowed to attach to both.
 * --------------------------------------------------------------------------------------------- */

interface LockedArticles {
  /** The article of the attribution's claim. */
  article: LockedArticle;
  /** The article of the attribution `via` points to, when it is another one. */
  viaArticle: LockedArticle | null;
}

async function articleOfClaim(tx: Tx, claimId: string, field: string): Promise<string> {
  const claim = await tx.claim.findUnique({ where: { id: claimId }, select: { articleId: true } });
  if (!claim) throw notFound("Claim", claimId, field);
  return claim.articleId;
}

async function articleOfAttribution(tx: Tx, id: string, field?: string): Promise<string> {
  const attribution = await tx.attribution.findUnique({ where: { id }, select: { claim: { select: { articleId: true } } } });
  if (!attribution) throw notFound("Attribution", id, field);
  return attribution.claim.articleId;
}

/** Locks the article (FOR SHARE) and, when `viaArticleId` is another one, that one too: in id order. */
async function lockArticles(tx: Tx, articleId: string, viaArticleId: string | null): Promise<LockedArticles> {
  const ids = [...new Set([articleId, ...(viaArticleId ? [viaArticleId] : [])])].sort();
  const locked = new Map<string, LockedArticle>();
  for (const id of ids) locked.set(id, await lockArticle(tx, id, "share"));
  return { article: locked.get(articleId)!, viaArticle: viaArticleId && viaArticleId !== articleId ? locked.get(viaArticleId)! : null };
}

function authoriseOnBoth(ctx: Context, { article, viaArticle }: LockedArticles) {
  const viewer = assertCanAttachToArticle(ctx, article);
  if (viaArticle) assertCanAttachToArticle(ctx, viaArticle);
  return viewer;
}

/* ------------------------------------------------------------------------------------------------
 * Rules
 * --------------------------------------------------------------------------------------------- */

interface Anonymity {
  anonymity: AnonymityLevel;
  anonymityReason: string | null;
  anonymityReasonNotStated: boolean;
}

/**
 * A NAMED source has no reason for anonymity and nothing to say about it; "the publication gave
 * no reason" and a reason exclude each other. `field` is where the input's fields are (`input`,
 * `input.chain.2`).
 */
function checkAnonymity(field: string, { anonymity, anonymityReason, anonymityReasonNotStated }: Anonymity) {
  if (anonymity === "NAMED" && anonymityReason) throw badInput(`${field}.anonymityReason`, "is only for PARTIAL or ANONYMOUS attributions");
  if (anonymity === "NAMED" && anonymityReasonNotStated) throw badInput(`${field}.anonymityReasonNotStated`, "is only for PARTIAL or ANONYMOUS attributions");
  if (anonymityReasonNotStated && anonymityReason) {
    throw badInput(`${field}.anonymityReason`, "must be empty when anonymityReasonNotStated is true (the publication gave no reason)");
  }
}

/** The anonymity of a new attribution, defaults applied. */
function newAnonymity(input: { anonymity?: AnonymityLevel | null; anonymityReason?: string | null; anonymityReasonNotStated?: boolean | null }): Anonymity {
  return { anonymity: input.anonymity ?? "NAMED", anonymityReason: input.anonymityReason ?? null, anonymityReasonNotStated: input.anonymityReasonNotStated ?? false };
}

interface ReferencedLink {
  /** Where the link's fields are in the input (`input`, `input.chain.2`). */
  field: string;
  sourceId: string;
  capacityId?: string | null;
  workId?: string | null;
}

/**
 * The capacities and works the links name exist, and each capacity is an affiliation of its
 * link's own source: one statement for all capacities, one for all works.
 */
async function checkCapacitiesAndWorks(tx: Tx, links: readonly ReferencedLink[]) {
  const capacityIds = [...new Set(links.flatMap((link) => (link.capacityId ? [link.capacityId] : [])))];
  if (capacityIds.length) {
    const found = new Map((await tx.affiliation.findMany({ where: { id: { in: capacityIds } }, select: { id: true, personId: true } })).map((a) => [a.id, a.personId]));
    for (const link of links) {
      if (!link.capacityId) continue;
      const personId = found.get(link.capacityId);
      if (personId === undefined) throw notFound("Affiliation", link.capacityId, `${link.field}.capacityId`);
      if (personId !== link.sourceId) throw badInput(`${link.field}.capacityId`, "must be an affiliation of the attribution's own source (this one is another person's post)");
    }
  }
  const workIds = [...new Set(links.flatMap((link) => (link.workId ? [link.workId] : [])))];
  if (workIds.length) {
    const found = new Set((await tx.work.findMany({ where: { id: { in: workIds } }, select: { id: true } })).map((w) => w.id));
    for (const link of links) if (link.workId && !found.has(link.workId)) throw notFound("Work", link.workId, `${link.field}.workId`);
  }
}

/**
 * `via` must be an attribution of the same claim, or of a claim of the same claim cluster (the
 * same claim reported in another article), and following it must never come back to `selfId`.
 * The attribution gone through is held (FOR KEY SHARE) until the write commits: it cannot be
 * removed in between, and its removal waits for this write (then refused: carried).
 */
async function checkVia(tx: Tx, claimId: string, viaId: string, selfId?: string) {
  if (viaId === selfId) throw badInput("input.viaId", "an attribution cannot come through itself");
  const [via] = await tx.$queryRaw<Array<{ claimId: string; viaCluster: string | null; ownCluster: string | null }>>`
    SELECT t.claim_id::text AS "claimId", vc.cluster_id::text AS "viaCluster",
           (SELECT oc.cluster_id::text FROM claim oc WHERE oc.id = ${claimId}::uuid) AS "ownCluster"
    FROM attribution t JOIN claim vc ON vc.id = t.claim_id
    WHERE t.id = ${viaId}::uuid
    FOR KEY SHARE OF t`;
  if (!via) throw notFound("Attribution", viaId, "input.viaId");
  if (via.claimId !== claimId && !(via.ownCluster && via.ownCluster === via.viaCluster)) {
    throw badInput("input.viaId", "must be an attribution of the same claim, or of the same claim in another article (a claim of the same claim cluster)");
  }
  if (!selfId) return; // a new attribution: nothing can come through it yet
  const [result] = await tx.$queryRaw<Array<{ loops: boolean }>>`
    WITH RECURSIVE chain(id, via_id, depth) AS (
      SELECT t.id, t.via_id, 1 FROM attribution t WHERE t.id = ${viaId}::uuid
      UNION ALL
      SELECT t.id, t.via_id, chain.depth + 1 FROM attribution t JOIN chain ON t.id = chain.via_id WHERE chain.depth < 10000
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE chain.id = ${selfId}::uuid) AS loops`;
  if (result?.loops) throw badInput("input.viaId", "would make the attribution chain a loop");
}

async function assertNotDuplicate(tx: Tx, claimId: string, sourceId: string, role: string, exceptId?: string) {
  const existing = await tx.attribution.findFirst({ where: { claimId, sourceId, role: role as AttributionRole }, select: { id: true } });
  if (existing && existing.id !== exceptId) {
    throw conflict(`This claim is already attributed to that source as ${role}`, { attributionId: existing.id });
  }
}

async function assertSourceExists(tx: Tx, sourceId: string, field: string) {
  if (!(await tx.source.findUnique({ where: { id: sourceId }, select: { id: true } }))) throw notFound("Source", sourceId, field);
}

/* ------------------------------------------------------------------------------------------------
 * Mutations
 * --------------------------------------------------------------------------------------------- */

export async function attributeClaim(ctx: Context, rawInput: AttributeClaimInput) {
  requireViewer(ctx);
  const input = parseInput(attributeClaimInput, rawInput);
  const anonymity = newAnonymity(input);
  return gate(ctx, {
    async lock(tx) {
      const articleId = await articleOfClaim(tx, input.claimId, "input.claimId");
      await assertSourceExists(tx, input.sourceId, "input.sourceId");
      const viaArticleId = input.viaId ? await articleOfAttribution(tx, input.viaId, "input.viaId") : null;
      return lockArticles(tx, articleId, viaArticleId);
    },
    authorise: (locked) => authoriseOnBoth(ctx, locked),
    async write({ tx, locked: { article }, audit }) {
      checkAnonymity("input", anonymity);
      await checkCapacitiesAndWorks(tx, [{ field: "input", sourceId: input.sourceId, capacityId: input.capacityId, workId: input.workId }]);
      if (input.viaId) await checkVia(tx, input.claimId, input.viaId);
      await assertNotDuplicate(tx, input.claimId, input.sourceId, input.role);
      const attribution = await tx.attribution.create({
        data: {
          claimId: input.claimId,
          sourceId: input.sourceId,
          role: input.role,
          status: input.status ?? "ASSERTED",
          ...anonymity,
          caveat: input.caveat ?? null,
          capacityId: input.capacityId ?? null,
          workId: input.workId ?? null,
          quote: input.quote ?? null,
          viaId: input.viaId ?? null,
        },
      });
      await audit({ entity: "Attribution", entityId: attribution.id, articleId: article.id, action: "CREATE", after: attribution });
      return attribution;
    },
  });
}

/** The anonymity after an update: explicit contradictions are refused, implied consequences applied. */
function updatedAnonymity(
  current: Anonymity,
  changes: { anonymity?: AnonymityLevel | null; anonymityReason?: string | null; anonymityReasonNotStated?: boolean | null },
): Anonymity {
  const anonymity = changes.anonymity ?? current.anonymity;
  const named = anonymity === "NAMED";
  const anonymityReason =
    changes.anonymityReason !== undefined
      ? changes.anonymityReason
      : // Named, or "no reason was given": whatever reason was recorded goes.
        named || changes.anonymityReasonNotStated === true
        ? null
        : current.anonymityReason;
  const anonymityReasonNotStated =
    changes.anonymityReasonNotStated != null
      ? changes.anonymityReasonNotStated
      : // Named, or a reason given now: the publication did state one.
        named || changes.anonymityReason
        ? false
        : current.anonymityReasonNotStated;
  return { anonymity, anonymityReason, anonymityReasonNotStated };
}

export async function updateAttribution(ctx: Context, rawInput: UpdateAttributionInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateAttributionInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      const articleId = await articleOfAttribution(tx, id);
      const viaArticleId = changes.viaId ? await articleOfAttribution(tx, changes.viaId, "input.viaId") : null;
      return lockArticles(tx, articleId, viaArticleId);
    },
    authorise: (locked) => authoriseOnBoth(ctx, locked),
    async write({ tx, locked: { article }, audit }) {
      const current = await lockVersioned(tx, "attribution", id, expectedVersion, "update");
      const anonymity = updatedAnonymity(current, changes);
      checkAnonymity("input", anonymity);
      await checkCapacitiesAndWorks(tx, [{ field: "input", sourceId: current.sourceId, capacityId: changes.capacityId, workId: changes.workId }]);
      if (changes.viaId) await checkVia(tx, current.claimId, changes.viaId, id);
      if (changes.role) await assertNotDuplicate(tx, current.claimId, current.sourceId, changes.role, id);
      const after = await updateVersioned(tx, "attribution", current, {
        ...(changes.role ? { role: changes.role } : {}),
        ...(changes.status ? { status: changes.status } : {}),
        ...anonymity,
        ...(changes.caveat !== undefined ? { caveat: changes.caveat } : {}),
        ...(changes.capacityId !== undefined ? { capacityId: changes.capacityId } : {}),
        ...(changes.workId !== undefined ? { workId: changes.workId } : {}),
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
    async lock(tx) {
      return lockArticle(tx, await articleOfAttribution(tx, id), "share");
    },
    authorise: (article) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: article, audit }) {
      const before = await lockVersioned(tx, "attribution", id, expectedVersion, "delete");
      // Counted in every article: a chain may come through this attribution from another one.
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

/* ------------------------------------------------------------------------------------------------
 * One chain, many claims
 * --------------------------------------------------------------------------------------------- */

/**
 * `attributeClaims`: the same chain on every claim, in one transaction. The number of statements
 * does not depend on the number of claims: one read of the claims, the article's lock, one check
 * of the sources, one of the capacities, one of the works, one of the existing attributions, one
 * INSERT per chain level (each level carried via the next, so the next is inserted first) and one
 * INSERT of every audit entry.
 */
export async function attributeClaims(ctx: Context, rawInput: AttributeClaimsInput) {
  requireViewer(ctx);
  const input = parseInput(attributeClaimsInput, rawInput);
  const links = input.chain.map((link, index) => {
    const anonymity = newAnonymity(link);
    checkAnonymity(`input.chain.${index}`, anonymity);
    return { ...link, ...anonymity, field: `input.chain.${index}` };
  });
  return gate(ctx, {
    async lock(tx) {
      const found = await tx.claim.findMany({ where: { id: { in: input.claimIds } }, select: { id: true, articleId: true, position: true, statement: true } });
      const byId = new Map(found.map((claim) => [claim.id, claim]));
      const claims = input.claimIds.map((id, index) => {
        const claim = byId.get(id);
        if (!claim) throw notFound("Claim", id, `input.claimIds.${index}`);
        return claim;
      });
      const articleId = claims[0]!.articleId;
      const stray = claims.findIndex((claim) => claim.articleId !== articleId);
      if (stray >= 0) {
        throw badInput(`input.claimIds.${stray}`, `must be a claim of the same article as claimIds.0 (one call attributes claims of one article)`);
      }
      return { article: await lockArticle(tx, articleId, "share"), claims };
    },
    authorise: ({ article }) => assertCanAttachToArticle(ctx, article),
    async write({ tx, locked: { article, claims }, viewer }) {
      const sourceIds = [...new Set(links.map((link) => link.sourceId))];
      const sources = new Set((await tx.source.findMany({ where: { id: { in: sourceIds } }, select: { id: true } })).map((s) => s.id));
      for (const link of links) if (!sources.has(link.sourceId)) throw notFound("Source", link.sourceId, `${link.field}.sourceId`);
      await checkCapacitiesAndWorks(tx, links);

      const existing = await tx.attribution.findMany({
        where: { claimId: { in: input.claimIds }, OR: links.map((link) => ({ sourceId: link.sourceId, role: link.role })) },
        select: { id: true, claimId: true, sourceId: true, role: true },
      });
      if (existing.length) {
        const index = claims.findIndex((claim) => existing.some((row) => row.claimId === claim.id));
        const claim = claims[index]!;
        const row = existing.find((r) => r.claimId === claim.id)!;
        const link = links.findIndex((l) => l.sourceId === row.sourceId && l.role === row.role);
        throw conflict(`${claimLabel(claim)} is already attributed to the source of chain.${link} as ${row.role}; nothing was written`, {
          claimId: claim.id,
          position: claim.position,
          attributionId: row.id,
          field: `input.claimIds.${index}`,
        });
      }

      // Ids sorted within each claim, so that a claim's attributions (listed by creation time, then
      // id) come back in the order of the chain: they are all made at the same instant.
      const createdAt = new Date();
      const ids = claims.map(() => links.map(() => randomUUID()).sort());
      const created: Attribution[][] = claims.map(() => []);
      for (let level = links.length - 1; level >= 0; level -= 1) {
        const link = links[level]!;
        const rows = await tx.attribution.createManyAndReturn({
          data: claims.map((claim, c) => ({
            id: ids[c]![level]!,
            claimId: claim.id,
            sourceId: link.sourceId,
            role: link.role,
            status: link.status ?? "ASSERTED",
            anonymity: link.anonymity,
            anonymityReason: link.anonymityReason,
            anonymityReasonNotStated: link.anonymityReasonNotStated,
            caveat: link.caveat ?? null,
            capacityId: link.capacityId ?? null,
            workId: link.workId ?? null,
            quote: link.quote ?? null,
            viaId: level + 1 < links.length ? ids[c]![level + 1]! : null,
            createdAt,
          })),
        });
        const byClaim = new Map(rows.map((row) => [row.claimId, row]));
        claims.forEach((claim, c) => (created[c]![level] = byClaim.get(claim.id)!));
      }
      const attributions = created.flat();
      await recordAudits(
        tx,
        viewer,
        attributions.map((attribution) => ({ entity: "Attribution", entityId: attribution.id, articleId: article.id, action: "CREATE" as const, after: attribution })),
      );
      return { attributions };
    },
  });
}
