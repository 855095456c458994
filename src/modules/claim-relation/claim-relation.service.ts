import type { GraphQLResolveInfo } from "graphql";
import type { ClaimCluster, ClaimRelation } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { RelateClaimsInput, UnrelateClaimsInput } from "../../generated/graphql";
import type { Tx } from "../../db/prisma";
import { requireViewer } from "../../shared/access";
import { conflict, notFound } from "../../shared/errors";
import { lockArticle, type LockedArticle } from "../../shared/locks";
import { parseInput } from "../../shared/validation";
import { gate } from "../../shared/write-gate";
import { assertCanAttachToArticle } from "../article/article.policy";
import { lockClaimGraph, reconcileClusters } from "./claim-relation.clusters";
import { relateClaimsInput, unrelateClaimsInput } from "./claim-relation.validation";

/** `claimCluster(id)`: the cluster with the tree the query selects, or null (also when the viewer may see none of its claims). */
export function getClaimCluster(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<ClaimCluster>(info, "ClaimCluster", id);
}

interface LockedPair {
  /** The claims' articles, each once, locked FOR SHARE in id order. */
  articles: LockedArticle[];
  articleOf: Map<string, string>;
}

/**
 * Locks the articles of two claims FOR SHARE, in a stable order (by id: two writers relating claims
 * of the same two articles never wait for each other the wrong way round). NOT_FOUND names the
 * input field of a missing claim.
 */
async function lockArticlesOfClaims(tx: Tx, claims: Array<{ id: string; field: string }>): Promise<LockedPair> {
  const rows = await tx.claim.findMany({ where: { id: { in: claims.map((claim) => claim.id) } }, select: { id: true, articleId: true } });
  const articleOf = new Map(rows.map((row) => [row.id, row.articleId]));
  for (const claim of claims) if (!articleOf.has(claim.id)) throw notFound("Claim", claim.id, claim.field);
  const articles: LockedArticle[] = [];
  for (const articleId of [...new Set(articleOf.values())].sort()) articles.push(await lockArticle(tx, articleId, "share"));
  return { articles, articleOf };
}

/** The viewer may attach to every locked article (content editors of each, or a fact-checker). */
function authoriseBoth(ctx: Context, locked: LockedPair) {
  let viewer = requireViewer(ctx);
  for (const article of locked.articles) viewer = assertCanAttachToArticle(ctx, article);
  return viewer;
}

function auditedRelation(relation: ClaimRelation) {
  return { ...relation, claimIds: [relation.fromClaimId, relation.toClaimId] };
}

export async function relateClaims(ctx: Context, rawInput: RelateClaimsInput) {
  requireViewer(ctx);
  const input = parseInput(relateClaimsInput, rawInput);
  const claims = [
    { id: input.fromClaimId, field: "input.fromClaimId" },
    { id: input.toClaimId, field: "input.toClaimId" },
  ];
  return gate(ctx, {
    lock: (tx) => lockArticlesOfClaims(tx, claims),
    authorise: (locked) => authoriseBoth(ctx, locked),
    async write({ tx, locked, audit }) {
      await lockClaimGraph(tx);
      // Deleted while this waited for the lock? (A claim's deletion holds the graph lock too.)
      const present = new Set((await tx.claim.findMany({ where: { id: { in: claims.map((claim) => claim.id) } }, select: { id: true } })).map((row) => row.id));
      for (const claim of claims) if (!present.has(claim.id)) throw notFound("Claim", claim.id, claim.field);
      const existing = await tx.claimRelation.findFirst({
        where: {
          kind: input.kind,
          OR: [
            { fromClaimId: input.fromClaimId, toClaimId: input.toClaimId },
            // SAME_CLAIM is symmetric: the reverse is the same relation.
            ...(input.kind === "SAME_CLAIM" ? [{ fromClaimId: input.toClaimId, toClaimId: input.fromClaimId }] : []),
          ],
        },
        select: { id: true },
      });
      if (existing) {
        throw conflict(`These claims are already related as ${input.kind}`, { reason: "DUPLICATE_RELATION", relationId: existing.id });
      }
      const relation = await tx.claimRelation.create({
        data: { fromClaimId: input.fromClaimId, toClaimId: input.toClaimId, kind: input.kind, note: input.note ?? null },
      });
      if (relation.kind === "SAME_CLAIM") await reconcileClusters(tx, [relation.fromClaimId, relation.toClaimId]);
      const toArticleId = locked.articleOf.get(relation.toClaimId)!;
      await audit({
        entity: "ClaimRelation",
        entityId: relation.id,
        articleId: locked.articleOf.get(relation.fromClaimId)!,
        action: "CREATE",
        after: auditedRelation(relation),
        note: { toArticleId },
      });
      return relation;
    },
  });
}

export async function unrelateClaims(ctx: Context, rawInput: UnrelateClaimsInput) {
  requireViewer(ctx);
  const { id } = parseInput(unrelateClaimsInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      const relation = await tx.claimRelation.findUnique({ where: { id } });
      if (!relation) throw notFound("ClaimRelation", id, "input.id");
      return { relation, ...(await lockArticlesOfClaims(tx, [{ id: relation.fromClaimId, field: "input.id" }, { id: relation.toClaimId, field: "input.id" }])) };
    },
    authorise: (locked) => authoriseBoth(ctx, locked),
    async write({ tx, locked, audit }) {
      await lockClaimGraph(tx);
      const relation = await tx.claimRelation.findUnique({ where: { id } });
      // Removed (by another unrelateClaims, or with a claim) while this waited for the lock.
      if (!relation) throw notFound("ClaimRelation", id, "input.id");
      await tx.claimRelation.delete({ where: { id } });
      if (relation.kind === "SAME_CLAIM") await reconcileClusters(tx, [relation.fromClaimId, relation.toClaimId]);
      await audit({
        entity: "ClaimRelation",
        entityId: id,
        articleId: locked.articleOf.get(relation.fromClaimId)!,
        action: "DELETE",
        before: auditedRelation(relation),
        note: { toArticleId: locked.articleOf.get(relation.toClaimId)! },
      });
      return relation;
    },
  });
}
