import { randomUUID } from "node:crypto";
import type { Tx } from "../../db/prisma";
import { Prisma } from "../../generated/prisma/client";
import { noteClusterChange } from "../../shared/changes";

/*
 * SAME_CLAIM clusters: the claims linked by SAME_CLAIM relations, directly or through other claims
 * (the connected components of the SAME_CLAIM graph), share `claim.cluster_id`; a claim linked to
 * none has no cluster, and no cluster has fewer than two claims. Every write that changes the graph
 * (relateClaims, unrelateClaims, deleting a claim or an article) reconciles the clusters of the
 * claims it touched in its own transaction, under one lock (`lockClaimGraph`).
 */

/** The transaction-scoped advisory lock every change of the SAME_CLAIM graph holds ("claimdesk:cluster"). */
const CLAIM_GRAPH_LOCK = 0x636c7573; // "clus"

/**
 * Serialises the changes of the SAME_CLAIM graph and its clusters (merges and splits touch claims
 * of other articles, whose rows no article lock covers). Taken after the article locks and BEFORE
 * any claim row lock (a merge updates claim rows: a writer holding one while waiting for this lock
 * could deadlock with it). Held until commit.
 */
export async function lockClaimGraph(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_GRAPH_LOCK}::bigint)`;
}

/** The claims linked to any of `claimIds` by a SAME_CLAIM relation, either way round. */
async function sameClaimNeighbours(tx: Tx, claimIds: string[]): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT to_claim_id::text AS id FROM claim_relation WHERE kind = 'SAME_CLAIM' AND from_claim_id = ANY(${claimIds}::uuid[])
    UNION
    SELECT from_claim_id::text FROM claim_relation WHERE kind = 'SAME_CLAIM' AND to_claim_id = ANY(${claimIds}::uuid[])`;
  return rows.map((row) => row.id);
}

/**
 * Recomputes the clusters of the claims connected to `seeds` (the claims whose SAME_CLAIM links
 * changed; seeds that no longer exist are skipped): one component of two or more claims keeps the
 * cluster most of its claims had (a merge keeps the larger cluster), or gets a new one; a claim
 * left alone loses its cluster; clusters left with fewer than two claims are removed. Announces
 * every claim whose cluster changed, the clusters touched and their articles.
 */
export async function reconcileClusters(tx: Tx, seeds: string[]): Promise<void> {
  if (seeds.length === 0) return;
  // The connected component of each seed in the SAME_CLAIM graph (relations either way round).
  const rows = await tx.$queryRaw<Array<{ seed: string; id: string; clusterId: string | null; articleId: string }>>`
    WITH RECURSIVE reach(seed, claim_id) AS (
      SELECT c.id, c.id FROM claim c WHERE c.id = ANY(${[...new Set(seeds)]}::uuid[])
      UNION
      SELECT r.seed, CASE WHEN e.from_claim_id = r.claim_id THEN e.to_claim_id ELSE e.from_claim_id END
      FROM reach r JOIN claim_relation e ON e.kind = 'SAME_CLAIM' AND (e.from_claim_id = r.claim_id OR e.to_claim_id = r.claim_id)
    )
    SELECT r.seed::text AS seed, c.id::text AS id, c.cluster_id::text AS "clusterId", c.article_id::text AS "articleId"
    FROM reach r JOIN claim c ON c.id = r.claim_id
    ORDER BY c.created_at, c.id`;
  const members = new Map<string, { clusterId: string | null; articleId: string }>();
  const bySeed = new Map<string, string[]>();
  for (const row of rows) {
    members.set(row.id, { clusterId: row.clusterId, articleId: row.articleId });
    const component = bySeed.get(row.seed) ?? [];
    component.push(row.id);
    bySeed.set(row.seed, component);
  }
  // Seeds of one component reach the same claims: keep each component once, the largest first.
  const components = [...new Map([...bySeed.values()].map((ids) => [[...ids].sort()[0]!, ids])).values()].sort((a, b) => b.length - a.length);

  const touchedClusters = new Set<string>();
  /** The claims whose cluster changed, with their articles. */
  const changedClaims = new Map<string, string>();
  const taken = new Set<string>();
  for (const component of components) {
    const counts = new Map<string, number>();
    for (const id of component) {
      const clusterId = members.get(id)!.clusterId;
      if (clusterId) {
        touchedClusters.add(clusterId);
        counts.set(clusterId, (counts.get(clusterId) ?? 0) + 1);
      }
    }
    let target: string | null = null;
    if (component.length > 1) {
      target = [...counts.entries()].filter(([id]) => !taken.has(id)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
      if (!target) {
        target = randomUUID();
        await tx.claimCluster.create({ data: { id: target } });
      }
      taken.add(target);
      touchedClusters.add(target);
    }
    const moving = component.filter((id) => members.get(id)!.clusterId !== target);
    if (moving.length) {
      await tx.$executeRaw`UPDATE claim SET cluster_id = ${target}::uuid WHERE id = ANY(${moving}::uuid[])`;
      for (const id of moving) changedClaims.set(id, members.get(id)!.articleId);
    }
  }
  await removeSmallClusters(tx, [...touchedClusters], changedClaims);
  noteClusterChange(tx, { claimIds: changedClaims.keys(), clusterIds: touchedClusters, articleIds: changedClaims.values() });
}

/** Removes the clusters of `clusterIds` left with fewer than two claims (the one left loses its cluster). */
async function removeSmallClusters(tx: Tx, clusterIds: string[], changedClaims: Map<string, string>): Promise<void> {
  if (clusterIds.length === 0) return;
  const lone = await tx.$queryRaw<Array<{ id: string; articleId: string }>>`
    UPDATE claim SET cluster_id = NULL
    WHERE cluster_id IN (SELECT k.id FROM claim_cluster k WHERE k.id = ANY(${clusterIds}::uuid[]) AND (SELECT count(*) FROM claim m WHERE m.cluster_id = k.id) < 2)
    RETURNING id::text AS id, article_id::text AS "articleId"`;
  for (const row of lone) changedClaims.set(row.id, row.articleId);
  await tx.$executeRaw`
    DELETE FROM claim_cluster k WHERE k.id = ANY(${clusterIds}::uuid[]) AND NOT EXISTS (SELECT 1 FROM claim m WHERE m.cluster_id = k.id)`;
}

/**
 * Before claims are deleted (one claim, or every claim of an article): takes the graph lock (call
 * it before the claim rows are locked), and returns what to call once they are gone: it reconciles
 * the clusters they leave behind (split, or removed when one claim is left).
 */
export async function prepareClaimDeletion(tx: Tx, which: { claimId: string } | { articleId: string }): Promise<() => Promise<void>> {
  await lockClaimGraph(tx);
  const where = "claimId" in which ? Prisma.sql`id = ${which.claimId}::uuid` : Prisma.sql`article_id = ${which.articleId}::uuid`;
  const clustered = await tx.$queryRaw<Array<{ id: string; clusterId: string; articleId: string }>>`
    SELECT id::text AS id, cluster_id::text AS "clusterId", article_id::text AS "articleId" FROM claim WHERE ${where} AND cluster_id IS NOT NULL`;
  if (clustered.length === 0) return async () => {};
  const deleted = new Set(clustered.map((row) => row.id));
  const neighbours = (await sameClaimNeighbours(tx, [...deleted])).filter((id) => !deleted.has(id));
  return async () => {
    await reconcileClusters(tx, neighbours);
    // The clusters the deleted claims were in, when no neighbour was left to reconcile them.
    const clusterIds = [...new Set(clustered.map((row) => row.clusterId))];
    const changed = new Map(clustered.map((row) => [row.id, row.articleId]));
    await removeSmallClusters(tx, clusterIds, changed);
    noteClusterChange(tx, { claimIds: changed.keys(), clusterIds, articleIds: changed.values() });
  };
}
