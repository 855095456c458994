import { randomUUID } from "node:crypto";
import { ArticleChainsDocument, AttributeClaimsDocument, type AttributeClaimsInput, type AttributionLinkInput } from "./generated/operations";
import { gql, gqlAs, gqlOk, onlyError } from "./support/client";
import { attribute, createArticle, createArticleWithClaims, createSource, failsWithoutChange } from "./support/factories";
import { takeStatements, testPrisma } from "./support/environment";

/**
 * attributeClaims: one call attaches the same via chain to many claims of one article (the issue's
 * 42 calls for 7 claims), all or nothing, audited per attribution, in a number of statements that
 * does not depend on the number of claims.
 */

const BODY = "The port authority says cargo fell by a third, Coast Wire reported, citing officials. The Harbour Gazette carried the report.";

/** A made-up story: port officials (unnamed) -> via Coast Wire -> via the Harbour Gazette. */
async function story(claimCount = 7) {
  const statements = Array.from({ length: claimCount }, (_, i) => `Port claim number ${i} about cargo volumes.`);
  const { article, claims } = await createArticleWithClaims(statements, { body: BODY });
  const officials = await createSource("Port officials", "UNNAMED_GROUP");
  const wire = await createSource("Coast Wire", "NEWS_AGENCY");
  const gazette = await createSource("Harbour Gazette", "NEWS_OUTLET");
  const chain: AttributionLinkInput[] = [
    { sourceId: officials.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true, caveat: "Not authorised to speak for the port" },
    { sourceId: wire.id, role: "CONDUIT" },
    { sourceId: gazette.id, role: "CONDUIT" },
  ];
  return { article, claims, officials, wire, gazette, chain };
}

/** `n` claims straight through Prisma (positions 0..n-1) in a new article: for the large calls. */
async function manyClaims(n: number) {
  const article = await createArticle({ title: `Many ${randomUUID()}`, body: BODY });
  const prisma = await testPrisma();
  const claims = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), articleId: article.id, statement: `Bulk claim ${i}.`, position: i }));
  await prisma.claim.createMany({ data: claims });
  return { article, claimIds: claims.map((c) => c.id) };
}

describe("attributeClaims", () => {
  it("attaches officials -> via Coast Wire -> via Harbour Gazette to 7 claims in one call, each link carried via the next", async () => {
    const { article, claims, chain } = await story();
    const { attributeClaims } = await gqlOk(AttributeClaimsDocument, { input: { claimIds: claims.map((c) => c.id), chain } });
    expect(attributeClaims.attributions).toHaveLength(21);
    // Claim by claim, each claim's chain in the order given.
    expect(attributeClaims.attributions.map((a) => [a.claim.position, a.source.name])).toEqual(
      claims.flatMap((_, i) => [
        [i, "Port officials"],
        [i, "Coast Wire"],
        [i, "Harbour Gazette"],
      ]),
    );
    expect(attributeClaims.attributions[0]).toMatchObject({
      role: "CLAIMANT",
      status: "ASSERTED",
      anonymity: "ANONYMOUS",
      anonymityReason: null,
      anonymityReasonNotStated: true,
      caveat: "Not authorised to speak for the port",
      version: 1,
      via: { id: attributeClaims.attributions[1]!.id, source: { name: "Coast Wire" } },
    });
    expect(attributeClaims.attributions[1]).toMatchObject({ role: "CONDUIT", anonymity: "NAMED", via: { id: attributeClaims.attributions[2]!.id, source: { name: "Harbour Gazette" } } });
    expect(attributeClaims.attributions[2]).toMatchObject({ role: "CONDUIT", via: null });

    // Read back: every claim lists its chain in the order given, each link via the next.
    const { article: read } = await gqlOk(ArticleChainsDocument, { id: article.id });
    for (const claim of read!.claims) {
      expect(claim.attributions.map((a) => [a.role, a.source.name, a.via?.source.name ?? null])).toEqual([
        ["CLAIMANT", "Port officials", "Coast Wire"],
        ["CONDUIT", "Coast Wire", "Harbour Gazette"],
        ["CONDUIT", "Harbour Gazette", null],
      ]);
    }

    // One audit entry per attribution, on the article's history.
    const prisma = await testPrisma();
    const audit = await prisma.auditEntry.findMany({ where: { entity: "Attribution", action: "CREATE", articleId: article.id } });
    expect(audit.map((e) => e.entityId).sort()).toEqual(attributeClaims.attributions.map((a) => a.id).sort());
  });

  it("gives every claim the links' status, capacity and work", async () => {
    const { claims } = await story(2);
    const prisma = await testPrisma();
    const director = await createSource("Marta Reis", "PERSON");
    const port = await createSource("Portvale Port Authority", "GOVERNMENT");
    const post = await prisma.affiliation.create({ data: { personId: director.id, organizationId: port.id, title: "Director" } });
    const bulletin = await prisma.work.create({ data: { title: "Port bulletin, March", type: "PRESS_RELEASE" } });
    const { attributeClaims } = await gqlOk(AttributeClaimsDocument, {
      input: { claimIds: claims.map((c) => c.id), chain: [{ sourceId: director.id, role: "CLAIMANT", status: "ALLEGED", capacityId: post.id, workId: bulletin.id, quote: "A third less" }] },
    });
    expect(attributeClaims.attributions).toEqual([
      expect.objectContaining({ claim: { id: claims[0]!.id, position: 0 }, status: "ALLEGED", capacity: { id: post.id, title: "Director" }, work: { id: bulletin.id, title: "Port bulletin, March" }, quote: "A third less", via: null }),
      expect.objectContaining({ claim: { id: claims[1]!.id, position: 1 }, status: "ALLEGED", capacity: { id: post.id, title: "Director" }, work: { id: bulletin.id, title: "Port bulletin, March" } }),
    ]);
  });

  it("costs the same number of statements for 2 claims as for 200, and writes all 2000 attributions of a 10-link chain", async () => {
    const sources = await Promise.all(Array.from({ length: 10 }, (_, i) => createSource(`Chain source ${i}`, "NEWS_AGENCY")));
    const chain: AttributionLinkInput[] = sources.map((s, i) => ({ sourceId: s.id, role: i === 0 ? "CLAIMANT" : "CONDUIT" }));
    const count = async (n: number) => {
      const { claimIds } = await manyClaims(n);
      takeStatements();
      const { attributeClaims } = await gqlOk(AttributeClaimsDocument, { input: { claimIds, chain } });
      const statements = takeStatements().length;
      expect(attributeClaims.attributions).toHaveLength(n * 10);
      return statements;
    };
    const small = await count(2);
    const large = await count(200);
    expect(large).toBe(small);
    // Bounded: the reads and checks, one INSERT per link, one for the audit, the payload's batches.
    expect(small).toBeLessThanOrEqual(35);
    expect(await (await testPrisma()).attribution.count()).toBe(2020);
  });

  it("refuses, naming the claim, when a claim already has one of the chain's sources in that role (CONFLICT), and writes nothing", async () => {
    const { claims, wire, chain } = await story(5);
    const existing = await attribute({ claimId: claims[3]!.id, sourceId: wire.id, role: "CONDUIT" });
    const error = await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds: claims.map((c) => c.id), chain } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", claimId: claims[3]!.id, position: 3, attributionId: existing.id, field: "input.claimIds.3" });
    expect(error.message).toBe('Claim at position 3 ("Port claim number 3 about cargo volumes.") is already attributed to the source of chain.1 as CONDUIT; nothing was written');
  });

  describe("refuses bad input, changing nothing", () => {
    it("claims of two articles with BAD_USER_INPUT naming the stray claim", async () => {
      const { claims, chain } = await story(2);
      const other = await createArticleWithClaims(["Elsewhere."], { body: BODY });
      const error = await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds: [claims[0]!.id, other.claims[0]!.id, claims[1]!.id], chain } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds.1" });
      expect(error.message).toContain("one article");
    });

    it("no claims, more than 200, a repeated claim; no links, more than 10, a repeated source and role: BAD_USER_INPUT", async () => {
      const { claims, chain } = await story(2);
      const ids = claims.map((c) => c.id);
      const refused = async (input: AttributeClaimsInput, field: string) => {
        const error = await failsWithoutChange(() => gql(AttributeClaimsDocument, { input }));
        expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
        return error;
      };
      await refused({ claimIds: [], chain }, "input.claimIds");
      await refused({ claimIds: Array.from({ length: 201 }, () => randomUUID()), chain }, "input.claimIds");
      expect((await refused({ claimIds: [ids[0]!, ids[1]!, ids[0]!], chain }, "input.claimIds.2")).message).toContain("repeats claimIds.0");
      await refused({ claimIds: ids, chain: [] }, "input.chain");
      await refused({ claimIds: ids, chain: Array.from({ length: 11 }, () => chain[1]!) }, "input.chain");
      expect((await refused({ claimIds: ids, chain: [chain[0]!, chain[1]!, chain[1]!] }, "input.chain.2")).message).toContain("repeats the source and role of chain.1");
    });

    it("anonymity rules per link, naming the link: a reason on a NAMED link, or a reason with anonymityReasonNotStated", async () => {
      const { claims, chain } = await story(1);
      const claimIds = [claims[0]!.id];
      const named = await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds, chain: [chain[0]!, { ...chain[1]!, anonymityReason: "Because" }] } }));
      expect(named.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.chain.1.anonymityReason" });
      const both = await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds, chain: [{ ...chain[0]!, anonymityReason: "Briefing rules" }] } }));
      expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.chain.0.anonymityReason" });
    });

    it("an unknown claim, source, capacity or work with NOT_FOUND naming it; another person's capacity with BAD_USER_INPUT", async () => {
      const { claims, chain, wire } = await story(2);
      const claimIds = claims.map((c) => c.id);
      const missingClaim = randomUUID();
      expect((await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds: [...claimIds, missingClaim], chain } }))).extensions).toMatchObject({
        code: "NOT_FOUND",
        field: "input.claimIds.2",
        id: missingClaim,
      });
      const missingSource = randomUUID();
      expect((await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds, chain: [chain[0]!, { ...chain[1]!, sourceId: missingSource }] } }))).extensions).toMatchObject({
        code: "NOT_FOUND",
        field: "input.chain.1.sourceId",
        id: missingSource,
      });
      expect((await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds, chain: [{ ...chain[0]!, capacityId: randomUUID() }] } }))).extensions).toMatchObject({
        code: "NOT_FOUND",
        field: "input.chain.0.capacityId",
      });
      expect((await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds, chain: [chain[0]!, { ...chain[1]!, workId: randomUUID() }] } }))).extensions).toMatchObject({
        code: "NOT_FOUND",
        field: "input.chain.1.workId",
      });
      const prisma = await testPrisma();
      const person = await createSource("Marta Reis", "PERSON");
      const post = await prisma.affiliation.create({ data: { personId: person.id, organizationId: wire.id, title: "Editor" } });
      expect((await failsWithoutChange(() => gql(AttributeClaimsDocument, { input: { claimIds, chain: [chain[0]!, { ...chain[1]!, capacityId: post.id }] } }))).extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "input.chain.1.capacityId",
      });
    });

    it("an anonymous caller with UNAUTHENTICATED, a REPORTER on someone else's article with FORBIDDEN", async () => {
      const { claims, chain } = await story(1);
      const input = { claimIds: [claims[0]!.id], chain };
      expect(onlyError(await gqlAs(null, AttributeClaimsDocument, { input })).extensions?.code).toBe("UNAUTHENTICATED");
      expect((await failsWithoutChange(() => gqlAs("REPORTER", AttributeClaimsDocument, { input }))).extensions?.code).toBe("FORBIDDEN");
      // A FACT_CHECKER may attach sources to any article.
      expect((await gqlAs("FACT_CHECKER", AttributeClaimsDocument, { input })).errors).toBeUndefined();
    });
  });
});
