import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { PublishedReadCache } from "../src/http/published-cache";
import { createServer } from "../src/server";
import { workerDatabaseUrl } from "./support/databases";
import { testConfig } from "./support/config";
import {
  AuditLogDocument,
  ClaimClusterByIdDocument,
  ClaimClusterOfClaimDocument,
  ClaimOriginDocument,
  ClaimRelationsDocument,
  CreateClaimWithOriginDocument,
  DeleteArticleDocument,
  DeleteClaimDocument,
  RecordVerdictDocument,
  RelateClaimsDocument,
  RelateClaimsWithTreeDocument,
  UnrelateClaimsDocument,
  UpdateArticleDocument,
  UpdateClaimOriginDocument,
  type ClaimRelationKind,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { createArticle, createArticleWithClaims, createClaim, failsWithoutChange, relate } from "./support/factories";
import { takeStatements, testPrisma } from "./support/environment";

/*
 * A made-up story: a port authority's claim that "the Harbour Line ferry will stop in March",
 * reported in English, German and Chinese coverage, commented on and contradicted.
 */

async function story(statements: string[], language = "en", title = `Ferry story ${randomUUID()}`) {
  const { article, claims } = await createArticleWithClaims(statements, { language, title });
  return { article, claims };
}

async function publish(articleId: string) {
  const prisma = await testPrisma();
  await prisma.article.update({ where: { id: articleId }, data: { status: "PUBLISHED" } });
}

async function clusterIdOf(claimId: string): Promise<string | null> {
  const prisma = await testPrisma();
  return (await prisma.claim.findUniqueOrThrow({ where: { id: claimId }, select: { clusterId: true } })).clusterId;
}

/**
 * The invariants of the clusters, over the whole database: the claims of a cluster are exactly a
 * connected component of the SAME_CLAIM graph, every component of two claims or more has a cluster,
 * and no cluster has fewer than two claims.
 */
async function expectClustersConsistent() {
  const prisma = await testPrisma();
  const claims = await prisma.claim.findMany({ select: { id: true, clusterId: true } });
  const edges = await prisma.claimRelation.findMany({ where: { kind: "SAME_CLAIM" }, select: { fromClaimId: true, toClaimId: true } });
  const parent = new Map(claims.map((claim) => [claim.id, claim.id]));
  const find = (id: string): string => (parent.get(id) === id ? id : find(parent.get(id)!));
  for (const edge of edges) parent.set(find(edge.fromClaimId), find(edge.toClaimId));
  const components = new Map<string, string[]>();
  for (const claim of claims) components.set(find(claim.id), [...(components.get(find(claim.id)) ?? []), claim.id]);
  const clusterOf = new Map(claims.map((claim) => [claim.id, claim.clusterId]));
  const usedClusters = new Set<string>();
  for (const members of components.values()) {
    const clusters = new Set(members.map((id) => clusterOf.get(id)));
    expect(clusters.size).toBe(1);
    const [clusterId] = [...clusters];
    if (members.length === 1) expect(clusterId).toBeNull();
    else {
      expect(clusterId).toEqual(expect.any(String));
      expect(usedClusters.has(clusterId!)).toBe(false);
      usedClusters.add(clusterId!);
    }
  }
  const stored = await prisma.claimCluster.findMany({ select: { id: true } });
  expect(stored.map((cluster) => cluster.id).sort()).toEqual([...usedClusters].sort());
}

describe("relateClaims", () => {
  it("links the same claim across articles and languages into one cluster, readable from both claims", async () => {
    const en = await story(["The Harbour Line ferry will stop in March."], "en");
    const zh = await story(["港口渡轮将于三月停运。"], "zh-Hans");
    const relation = await relate({ fromClaimId: zh.claims[0]!.id, toClaimId: en.claims[0]!.id, kind: "SAME_CLAIM", note: "Chinese translation of the port authority statement" });
    expect(relation).toMatchObject({ kind: "SAME_CLAIM", note: "Chinese translation of the port authority statement", from: { id: zh.claims[0]!.id }, to: { id: en.claims[0]!.id } });
    // The payload's claims resolve their (new) cluster.
    expect(relation.from.cluster).toMatchObject({ size: 2, languages: ["en", "zh-Hans"] });
    expect(relation.from.cluster!.id).toBe(relation.to.cluster!.id);
    expect(relation.from.cluster!.claims.map((claim) => claim.id).sort()).toEqual([en.claims[0]!.id, zh.claims[0]!.id].sort());

    for (const claim of [en.claims[0]!, zh.claims[0]!]) {
      const read = (await gqlOk(ClaimRelationsDocument, { id: claim.id })).claim!;
      expect(read.relations).toEqual([
        { id: relation.id, kind: "SAME_CLAIM", note: relation.note, from: { id: zh.claims[0]!.id, statement: "港口渡轮将于三月停运。" }, to: { id: en.claims[0]!.id, statement: "The Harbour Line ferry will stop in March." } },
      ]);
      expect(read.cluster!.id).toBe(relation.from.cluster!.id);
    }
    // Audited, with both claims.
    const audit = (await gqlOk(AuditLogDocument, { entityId: relation.id })).auditLog.edges.map((edge) => edge.node);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: "ClaimRelation", action: "CREATE", articleId: zh.article.id });
    expect(audit[0]!.changes).toEqual(expect.arrayContaining([expect.objectContaining({ field: "claimIds", after: [zh.claims[0]!.id, en.claims[0]!.id] })]));
    await expectClustersConsistent();
  });

  it("keeps COMMENTS_ON, CONTRADICTS and SUPPORTS directed and out of clusters", async () => {
    const { claims } = await story(["The ferry will stop in March.", "The union says the stop is illegal.", "The mayor says the ferry runs until June.", "Timetables end in March."]);
    const kinds: Array<[number, ClaimRelationKind]> = [
      [1, "COMMENTS_ON"],
      [2, "CONTRADICTS"],
      [3, "SUPPORTS"],
    ];
    for (const [index, kind] of kinds) await relate({ fromClaimId: claims[index]!.id, toClaimId: claims[0]!.id, kind });
    // The reverse of a directed relation is another relation.
    await relate({ fromClaimId: claims[0]!.id, toClaimId: claims[1]!.id, kind: "COMMENTS_ON" });
    const read = (await gqlOk(ClaimRelationsDocument, { id: claims[0]!.id })).claim!;
    expect(read.relations.map((r) => [r.kind, r.from.id, r.to.id])).toEqual([
      ["COMMENTS_ON", claims[1]!.id, claims[0]!.id],
      ["CONTRADICTS", claims[2]!.id, claims[0]!.id],
      ["SUPPORTS", claims[3]!.id, claims[0]!.id],
      ["COMMENTS_ON", claims[0]!.id, claims[1]!.id],
    ]);
    expect(read.cluster).toBeNull();
    expect((await gqlOk(ClaimRelationsDocument, { id: claims[0]!.id, first: 2 })).claim!.relations).toHaveLength(2);
    await expectClustersConsistent();
  });

  it("refuses duplicates (SAME_CLAIM either way round) with CONFLICT, leaving the data unchanged", async () => {
    const { claims } = await story(["The ferry will stop in March.", "Ferry service ends in March.", "The union objects."]);
    const same = await relate({ fromClaimId: claims[0]!.id, toClaimId: claims[1]!.id, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: claims[2]!.id, toClaimId: claims[0]!.id, kind: "COMMENTS_ON" });
    for (const input of [
      { fromClaimId: claims[1]!.id, toClaimId: claims[0]!.id, kind: "SAME_CLAIM" as const },
      { fromClaimId: claims[0]!.id, toClaimId: claims[1]!.id, kind: "SAME_CLAIM" as const },
      { fromClaimId: claims[2]!.id, toClaimId: claims[0]!.id, kind: "COMMENTS_ON" as const },
    ]) {
      const error = await failsWithoutChange(() => gql(RelateClaimsDocument, { input }));
      expect(error.extensions).toMatchObject({ code: "CONFLICT" });
    }
    const reverse = await failsWithoutChange(() => gql(RelateClaimsDocument, { input: { fromClaimId: claims[1]!.id, toClaimId: claims[0]!.id, kind: "SAME_CLAIM" } }));
    expect(reverse.extensions).toMatchObject({ code: "CONFLICT", relationId: same.id });
  });

  it("refuses bad input (BAD_USER_INPUT), unknown claims (NOT_FOUND) and unauthorised viewers, leaving the data unchanged", async () => {
    const { claims } = await story(["The ferry will stop in March."]);
    const claim = claims[0]!.id;
    const self = await failsWithoutChange(() => gql(RelateClaimsDocument, { input: { fromClaimId: claim, toClaimId: claim, kind: "SAME_CLAIM" } }));
    expect(self.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.toClaimId" });
    const badId = await failsWithoutChange(() => gql(RelateClaimsDocument, { input: { fromClaimId: "not-a-uuid", toClaimId: claim, kind: "SUPPORTS" } }));
    // Refused by the UUID scalar, before the resolver.
    expect(badId.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    const longNote = await failsWithoutChange(() => gql(RelateClaimsDocument, { input: { fromClaimId: randomUUID(), toClaimId: claim, kind: "SUPPORTS", note: "x".repeat(1001) } }));
    expect(longNote.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.note" });
    const missing = randomUUID();
    const unknownTo = await failsWithoutChange(() => gql(RelateClaimsDocument, { input: { fromClaimId: claim, toClaimId: missing, kind: "SAME_CLAIM" } }));
    expect(unknownTo.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.toClaimId", id: missing });
    const unknownFrom = await failsWithoutChange(() => gql(RelateClaimsDocument, { input: { fromClaimId: missing, toClaimId: claim, kind: "SAME_CLAIM" } }));
    expect(unknownFrom.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.fromClaimId" });

    const other = await story(["Ferry service ends in March."]);
    const input = { fromClaimId: claim, toClaimId: other.claims[0]!.id, kind: "SAME_CLAIM" as const };
    const anonymous = await failsWithoutChange(() => gqlAs(null, RelateClaimsDocument, { input }));
    expect(anonymous.extensions).toMatchObject({ code: "UNAUTHENTICATED" });
    // A reporter may attach only to their own drafts: both articles are checked.
    const reporterOwn = await createArticle({ title: `Reporter ferry ${randomUUID()}` }, "REPORTER");
    const reporterClaim = await createClaim({ articleId: reporterOwn.id, statement: "The ferry stops in March." }, "REPORTER");
    const reporter = await failsWithoutChange(() => gqlAs("REPORTER", RelateClaimsDocument, { input: { ...input, fromClaimId: reporterClaim.id } }));
    expect(reporter.extensions).toMatchObject({ code: "FORBIDDEN" });
    // Fact-checkers attach to any article.
    const checked = await gqlOkAs("FACT_CHECKER", RelateClaimsDocument, { input });
    expect(checked.relateClaims.kind).toBe("SAME_CLAIM");
  });
});

describe("clusters", () => {
  it("merges two clusters when a SAME_CLAIM link joins them, keeping one and removing the other", async () => {
    const { claims } = await story(["A", "B", "C", "D", "E"]);
    const [a, b, c, d, e] = claims.map((claim) => claim.id) as [string, string, string, string, string];
    await relate({ fromClaimId: a, toClaimId: b, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: c, toClaimId: d, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: e, toClaimId: d, kind: "SAME_CLAIM" });
    const small = (await clusterIdOf(a))!;
    const large = (await clusterIdOf(c))!;
    expect(small).not.toBe(large);
    await relate({ fromClaimId: b, toClaimId: c, kind: "SAME_CLAIM" });
    // The larger cluster is kept.
    for (const id of [a, b, c, d, e]) expect(await clusterIdOf(id)).toBe(large);
    const prisma = await testPrisma();
    expect(await prisma.claimCluster.findUnique({ where: { id: small } })).toBeNull();
    expect((await gqlOk(ClaimClusterByIdDocument, { id: large })).claimCluster!.size).toBe(5);
    expect((await gqlOk(ClaimClusterByIdDocument, { id: small })).claimCluster).toBeNull();
    await expectClustersConsistent();
  });

  it("splits a cluster when a link is removed, and removes it when a claim is left alone", async () => {
    const { claims } = await story(["A", "B", "C", "D"]);
    const [a, b, c, d] = claims.map((claim) => claim.id) as [string, string, string, string];
    await relate({ fromClaimId: a, toClaimId: b, kind: "SAME_CLAIM" });
    const bc = await relate({ fromClaimId: b, toClaimId: c, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: c, toClaimId: d, kind: "SAME_CLAIM" });
    const before = await clusterIdOf(a);

    const split = (await gqlOk(UnrelateClaimsDocument, { input: { id: bc.id } })).unrelateClaims;
    expect(split.id).toBe(bc.id);
    expect(split.from.cluster!.claims.map((claim) => claim.id).sort()).toEqual([a, b].sort());
    expect(split.to.cluster!.claims.map((claim) => claim.id).sort()).toEqual([c, d].sort());
    expect([split.from.cluster!.id, split.to.cluster!.id]).toContain(before);
    await expectClustersConsistent();

    const ab = (await gqlOk(ClaimRelationsDocument, { id: a })).claim!.relations[0]!;
    const alone = (await gqlOk(UnrelateClaimsDocument, { input: { id: ab.id } })).unrelateClaims;
    expect(alone.from.cluster).toBeNull();
    expect(alone.to.cluster).toBeNull();
    await expectClustersConsistent();
    // Audited as a deletion.
    const audit = (await gqlOk(AuditLogDocument, { entityId: ab.id })).auditLog.edges.map((edge) => edge.node.action);
    expect(audit).toEqual(["DELETE", "CREATE"]);
  });

  it("keeps a cluster whole when another path still links the two sides (a triangle)", async () => {
    const { claims } = await story(["A", "B", "C"]);
    const [a, b, c] = claims.map((claim) => claim.id) as [string, string, string];
    const ab = await relate({ fromClaimId: a, toClaimId: b, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: b, toClaimId: c, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: c, toClaimId: a, kind: "SAME_CLAIM" });
    const cluster = await clusterIdOf(a);
    await gqlOk(UnrelateClaimsDocument, { input: { id: ab.id } });
    for (const id of [a, b, c]) expect(await clusterIdOf(id)).toBe(cluster);
    await expectClustersConsistent();
  });

  it("refuses to remove an unknown relation (NOT_FOUND), and a relation twice", async () => {
    const missing = randomUUID();
    const error = await failsWithoutChange(() => gql(UnrelateClaimsDocument, { input: { id: missing } }));
    expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    const bad = await failsWithoutChange(() => gql(UnrelateClaimsDocument, { input: { id: "nope" } }));
    expect(bad.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    const { claims } = await story(["A", "B"]);
    const relation = await relate({ fromClaimId: claims[0]!.id, toClaimId: claims[1]!.id, kind: "SUPPORTS" });
    const reporter = await failsWithoutChange(() => gqlAs("REPORTER", UnrelateClaimsDocument, { input: { id: relation.id } }));
    expect(reporter.extensions).toMatchObject({ code: "FORBIDDEN" });
    await gqlOk(UnrelateClaimsDocument, { input: { id: relation.id } });
    expect(onlyError(await gql(UnrelateClaimsDocument, { input: { id: relation.id } })).extensions).toMatchObject({ code: "NOT_FOUND" });
  });

  it("stays consistent when a claim is deleted: the cluster splits, or goes when one claim is left", async () => {
    const { claims } = await story(["A", "B", "C", "D"]);
    const [a, b, c, d] = claims.map((claim) => claim.id) as [string, string, string, string];
    await relate({ fromClaimId: a, toClaimId: b, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: b, toClaimId: c, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: c, toClaimId: d, kind: "SAME_CLAIM" });
    const cluster = await clusterIdOf(a);
    // Deleting B leaves A alone and C-D together.
    await gqlOk(DeleteClaimDocument, { input: { id: b, expectedVersion: 1 } });
    expect(await clusterIdOf(a)).toBeNull();
    expect(await clusterIdOf(c)).toBe(cluster);
    expect(await clusterIdOf(d)).toBe(cluster);
    await expectClustersConsistent();
    // Deleting D leaves C alone: the cluster is removed.
    await gqlOk(DeleteClaimDocument, { input: { id: d, expectedVersion: 1 } });
    expect(await clusterIdOf(c)).toBeNull();
    const prisma = await testPrisma();
    expect(await prisma.claimCluster.findUnique({ where: { id: cluster! } })).toBeNull();
    await expectClustersConsistent();
  });

  it("stays consistent when an article is deleted with its claims", async () => {
    const kept = await story(["The ferry will stop in March.", "Ferry stops in March, says the port."]);
    const gone = await story(["Die Fähre wird im März eingestellt.", "Fähre fährt ab März nicht mehr."], "de");
    await relate({ fromClaimId: kept.claims[0]!.id, toClaimId: gone.claims[0]!.id, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: gone.claims[0]!.id, toClaimId: gone.claims[1]!.id, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: gone.claims[1]!.id, toClaimId: kept.claims[1]!.id, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: gone.claims[1]!.id, toClaimId: kept.claims[1]!.id, kind: "COMMENTS_ON" });
    expect((await gqlOk(ClaimClusterOfClaimDocument, { id: kept.claims[0]!.id })).claim!.cluster!.size).toBe(4);
    await gqlOk(DeleteArticleDocument, { input: { id: gone.article.id, expectedVersion: gone.article.version } });
    // The two kept claims were only linked through the deleted article's claims.
    expect(await clusterIdOf(kept.claims[0]!.id)).toBeNull();
    expect(await clusterIdOf(kept.claims[1]!.id)).toBeNull();
    expect((await gqlOk(ClaimRelationsDocument, { id: kept.claims[1]!.id })).claim!.relations).toEqual([]);
    await expectClustersConsistent();
  });
});

describe("concurrent graph changes", () => {
  it("serialise: a SAME_CLAIM link and its reverse at once make one relation; merges, splits and deletions at once leave the clusters consistent", async () => {
    const { claims } = await story(["A", "B"]);
    const [a, b] = claims.map((claim) => claim.id) as [string, string];
    const results = await Promise.all([
      gql(RelateClaimsDocument, { input: { fromClaimId: a, toClaimId: b, kind: "SAME_CLAIM" } }),
      gql(RelateClaimsDocument, { input: { fromClaimId: b, toClaimId: a, kind: "SAME_CLAIM" } }),
    ]);
    expect(results.filter((result) => !result.errors).length).toBe(1);
    expect(results.flatMap((result) => result.errors ?? []).map((error) => error.extensions?.code)).toEqual(["CONFLICT"]);

    // Ten claims in three articles, linked, unlinked and deleted all at once.
    const articles = [await story(["1", "2", "3", "4"]), await story(["5", "6", "7"], "de"), await story(["8", "9", "10"], "uk")];
    const ids = articles.flatMap((article) => article.claims.map((claim) => claim.id));
    const first = await Promise.all(ids.slice(1).map((id, i) => gql(RelateClaimsDocument, { input: { fromClaimId: ids[i]!, toClaimId: id, kind: "SAME_CLAIM" } })));
    expect(first.every((result) => !result.errors)).toBe(true);
    await expectClustersConsistent();
    const relations = first.map((result) => result.data!.relateClaims.id);
    const mixed = await Promise.all([
      gql(UnrelateClaimsDocument, { input: { id: relations[2]! } }),
      gql(UnrelateClaimsDocument, { input: { id: relations[6]! } }),
      gql(DeleteClaimDocument, { input: { id: ids[4]!, expectedVersion: 1 } }),
      gql(RelateClaimsDocument, { input: { fromClaimId: ids[0]!, toClaimId: ids[9]!, kind: "SAME_CLAIM" } }),
      gql(RelateClaimsDocument, { input: { fromClaimId: ids[8]!, toClaimId: ids[1]!, kind: "CONTRADICTS" } }),
    ]);
    expect(mixed.flatMap((result) => result.errors ?? [])).toEqual([]);
    await expectClustersConsistent();
  }, 60_000);
});

describe("claimCluster", () => {
  it("lists every article carrying the claim (once each), its languages and its latest verdict", async () => {
    const en = await story(["The ferry will stop in March.", "The ferry stops in March, the port says."], "en", "Harbour Line ferry to stop");
    const de = await story(["Die Fähre wird im März eingestellt."], "de", "Hafenfähre wird eingestellt");
    const zh = await story(["港口渡轮将于三月停运。"], "zh-Hans", "港口渡轮停运");
    await relate({ fromClaimId: en.claims[0]!.id, toClaimId: en.claims[1]!.id, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: de.claims[0]!.id, toClaimId: en.claims[0]!.id, kind: "SAME_CLAIM" });
    const link = await relate({ fromClaimId: zh.claims[0]!.id, toClaimId: de.claims[0]!.id, kind: "SAME_CLAIM" });
    const id = link.from.cluster!.id;

    // No verdict recorded yet: the UNVERIFIED every claim starts with.
    const fresh = (await gqlOk(ClaimClusterByIdDocument, { id })).claimCluster!;
    expect(fresh.latestVerdict!.rating).toBe("UNVERIFIED");
    expect(fresh).toMatchObject({ size: 4, languages: ["de", "en", "zh-Hans"] });
    expect(fresh.articles.map((article) => article.title)).toEqual(["Harbour Line ferry to stop", "Hafenfähre wird eingestellt", "港口渡轮停运"]);
    expect(fresh.claims.map((claim) => claim.id)).toEqual([en.claims[0]!.id, en.claims[1]!.id, de.claims[0]!.id, zh.claims[0]!.id]);
    expect(fresh.claims[3]).toMatchObject({ article: { id: zh.article.id, language: "zh-Hans" }, verdict: { rating: "UNVERIFIED" } });
    expect((await gqlOk(ClaimClusterByIdDocument, { id, first: 1 })).claimCluster!.claims).toHaveLength(1);

    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: en.claims[0]!.id, rating: "REFUTED", rationale: "The port extended the service." } });
    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: zh.claims[0]!.id, rating: "MISLEADING", rationale: "Only the night service stops." } });
    const judged = (await gqlOk(ClaimClusterByIdDocument, { id })).claimCluster!;
    expect(judged.latestVerdict).toEqual({ rating: "MISLEADING", rationale: "Only the night service stops.", claim: { id: zh.claims[0]!.id } });
    // The same through any of its claims.
    expect((await gqlOk(ClaimClusterOfClaimDocument, { id: de.claims[0]!.id })).claim!.cluster).toMatchObject({ id, size: 4, latestVerdict: { rating: "MISLEADING" } });
    expect((await gqlOk(ClaimClusterByIdDocument, { id: randomUUID() })).claimCluster).toBeNull();
    expect((await gqlOk(ClaimClusterByIdDocument, { id: "not-a-uuid" })).claimCluster).toBeNull();
  });

  it("shows anonymous readers only the claims, articles and verdicts of published articles", async () => {
    const published = await story(["The ferry will stop in March."], "en", "Published ferry story");
    const draft = await story(["Die Fähre wird im März eingestellt."], "de", "Draft ferry story");
    const hidden = await story(["Ferry ends in March."], "en", "Hidden ferry story");
    await publish(published.article.id);
    const link = await relate({ fromClaimId: draft.claims[0]!.id, toClaimId: published.claims[0]!.id, kind: "SAME_CLAIM" });
    await relate({ fromClaimId: hidden.claims[0]!.id, toClaimId: draft.claims[0]!.id, kind: "SUPPORTS" });
    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: published.claims[0]!.id, rating: "DISPUTED" } });
    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: draft.claims[0]!.id, rating: "REFUTED" } });
    const id = link.from.cluster!.id;

    const staff = (await gqlOk(ClaimClusterByIdDocument, { id })).claimCluster!;
    expect(staff).toMatchObject({ size: 2, languages: ["de", "en"], latestVerdict: { rating: "REFUTED" } });

    const anonymous = (await gqlOkAs(null, ClaimClusterByIdDocument, { id })).claimCluster!;
    expect(anonymous).toMatchObject({ size: 1, languages: ["en"], latestVerdict: { rating: "DISPUTED" } });
    expect(anonymous.claims.map((claim) => claim.id)).toEqual([published.claims[0]!.id]);
    expect(anonymous.articles.map((article) => article.id)).toEqual([published.article.id]);
    // The relation to a claim the reader cannot see is not returned.
    const read = (await gqlOkAs(null, ClaimRelationsDocument, { id: published.claims[0]!.id })).claim!;
    expect(read.relations).toEqual([]);
    expect(read.cluster!.id).toBe(id);
    expect((await gqlOk(ClaimRelationsDocument, { id: published.claims[0]!.id })).claim!.relations).toHaveLength(1);

    // A cluster of unpublished claims only is not there for anonymous readers.
    const other = await story(["A", "B"]);
    const unpublished = await relate({ fromClaimId: other.claims[0]!.id, toClaimId: other.claims[1]!.id, kind: "SAME_CLAIM" });
    expect((await gqlOkAs(null, ClaimClusterByIdDocument, { id: unpublished.from.cluster!.id })).claimCluster).toBeNull();
  });

  it("reads a cluster, a claim's relations and a relation payload's tree in one statement, whatever their size", async () => {
    const counts: number[] = [];
    for (const size of [3, 6]) {
      const articles = [];
      for (let i = 0; i < size; i += 1) {
        const article = await story([`Claim ${i} of ${size}.`, `Comment ${i} of ${size}.`], i % 2 ? "de" : "en");
        await publish(article.article.id);
        articles.push(article);
      }
      for (let i = 1; i < size; i += 1) {
        await relate({ fromClaimId: articles[i]!.claims[0]!.id, toClaimId: articles[0]!.claims[0]!.id, kind: "SAME_CLAIM" });
        await relate({ fromClaimId: articles[i]!.claims[1]!.id, toClaimId: articles[0]!.claims[0]!.id, kind: "COMMENTS_ON" });
      }
      const clusterId = (await clusterIdOf(articles[0]!.claims[0]!.id))!;
      for (const actor of ["EDITOR", null] as const) {
        takeStatements();
        const cluster = (await gqlOkAs(actor, ClaimClusterByIdDocument, { id: clusterId })).claimCluster!;
        expect(cluster.claims).toHaveLength(size);
        counts.push(takeStatements().length);
        const claim = (await gqlOkAs(actor, ClaimRelationsDocument, { id: articles[0]!.claims[0]!.id })).claim!;
        expect(claim.relations).toHaveLength(2 * (size - 1));
        counts.push(takeStatements().length);
      }
      // A mutation payload: the write, then one statement per planned field of the payload.
      const extra = await story([`Extra ${size}.`]);
      takeStatements();
      const payload = (await gqlOk(RelateClaimsWithTreeDocument, { input: { fromClaimId: extra.claims[0]!.id, toClaimId: articles[0]!.claims[0]!.id, kind: "SAME_CLAIM" } })).relateClaims;
      expect(payload.from.cluster!.size).toBe(size + 1);
      expect(payload.from.cluster!.articles).toHaveLength(size + 1);
      const statements = takeStatements();
      const reads = statements.filter((statement) => /json_build_object/.test(statement));
      counts.push(reads.length);
    }
    // Each root read one statement, staff and anonymous; the payload's `from` too (its relations and cluster planned with it).
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  }, 60_000);
});

describe("Claim.origin", () => {
  async function work(title: string) {
    const prisma = await testPrisma();
    return prisma.work.create({ data: { title, type: "NEWS_REPORT", outlet: "Harbour Gazette", url: "https://example.org/ferry", language: "en", publishedAt: new Date("2026-01-01T00:00:00Z"), publishedPrecision: "MONTH" } });
  }

  it("records where a claim was first made, on create and update; null clears it", async () => {
    const gazette = await work("Ferry to stop, port says");
    const radio = await work("Port chief interviewed");
    const article = await createArticle({ title: `Origin ${randomUUID()}` });
    const created = (await gqlOk(CreateClaimWithOriginDocument, { input: { articleId: article.id, statement: "The ferry will stop in March.", originWorkId: gazette.id } })).createClaim;
    expect(created.origin).toEqual({ id: gazette.id, title: "Ferry to stop, port says", type: "NEWS_REPORT" });
    expect((await gqlOk(ClaimOriginDocument, { id: created.id })).claim!.origin).toEqual({ id: gazette.id, title: "Ferry to stop, port says", type: "NEWS_REPORT", url: "https://example.org/ferry", language: "en" });

    const moved = (await gqlOk(UpdateClaimOriginDocument, { input: { id: created.id, expectedVersion: 1, originWorkId: radio.id } })).updateClaim;
    expect(moved).toMatchObject({ version: 2, origin: { id: radio.id } });
    // Not given: unchanged.
    const kept = (await gqlOk(UpdateClaimOriginDocument, { input: { id: created.id, expectedVersion: 2, statement: "The ferry stops in March." } })).updateClaim;
    expect(kept.origin).toEqual({ id: radio.id, title: "Port chief interviewed" });
    const cleared = (await gqlOk(UpdateClaimOriginDocument, { input: { id: created.id, expectedVersion: 3, originWorkId: null } })).updateClaim;
    expect(cleared.origin).toBeNull();
    // Works are reference data: anonymous readers see the origin of a published claim.
    await gqlOk(UpdateClaimOriginDocument, { input: { id: created.id, expectedVersion: 4, originWorkId: gazette.id } });
    await publish(article.id);
    expect((await gqlOkAs(null, ClaimOriginDocument, { id: created.id })).claim!.origin!.id).toBe(gazette.id);
  });

  it("refuses an unknown or malformed work, leaving the data unchanged", async () => {
    const article = await createArticle({ title: `Origin ${randomUUID()}` });
    const missing = randomUUID();
    const create = await failsWithoutChange(() => gql(CreateClaimWithOriginDocument, { input: { articleId: article.id, statement: "The ferry stops.", originWorkId: missing } }));
    expect(create.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.originWorkId", id: missing });
    const claim = await createClaim({ articleId: article.id, statement: "The ferry stops." });
    const update = await failsWithoutChange(() => gql(UpdateClaimOriginDocument, { input: { id: claim.id, expectedVersion: 1, originWorkId: missing } }));
    expect(update.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.originWorkId" });
    const malformed = await failsWithoutChange(() => gql(UpdateClaimOriginDocument, { input: { id: claim.id, expectedVersion: 1, originWorkId: "nope" } }));
    expect(malformed.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
  });
});

describe("the published-read cache", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function instance() {
    const cache = new PublishedReadCache(workerDatabaseUrl());
    await cache.start();
    cleanups.push(() => cache.stop());
    const { app } = await createServer({ prisma: await testPrisma(), config: testConfig(), publishedCache: cache });
    cleanups.push(() => (app as FastifyInstance).close());
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const post = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${address}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      return ((await response.json()) as { data: Record<string, unknown> }).data;
    };
    return { cache, post };
  }

  async function until(condition: () => boolean) {
    for (let attempt = 0; attempt < 100 && !condition(); attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(condition()).toBe(true);
  }

  const CLAIM_QUERY = "query Cluster($id: ID!) { claim(id: $id) { id relations { id } cluster { id size languages latestVerdict { rating } } } }";
  const CLUSTER_QUERY = "query ById($id: ID!) { claimCluster(id: $id) { id size languages } }";

  it("drops cached reads of a claim's cluster and relations when any claim or article of the cluster changes", async () => {
    const { cache, post } = await instance();
    const [a, b, c] = [await story(["The ferry will stop in March."], "en"), await story(["Die Fähre wird im März eingestellt."], "de"), await story(["港口渡轮将于三月停运。"], "zh-Hans")];
    for (const article of [a, b, c]) await publish(article.article.id);
    const link = await relate({ fromClaimId: a.claims[0]!.id, toClaimId: b.claims[0]!.id, kind: "SAME_CLAIM" });
    const clusterId = link.from.cluster!.id;

    /** Reads twice (the second a hit), writes, then reads again: a miss showing the change. */
    const check = async (query: string, id: string, write: () => Promise<unknown>) => {
      const before = await post(query, { id });
      const hits = cache.hits;
      expect(await post(query, { id })).toEqual(before);
      expect(cache.hits).toBe(hits + 1);
      const generation = cache.currentGeneration;
      await write();
      await until(() => cache.currentGeneration > generation);
      const misses = cache.misses;
      const after = await post(query, { id });
      expect(cache.misses).toBe(misses + 1);
      expect(after).not.toEqual(before);
      return after;
    };
    // A verdict on another claim of the cluster changes its latest verdict.
    const judged = await check(CLAIM_QUERY, a.claims[0]!.id, () => gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: b.claims[0]!.id, rating: "REFUTED" } }));
    expect(judged).toMatchObject({ claim: { cluster: { latestVerdict: { rating: "REFUTED" } } } });
    // A link between two other claims grows it.
    const grown = await check(CLAIM_QUERY, a.claims[0]!.id, () => relate({ fromClaimId: c.claims[0]!.id, toClaimId: b.claims[0]!.id, kind: "SAME_CLAIM" }));
    expect(grown).toMatchObject({ claim: { cluster: { size: 3, languages: ["de", "en", "zh-Hans"] } } });
    // An article's language changes the cluster's languages.
    const relabelled = await check(CLUSTER_QUERY, clusterId, () => gqlOk(UpdateArticleDocument, { input: { id: c.article.id, expectedVersion: c.article.version, language: "zh" } }));
    expect(relabelled).toMatchObject({ claimCluster: { languages: ["de", "en", "zh"] } });
    // Removing a link splits it.
    const split = await check(CLUSTER_QUERY, clusterId, () => gqlOk(UnrelateClaimsDocument, { input: { id: link.id } }));
    expect(split).toMatchObject({ claimCluster: { size: 2 } });
    // A relation from another claim shows under the claim.
    const related = await check(CLAIM_QUERY, a.claims[0]!.id, () => relate({ fromClaimId: c.claims[0]!.id, toClaimId: a.claims[0]!.id, kind: "CONTRADICTS" }));
    expect((related as { claim: { relations: unknown[] } }).claim.relations).toHaveLength(1);
  }, 60_000);
});
