import { randomUUID } from "node:crypto";
import {
  AttributeClaimDocument,
  AttributionByIdDocument,
  ClaimAttributionsDocument,
  RemoveAttributionDocument,
  UpdateAttributionDocument,
} from "./generated/operations";
import { gql, gqlOk } from "./support/client";
import { attribute, createArticleWithClaims, createSource, failsWithoutChange } from "./support/factories";

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

    it("a via pointing to an attribution of another claim with BAD_USER_INPUT", async () => {
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
