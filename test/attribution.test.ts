import { randomUUID } from "node:crypto";
import {
  AttributeClaimDocument,
  AttributionByIdDocument,
  AttributionProvenanceDocument,
  ClaimAttributionsDocument,
  DeleteClaimDocument,
  RemoveAttributionDocument,
  UpdateAttributionDocument,
} from "./generated/operations";
import { gql, gqlAs, gqlOk } from "./support/client";
import { attribute, createArticleWithClaims, createSource, failsWithoutChange } from "./support/factories";
import { testPrisma } from "./support/environment";
import { buildContext } from "../src/context";

const BODY = "China is supplying Russia with drone and missile technology, senior US officials said. China shares satellite imagery with Russia.";

/** The DW story's layers for one claim: DW published it, Reuters carried it via DW, the officials claimed it via Reuters. */
async function chain() {
  const { claims } = await createArticleWithClaims(["China supplies drone and missile technology to Russia.", "China shares satellite imagery with Russia."], { body: BODY });
  const claim = claims[0]!;
  const dwSource = await createSource("DW (Deutsche Welle)", "NEWS_OUTLET");
  const reutersSource = await createSource("Reuters", "NEWS_AGENCY");
  const officialsSource = await createSource("Senior US officials", "UNNAMED_GROUP");
  const dw = await attribute({ claimId: claim.id, sourceId: dwSource.id, role: "CONDUIT" });
  const reuters = await attribute({ claimId: claim.id, sourceId: reutersSource.id, role: "CONDUIT", viaId: dw.id });
  const officials = await attribute({
    claimId: claim.id,
    sourceId: officialsSource.id,
    role: "CLAIMANT",
    anonymity: "ANONYMOUS",
    anonymityReason: "Briefed reporters on condition of anonymity",
    quote: "China is supplying Russia with drone and missile technology",
    viaId: reuters.id,
  });
  return { claim, otherClaim: claims[1]!, sources: { dw: dwSource, reuters: reutersSource, officials: officialsSource }, dw, reuters, officials };
}

describe("attributions", () => {
  it("attributes a claim with role, anonymity, reason, quote and a via chain read back through Attribution.via.via", async () => {
    const { claim, sources, dw, reuters, officials } = await chain();
    expect(dw).toMatchObject({ role: "CONDUIT", anonymity: "NAMED", anonymityReason: null, quote: null, via: null, version: 1 });
    expect(officials).toMatchObject({
      role: "CLAIMANT",
      anonymity: "ANONYMOUS",
      anonymityReason: "Briefed reporters on condition of anonymity",
      quote: "China is supplying Russia with drone and missile technology",
      version: 1,
      claim: { id: claim.id, statement: claim.statement },
      source: { id: sources.officials.id, name: "Senior US officials" },
      via: { id: reuters.id, source: { name: "Reuters" }, via: { id: dw.id, source: { name: "DW (Deutsche Welle)" }, via: null } },
    });

    const { attribution } = await gqlOk(AttributionByIdDocument, { id: officials.id });
    expect(attribution).toEqual(officials);
  });

  it("lists a claim's attributions in the order they were made, each with its claim and source", async () => {
    const { claim, otherClaim, dw, reuters, officials } = await chain();
    const { claim: read } = await gqlOk(ClaimAttributionsDocument, { id: claim.id });
    expect(read?.attributions.map((a) => a.id)).toEqual([dw.id, reuters.id, officials.id]);
    expect(read?.attributions.map((a) => a.source.name)).toEqual(["DW (Deutsche Welle)", "Reuters", "Senior US officials"]);
    expect(read?.attributions.every((a) => a.claim.id === claim.id)).toBe(true);
    expect((await gqlOk(ClaimAttributionsDocument, { id: otherClaim.id })).claim?.attributions).toEqual([]);
  });

  it("answers null for an unknown or malformed attribution id", async () => {
    expect((await gqlOk(AttributionByIdDocument, { id: randomUUID() })).attribution).toBeNull();
    expect((await gqlOk(AttributionByIdDocument, { id: "x" })).attribution).toBeNull();
  });

  it("defaults anonymity to NAMED and accepts PARTIAL with a reason", async () => {
    const { claims } = await createArticleWithClaims(["A claim."], { body: BODY });
    const agency = await createSource("Reuters", "NEWS_AGENCY");
    const official = await createSource("A senior State Department official", "PERSON");
    expect(await attribute({ claimId: claims[0]!.id, sourceId: agency.id, role: "CONDUIT" })).toMatchObject({ anonymity: "NAMED", anonymityReason: null });
    expect(await attribute({ claimId: claims[0]!.id, sourceId: official.id, role: "CLAIMANT", anonymity: "PARTIAL", anonymityReason: "Not authorised to speak" })).toMatchObject({
      anonymity: "PARTIAL",
      anonymityReason: "Not authorised to speak",
    });
  });

  it("lets the same source play different roles on one claim", async () => {
    const { claims } = await createArticleWithClaims(["A claim."], { body: BODY });
    const reuters = await createSource("Reuters", "NEWS_AGENCY");
    await attribute({ claimId: claims[0]!.id, sourceId: reuters.id, role: "CONDUIT" });
    await attribute({ claimId: claims[0]!.id, sourceId: reuters.id, role: "CONTEXT" });
    expect((await gqlOk(ClaimAttributionsDocument, { id: claims[0]!.id })).claim?.attributions.map((a) => a.role)).toEqual(["CONDUIT", "CONTEXT"]);
  });

  describe("updateAttribution", () => {
    it("changes role, quote and via, bumping the version", async () => {
      const { dw, reuters, officials } = await chain();
      const { updateAttribution } = await gqlOk(UpdateAttributionDocument, {
        input: { id: officials.id, expectedVersion: 1, role: "EVIDENCE", quote: "new quote", viaId: dw.id },
      });
      expect(updateAttribution).toMatchObject({
        id: officials.id,
        role: "EVIDENCE",
        quote: "new quote",
        anonymity: "ANONYMOUS",
        anonymityReason: "Briefed reporters on condition of anonymity",
        version: 2,
        via: { id: dw.id, via: null },
      });
      const cleared = await gqlOk(UpdateAttributionDocument, { input: { id: reuters.id, expectedVersion: 1, viaId: null, quote: null } });
      expect(cleared.updateAttribution).toMatchObject({ via: null, quote: null, version: 2 });
      expect((await gqlOk(AttributionByIdDocument, { id: officials.id })).attribution).toMatchObject({ role: "EVIDENCE", version: 2 });
    });

    it("clears the anonymity reason when the attribution becomes NAMED", async () => {
      const { officials } = await chain();
      const { updateAttribution } = await gqlOk(UpdateAttributionDocument, { input: { id: officials.id, expectedVersion: 1, anonymity: "NAMED" } });
      expect(updateAttribution).toMatchObject({ anonymity: "NAMED", anonymityReason: null, version: 2 });
    });

    it("refuses a stale version with CONFLICT and changes nothing", async () => {
      const { officials } = await chain();
      await gqlOk(UpdateAttributionDocument, { input: { id: officials.id, expectedVersion: 1, quote: "q" } });
      const error = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: officials.id, expectedVersion: 1, quote: "r" } }));
      expect(error.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    });

    it("answers NOT_FOUND for an unknown attribution", async () => {
      const id = randomUUID();
      const error = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id, expectedVersion: 1, quote: "q" } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", id });
    });
  });

  describe("removeAttribution", () => {
    it("removes an attribution nothing came through", async () => {
      const { claim, dw, reuters, officials } = await chain();
      expect((await gqlOk(RemoveAttributionDocument, { input: { id: officials.id, expectedVersion: 1 } })).removeAttribution.id).toBe(officials.id);
      expect((await gqlOk(AttributionByIdDocument, { id: officials.id })).attribution).toBeNull();
      expect((await gqlOk(ClaimAttributionsDocument, { id: claim.id })).claim?.attributions.map((a) => a.id)).toEqual([dw.id, reuters.id]);
    });

    it("refuses to remove an attribution another one came through, with CONFLICT, and changes nothing", async () => {
      const { reuters, dw } = await chain();
      const error = await failsWithoutChange(() => gql(RemoveAttributionDocument, { input: { id: reuters.id, expectedVersion: 1 } }));
      expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED" });
      expect(error.message).toContain(reuters.id);
      const root = await failsWithoutChange(() => gql(RemoveAttributionDocument, { input: { id: dw.id, expectedVersion: 1 } }));
      expect(root.extensions?.code).toBe("CONFLICT");
    });

    it("refuses a stale version with CONFLICT, and an unknown id with NOT_FOUND", async () => {
      const { officials } = await chain();
      await gqlOk(UpdateAttributionDocument, { input: { id: officials.id, expectedVersion: 1, quote: "q" } });
      const stale = await failsWithoutChange(() => gql(RemoveAttributionDocument, { input: { id: officials.id, expectedVersion: 1 } }));
      expect(stale.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
      const id = randomUUID();
      const missing = await failsWithoutChange(() => gql(RemoveAttributionDocument, { input: { id, expectedVersion: 1 } }));
      expect(missing.extensions).toMatchObject({ code: "NOT_FOUND", id });
    });
  });

  describe("refuses, changing nothing", () => {
    it("an unknown claim with NOT_FOUND naming input.claimId", async () => {
      const source = await createSource("Reuters", "NEWS_AGENCY");
      const claimId = randomUUID();
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId, sourceId: source.id, role: "CONDUIT" } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.claimId", id: claimId });
      expect(error.message).toContain("input.claimId");
    });

    it("an unknown source with NOT_FOUND naming input.sourceId", async () => {
      const { claims } = await createArticleWithClaims(["A claim."], { body: BODY });
      const sourceId = randomUUID();
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claims[0]!.id, sourceId, role: "CONDUIT" } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceId", id: sourceId });
      expect(error.message).toContain("input.sourceId");
    });

    it("a malformed claim id with BAD_USER_INPUT", async () => {
      const source = await createSource("Reuters", "NEWS_AGENCY");
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: "c1", sourceId: source.id, role: "CONDUIT" } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.claimId");
    });

    it("an unknown via with NOT_FOUND naming input.viaId", async () => {
      const { claims } = await createArticleWithClaims(["A claim."], { body: BODY });
      const source = await createSource("Reuters", "NEWS_AGENCY");
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claims[0]!.id, sourceId: source.id, role: "CONDUIT", viaId: randomUUID() } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.viaId" });
    });

    it("a via pointing to an attribution of another claim (no shared cluster) with BAD_USER_INPUT", async () => {
      const { otherClaim, dw } = await chain();
      const afp = await createSource("AFP", "NEWS_AGENCY");
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: otherClaim.id, sourceId: afp.id, role: "CONDUIT", viaId: dw.id } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
      expect(error.message).toContain("same claim");
    });

    it("a via pointing to an attribution of another claim, on update, with BAD_USER_INPUT", async () => {
      const { otherClaim, dw } = await chain();
      const afp = await createSource("AFP", "NEWS_AGENCY");
      const onOther = await attribute({ claimId: otherClaim.id, sourceId: afp.id, role: "CONDUIT" });
      const error = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: onOther.id, expectedVersion: 1, viaId: dw.id } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
    });

    it("a via loop on update with BAD_USER_INPUT", async () => {
      const { dw, officials } = await chain();
      const loop = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: dw.id, expectedVersion: 1, viaId: officials.id } }));
      expect(loop.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
      expect(loop.message).toContain("loop");
      const self = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: dw.id, expectedVersion: 1, viaId: dw.id } }));
      expect(self.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
    });

    it("a NAMED attribution with an anonymityReason with BAD_USER_INPUT, on create and on update", async () => {
      const { claim, dw } = await chain();
      const afp = await createSource("AFP", "NEWS_AGENCY");
      const named = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: afp.id, role: "CONDUIT", anonymity: "NAMED", anonymityReason: "Because" } }));
      expect(named.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
      const defaulted = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: afp.id, role: "CONDUIT", anonymityReason: "Because" } }));
      expect(defaulted.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
      const update = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: dw.id, expectedVersion: 1, anonymityReason: "Because" } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
    });

    it("a duplicate (claim, source, role) with CONFLICT, on create and on update", async () => {
      const { claim, sources, reuters } = await chain();
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: sources.reuters.id, role: "CONDUIT" } }));
      expect(error.extensions).toMatchObject({ code: "CONFLICT", attributionId: reuters.id });
      const context = await attribute({ claimId: claim.id, sourceId: sources.reuters.id, role: "CONTEXT" });
      const update = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: context.id, expectedVersion: 1, role: "CONDUIT" } }));
      expect(update.extensions).toMatchObject({ code: "CONFLICT", attributionId: reuters.id });
    });

    it("a quote over 5000 characters with BAD_USER_INPUT naming input.quote", async () => {
      const { claims } = await createArticleWithClaims(["A claim."], { body: BODY });
      const source = await createSource("Reuters", "NEWS_AGENCY");
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claims[0]!.id, sourceId: source.id, role: "CONDUIT", quote: "q".repeat(5001) } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.quote");
    });
  });
});

/** An affiliation, straight through Prisma (its mutations belong to the affiliations module). */
async function affiliationOf(personId: string, organizationId: string, title: string) {
  return (await testPrisma()).affiliation.create({ data: { personId, organizationId, title } });
}

/** An outside work, straight through Prisma (its mutations belong to the works module). */
async function outsideWork(title: string, extra: { outlet?: string; publishedAt?: Date; publishedPrecision?: "YEAR" | "MONTH" | "DAY" | "INSTANT" } = {}) {
  return (await testPrisma()).work.create({ data: { title, type: "INTERVIEW", ...extra } });
}

/** Puts claims into one "same claim" cluster, straight through Prisma (cluster mutations belong to the clusters module). */
async function sameClaim(...claimIds: string[]) {
  const prisma = await testPrisma();
  const cluster = await prisma.claimCluster.create({ data: {} });
  await prisma.claim.updateMany({ where: { id: { in: claimIds } }, data: { clusterId: cluster.id } });
  return cluster.id;
}

const MAYOR_BODY = "The mayor said the bridge will close in March, according to an interview published by the Harbour Gazette.";

/** A made-up story: a mayor, her post at the city council, and the interview she is quoted from. */
async function mayorStory() {
  const { article, claims } = await createArticleWithClaims(["The harbour bridge will close in March.", "Tolls will double."], { body: MAYOR_BODY });
  const mayor = await createSource("Ana Lima", "PERSON");
  const council = await createSource("Portvale City Council", "GOVERNMENT");
  const deputy = await createSource("Rui Costa", "PERSON");
  const mayoralty = await affiliationOf(mayor.id, council.id, "Mayor of Portvale");
  const deputyPost = await affiliationOf(deputy.id, council.id, "Deputy mayor");
  const interview = await outsideWork("Interview with the mayor", { outlet: "Harbour Gazette", publishedAt: new Date("2026-01-01T00:00:00Z"), publishedPrecision: "MONTH" });
  return { article, claim: claims[0]!, otherClaim: claims[1]!, mayor, council, deputy, mayoralty, deputyPost, interview };
}

describe("attribution detail: status, caveat, capacity, work, anonymity not stated", () => {
  it("records and reads back every detail, in the mutation's payload and through the planner", async () => {
    const { claim, mayor, mayoralty, interview } = await mayorStory();
    const created = await attribute({
      claimId: claim.id,
      sourceId: mayor.id,
      role: "CLAIMANT",
      status: "REPUDIATED",
      caveat: "Speaking before the council vote",
      capacityId: mayoralty.id,
      workId: interview.id,
      quote: "The bridge closes in March",
    });
    expect(created).toMatchObject({
      status: "REPUDIATED",
      caveat: "Speaking before the council vote",
      anonymity: "NAMED",
      anonymityReasonNotStated: false,
      capacity: { id: mayoralty.id, title: "Mayor of Portvale" },
      work: { id: interview.id, title: "Interview with the mayor", type: "INTERVIEW" },
    });
    expect((await gqlOk(AttributionByIdDocument, { id: created.id })).attribution).toEqual(created);
    expect((await gqlOk(AttributionProvenanceDocument, { id: created.id })).attribution).toMatchObject({
      status: "REPUDIATED",
      capacity: { title: "Mayor of Portvale", person: { name: "Ana Lima" }, organization: { name: "Portvale City Council" } },
      work: { title: "Interview with the mayor", type: "INTERVIEW", outlet: "Harbour Gazette", publicationDate: "2026-01" },
    });
  });

  it("defaults to ASSERTED, no caveat, capacity or work, and anonymityReasonNotStated false", async () => {
    const { claim, mayor } = await mayorStory();
    expect(await attribute({ claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT" })).toMatchObject({
      status: "ASSERTED",
      caveat: null,
      capacity: null,
      work: null,
      anonymityReasonNotStated: false,
    });
  });

  it("records that the publication gave no reason for an ANONYMOUS or PARTIAL source", async () => {
    const { claim, otherClaim } = await mayorStory();
    const staff = await createSource("Council staff", "UNNAMED_GROUP");
    const anonymous = await attribute({ claimId: claim.id, sourceId: staff.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true });
    expect(anonymous).toMatchObject({ anonymity: "ANONYMOUS", anonymityReason: null, anonymityReasonNotStated: true });
    const partial = await attribute({ claimId: otherClaim.id, sourceId: staff.id, role: "CLAIMANT", anonymity: "PARTIAL", anonymityReasonNotStated: true, caveat: "Not authorised to speak for the council" });
    expect(partial).toMatchObject({ anonymity: "PARTIAL", anonymityReasonNotStated: true, caveat: "Not authorised to speak for the council" });
  });

  it("updates status, caveat, capacity and work, and clears them with null", async () => {
    const { claim, mayor, mayoralty, interview } = await mayorStory();
    const a = await attribute({ claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT" });
    const changed = (
      await gqlOk(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: 1, status: "DISPUTED", caveat: "Off the cuff", capacityId: mayoralty.id, workId: interview.id } })
    ).updateAttribution;
    expect(changed).toMatchObject({ status: "DISPUTED", caveat: "Off the cuff", capacity: { id: mayoralty.id }, work: { id: interview.id }, version: 2 });
    // Fields left out keep their value.
    expect((await gqlOk(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: 2, quote: "q" } })).updateAttribution).toMatchObject({
      status: "DISPUTED",
      caveat: "Off the cuff",
      capacity: { id: mayoralty.id },
      version: 3,
    });
    const cleared = (await gqlOk(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: 3, status: "ASSERTED", caveat: null, capacityId: null, workId: null } })).updateAttribution;
    expect(cleared).toMatchObject({ status: "ASSERTED", caveat: null, capacity: null, work: null, version: 4 });
    expect((await gqlOk(AttributionByIdDocument, { id: a.id })).attribution).toEqual(cleared);
  });

  it("moves between a stated reason and none: a reason given clears anonymityReasonNotStated, and the reverse; NAMED clears both", async () => {
    const { claim } = await mayorStory();
    const staff = await createSource("Council staff", "UNNAMED_GROUP");
    const a = await attribute({ claimId: claim.id, sourceId: staff.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true });
    const update = async (version: number, input: Record<string, unknown>) => (await gqlOk(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: version, ...input } })).updateAttribution;
    expect(await update(1, { anonymityReason: "Feared for her job" })).toMatchObject({ anonymityReason: "Feared for her job", anonymityReasonNotStated: false });
    expect(await update(2, { anonymityReasonNotStated: true })).toMatchObject({ anonymityReason: null, anonymityReasonNotStated: true });
    expect(await update(3, { anonymity: "PARTIAL" })).toMatchObject({ anonymity: "PARTIAL", anonymityReason: null, anonymityReasonNotStated: true });
    expect(await update(4, { anonymity: "NAMED" })).toMatchObject({ anonymity: "NAMED", anonymityReason: null, anonymityReasonNotStated: false });
  });

  describe("refuses, changing nothing", () => {
    it("a capacity that is another person's affiliation with BAD_USER_INPUT, on create and on update", async () => {
      const { claim, mayor, deputyPost, mayoralty } = await mayorStory();
      const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT", capacityId: deputyPost.id } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.capacityId" });
      expect(error.message).toContain("affiliation of the attribution's own source");
      const a = await attribute({ claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT", capacityId: mayoralty.id });
      const update = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: 1, capacityId: deputyPost.id } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.capacityId" });
    });

    it("an unknown capacity or work with NOT_FOUND naming the field, on create and on update", async () => {
      const { claim, mayor } = await mayorStory();
      const capacityId = randomUUID();
      const capacity = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT", capacityId } }));
      expect(capacity.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.capacityId", id: capacityId });
      const workId = randomUUID();
      const work = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT", workId } }));
      expect(work.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.workId", id: workId });
      const a = await attribute({ claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT" });
      const onUpdate = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: 1, workId } }));
      expect(onUpdate.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.workId" });
    });

    it("a malformed capacity or work id, an unknown status, and a caveat over 1000 characters with BAD_USER_INPUT", async () => {
      const { claim, mayor } = await mayorStory();
      const base = { claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT" as const };
      const capacity = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { ...base, capacityId: "post-1" } }));
      expect(capacity.extensions?.code).toBe("BAD_USER_INPUT");
      expect(capacity.message).toContain("capacityId");
      const work = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { ...base, workId: "w" } }));
      expect(work.extensions?.code).toBe("BAD_USER_INPUT");
      expect(work.message).toContain("workId");
      expect((await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { ...base, caveat: "c".repeat(1001) } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.caveat" });
      const status = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { ...base, status: "DENIED" as never } }));
      expect(status.extensions?.code).toBe("BAD_USER_INPUT");
    });

    it("anonymityReasonNotStated with a reason, or on a NAMED source, with BAD_USER_INPUT, on create and on update", async () => {
      const { claim, mayor } = await mayorStory();
      const staff = await createSource("Council staff", "UNNAMED_GROUP");
      const both = await failsWithoutChange(() =>
        gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: staff.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReason: "Fear", anonymityReasonNotStated: true } }),
      );
      expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
      const named = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT", anonymityReasonNotStated: true } }));
      expect(named.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReasonNotStated" });
      const a = await attribute({ claimId: claim.id, sourceId: mayor.id, role: "CLAIMANT" });
      const onNamed = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: a.id, expectedVersion: 1, anonymityReasonNotStated: true } }));
      expect(onNamed.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReasonNotStated" });
      const anon = await attribute({ claimId: claim.id, sourceId: staff.id, role: "CLAIMANT", anonymity: "ANONYMOUS", anonymityReasonNotStated: true });
      const contradiction = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: anon.id, expectedVersion: 1, anonymityReason: "Fear", anonymityReasonNotStated: true } }));
      expect(contradiction.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReason" });
    });
  });
});

describe("chains across articles (the same claim reported in another article)", () => {
  /** The Gazette's interview article and a wire story carrying the same claim, clustered. */
  async function twoArticles() {
    const gazette = await createArticleWithClaims(["The harbour bridge will close in March."], { body: MAYOR_BODY });
    const wire = await createArticleWithClaims(["Portvale's bridge to shut in March, mayor says."], { body: "Portvale's bridge will shut in March, the mayor told the Harbour Gazette." });
    const mayor = await createSource("Ana Lima", "PERSON");
    const gazetteSource = await createSource("Harbour Gazette", "NEWS_OUTLET");
    const wireSource = await createSource("Coast Wire", "NEWS_AGENCY");
    const original = await attribute({ claimId: gazette.claims[0]!.id, sourceId: mayor.id, role: "CLAIMANT" });
    return { gazette, wire, mayor, gazetteSource, wireSource, original };
  }

  it("lets via point to an attribution of a claim of the same cluster in another article, read back across articles", async () => {
    const { gazette, wire, gazetteSource, original } = await twoArticles();
    await sameClaim(gazette.claims[0]!.id, wire.claims[0]!.id);
    const carried = await attribute({ claimId: wire.claims[0]!.id, sourceId: gazetteSource.id, role: "CONDUIT", viaId: original.id });
    expect(carried.via).toMatchObject({ id: original.id, source: { name: "Ana Lima" } });
    expect((await gqlOk(AttributionProvenanceDocument, { id: carried.id })).attribution?.via).toMatchObject({
      id: original.id,
      claim: { id: gazette.claims[0]!.id, statement: "The harbour bridge will close in March." },
      source: { name: "Ana Lima" },
    });
    // And by update, from another attribution of the wire story.
    const other = await attribute({ claimId: wire.claims[0]!.id, sourceId: gazetteSource.id, role: "CONTEXT" });
    expect((await gqlOk(UpdateAttributionDocument, { input: { id: other.id, expectedVersion: 1, viaId: original.id } })).updateAttribution.via?.id).toBe(original.id);
  });

  it("refuses a via into another article when the claims share no cluster, with BAD_USER_INPUT", async () => {
    const { wire, gazetteSource, original } = await twoArticles();
    const error = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: wire.claims[0]!.id, sourceId: gazetteSource.id, role: "CONDUIT", viaId: original.id } }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
    expect(error.message).toContain("same claim cluster");
    // Two claims each in a cluster of its own are not the same claim either.
    await sameClaim(wire.claims[0]!.id);
    const other = await failsWithoutChange(() => gql(AttributeClaimDocument, { input: { claimId: wire.claims[0]!.id, sourceId: gazetteSource.id, role: "CONDUIT", viaId: original.id } }));
    expect(other.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
  });

  it("refuses a loop across articles with BAD_USER_INPUT", async () => {
    const { gazette, wire, gazetteSource, original } = await twoArticles();
    await sameClaim(gazette.claims[0]!.id, wire.claims[0]!.id);
    const carried = await attribute({ claimId: wire.claims[0]!.id, sourceId: gazetteSource.id, role: "CONDUIT", viaId: original.id });
    const loop = await failsWithoutChange(() => gql(UpdateAttributionDocument, { input: { id: original.id, expectedVersion: 1, viaId: carried.id } }));
    expect(loop.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.viaId" });
    expect(loop.message).toContain("loop");
  });

  it("refuses to remove an attribution another article's chain came through (CONFLICT), and to delete its claim", async () => {
    const { gazette, wire, gazetteSource, original } = await twoArticles();
    await sameClaim(gazette.claims[0]!.id, wire.claims[0]!.id);
    await attribute({ claimId: wire.claims[0]!.id, sourceId: gazetteSource.id, role: "CONDUIT", viaId: original.id });
    const error = await failsWithoutChange(() => gql(RemoveAttributionDocument, { input: { id: original.id, expectedVersion: 1 } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED" });
    const claim = await failsWithoutChange(() => gql(DeleteClaimDocument, { input: { id: gazette.claims[0]!.id, expectedVersion: gazette.claims[0]!.version } }));
    expect(claim.extensions?.code).toBe("CONFLICT");
  });

  it("needs the right to attach to both articles: a REPORTER may not chain their draft through another's article (FORBIDDEN)", async () => {
    const { gazette, gazetteSource, original } = await twoArticles();
    const own = await gqlAs("REPORTER", AttributeClaimDocument, { input: { claimId: gazette.claims[0]!.id, sourceId: gazetteSource.id, role: "CONDUIT" } });
    expect(own.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // The reporter's own draft, carrying the same claim.
    const prisma = await testPrisma();
    const reporter = await prisma.user.findFirstOrThrow({ where: { role: "REPORTER" } });
    const draft = await prisma.article.create({ data: { slug: `reporter-${randomUUID()}`, title: "Bridge", body: "Bridge to close.", createdById: reporter.id } });
    const claim = await prisma.claim.create({ data: { articleId: draft.id, statement: "The bridge will close." } });
    await sameClaim(gazette.claims[0]!.id, claim.id);
    // Allowed on the reporter's own draft alone...
    expect((await gqlAs("REPORTER", AttributeClaimDocument, { input: { claimId: claim.id, sourceId: gazetteSource.id, role: "CONTEXT" } })).errors).toBeUndefined();
    // ...not through an editor's article.
    const error = await failsWithoutChange(() => gqlAs("REPORTER", AttributeClaimDocument, { input: { claimId: claim.id, sourceId: gazetteSource.id, role: "CONDUIT", viaId: original.id } }));
    expect(error.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("the payload loaders of capacity and work", () => {
  it("return exactly Prisma's rows (every column, dates as Date, enums as strings, nulls as null)", async () => {
    const prisma = await testPrisma();
    const { mayoralty, deputyPost, interview } = await mayorStory();
    await prisma.affiliation.update({
      where: { id: mayoralty.id },
      data: { startedAt: new Date("2021-10-01T00:00:00Z"), startedPrecision: "MONTH", endedAt: new Date("2025-10-01T00:00:00Z"), endedPrecision: "DAY" },
    });
    await prisma.work.update({ where: { id: interview.id }, data: { url: "https://gazette.example/interview", language: "pt", externalId: "gz-1", note: "May never have taken place" } });
    const bare = await prisma.work.create({ data: { title: "Bare" } });
    const { loaders } = buildContext(prisma, { id: randomUUID(), role: "EDITOR", name: "E", email: "e@example.com" });
    const affiliations = await prisma.affiliation.findMany({ where: { id: { in: [mayoralty.id, deputyPost.id] } } });
    expect(await loaders.attributionCapacityById.loadMany(affiliations.map((a) => a.id))).toStrictEqual(affiliations);
    const works = await prisma.work.findMany({ where: { id: { in: [interview.id, bare.id] } } });
    expect(await loaders.workById.loadMany(works.map((w) => w.id))).toStrictEqual(works);
  });
});
