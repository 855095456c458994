import { randomUUID } from "node:crypto";
import {
  AttributionResponsesDocument,
  AuditLogDocument,
  ClaimRebuttalsDocument,
  ClaimResponsesDocument,
  CreateRebuttalDocument,
  DeleteRebuttalDocument,
  DeleteResponseDocument,
  RebuttalByIdDocument,
  RecordResponseDocument,
  RemoveAttributionDocument,
  DeleteClaimDocument,
  ResponseByIdDocument,
  ResponseLegacyFieldsDocument,
  SourceByIdDocument,
  SourceResponsesDocument,
  UpdateRebuttalDocument,
  UpdateResponseDocument,
  type RecordResponseInput,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs } from "./support/client";
import { takeStatements, testPrisma } from "./support/environment";
import { attribute, createArticle, createArticleWithClaims, createClaim, createRebuttal, createSource, failsWithoutChange } from "./support/factories";

const EMBASSY = "Chinese Embassy in the United States";
/** Claim 1., Claim 2., ... */
const numbered = (count: number) => Array.from({ length: count }, (_, i) => `Claim ${i + 1}.`);

describe("rebuttals (deprecated API, on the Response type)", () => {
  it("creates a rebuttal answering several claims of one article, readable from both sides", async () => {
    const { claims } = await createArticleWithClaims(numbered(4));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const rebuttal = await createRebuttal({
      sourceId: embassy.id,
      // Given out of reading order and with a repeat: stored once each, read back in reading order.
      claimIds: [claims[2]!.id, claims[0]!.id, claims[1]!.id, claims[0]!.id],
      stance: "DENIES",
      text: "The embassy rejects the accusations.",
      quote: "not a producer of or party involved in the Ukraine crisis",
      madeAt: "2024-04-12T18:00:00.000Z",
    });
    expect(rebuttal).toMatchObject({
      stance: "DENIES",
      text: "The embassy rejects the accusations.",
      quote: "not a producer of or party involved in the Ukraine crisis",
      onRecord: true,
      version: 1,
      source: { id: embassy.id, name: embassy.name },
    });
    // DateTime values come back as Date objects from executeOperation (strings over HTTP).
    expect(new Date(rebuttal.madeAt!).toISOString()).toBe("2024-04-12T18:00:00.000Z");
    expect(rebuttal.claims.map((c) => c.id)).toEqual([claims[0]!.id, claims[1]!.id, claims[2]!.id]);

    expect((await gqlOk(RebuttalByIdDocument, { id: rebuttal.id })).rebuttal).toEqual(rebuttal);
    for (const claim of claims.slice(0, 3)) {
      expect((await gqlOk(ClaimRebuttalsDocument, { id: claim.id })).claim?.rebuttals).toEqual([{ id: rebuttal.id, stance: "DENIES", source: { id: embassy.id } }]);
    }
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[3]!.id })).claim?.rebuttals).toEqual([]);
    expect((await gqlOk(SourceByIdDocument, { id: embassy.id })).source?.rebuttals.map((r) => r.id)).toEqual([rebuttal.id]);
  });

  it("records an off-the-record rebuttal and lists a claim's rebuttals in the order they were made", async () => {
    const { claims } = await createArticleWithClaims(numbered(1));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const ministry = await createSource("Chinese Foreign Ministry", "GOVERNMENT");
    const first = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
    const second = await createRebuttal({ sourceId: ministry.id, claimIds: [claims[0]!.id], stance: "CONTEXTUALIZES", text: "Normal trade.", onRecord: false });
    expect(second).toMatchObject({ onRecord: false, quote: null, madeAt: null });
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[0]!.id })).claim?.rebuttals).toEqual([
      { id: first.id, stance: "DENIES", source: { id: embassy.id } },
      { id: second.id, stance: "CONTEXTUALIZES", source: { id: ministry.id } },
    ]);
  });

  it("answers null for an unknown or malformed rebuttal id", async () => {
    expect((await gqlOk(RebuttalByIdDocument, { id: randomUUID() })).rebuttal).toBeNull();
    expect((await gqlOk(RebuttalByIdDocument, { id: "r1" })).rebuttal).toBeNull();
  });

  it("updates fields and replaces the set of claims answered", async () => {
    const { claims } = await createArticleWithClaims(numbered(4));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const ministry = await createSource("Chinese Foreign Ministry", "GOVERNMENT");
    const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id, claims[1]!.id], stance: "DENIES", text: "No.", quote: "q" });
    const { updateRebuttal } = await gqlOk(UpdateRebuttalDocument, {
      input: { id: rebuttal.id, expectedVersion: 1, claimIds: [claims[3]!.id, claims[1]!.id], stance: "DISPUTES", text: "Disputed.", quote: null, onRecord: false, sourceId: ministry.id },
    });
    expect(updateRebuttal).toMatchObject({ stance: "DISPUTES", text: "Disputed.", quote: null, onRecord: false, version: 2, source: { id: ministry.id } });
    expect(updateRebuttal.claims.map((c) => c.id)).toEqual([claims[1]!.id, claims[3]!.id]);
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[0]!.id })).claim?.rebuttals).toEqual([]);
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[3]!.id })).claim?.rebuttals.map((r) => r.id)).toEqual([rebuttal.id]);

    // Without claimIds the set is kept.
    const kept = await gqlOk(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 2, text: "Still disputed." } });
    expect(kept.updateRebuttal).toMatchObject({ text: "Still disputed.", stance: "DISPUTES", onRecord: false, version: 3 });
    expect(kept.updateRebuttal.claims.map((c) => c.id)).toEqual([claims[1]!.id, claims[3]!.id]);
  });

  it("deletes a rebuttal, leaving its claims and source", async () => {
    const { claims } = await createArticleWithClaims(numbered(2));
    const embassy = await createSource(EMBASSY, "GOVERNMENT");
    const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: claims.map((c) => c.id), stance: "DENIES", text: "No." });
    expect((await gqlOk(DeleteRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1 } })).deleteRebuttal.id).toBe(rebuttal.id);
    expect((await gqlOk(RebuttalByIdDocument, { id: rebuttal.id })).rebuttal).toBeNull();
    expect((await gqlOk(ClaimRebuttalsDocument, { id: claims[0]!.id })).claim).toEqual({ id: claims[0]!.id, rebuttals: [] });
    expect((await gqlOk(SourceByIdDocument, { id: embassy.id })).source?.rebuttals).toEqual([]);
  });

  describe("refuses, changing nothing", () => {
    it("claims of two different articles with BAD_USER_INPUT, on create and on update", async () => {
      const one = await createArticleWithClaims(numbered(1));
      const two = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const create = await failsWithoutChange(() =>
        gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [one.claims[0]!.id, two.claims[0]!.id], stance: "DENIES", text: "No." } }),
      );
      expect(create.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
      expect(create.message).toContain("same article");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [one.claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() =>
        gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, claimIds: [one.claims[0]!.id, two.claims[0]!.id] } }),
      );
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
    });

    it("an empty claimIds with BAD_USER_INPUT, on create and on update", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const create = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [], stance: "DENIES", text: "No." } }));
      expect(create.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
      expect(create.message).toContain("at least one claim");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, claimIds: [] } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.claimIds" });
    });

    it("an unknown claim with NOT_FOUND naming input.claimIds", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const missing = randomUUID();
      const error = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [claims[0]!.id, missing], stance: "DENIES", text: "No." } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.claimIds", id: missing });
      expect(error.message).toContain(missing);
    });

    it("an unknown source with NOT_FOUND naming input.sourceId, on create and on update", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const sourceId = randomUUID();
      const create = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." } }));
      expect(create.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceId", id: sourceId });
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, sourceId } }));
      expect(update.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.sourceId" });
    });

    it("an empty text with BAD_USER_INPUT naming input.text, on create and on update", async () => {
      const { claims } = await createArticleWithClaims(numbered(1));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const create = await failsWithoutChange(() => gql(CreateRebuttalDocument, { input: { sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "  " } }));
      expect(create.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
      expect(create.message).toContain("must not be empty");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "" } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
    });

    it("a stale version with CONFLICT on update and delete", async () => {
      const { claims } = await createArticleWithClaims(numbered(2));
      const embassy = await createSource(EMBASSY, "GOVERNMENT");
      const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claims[0]!.id], stance: "DENIES", text: "No." });
      await gqlOk(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "Still no." } });
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1, text: "Other", claimIds: [claims[1]!.id] } }));
      expect(update.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2, expectedVersion: 1 });
      const del = await failsWithoutChange(() => gql(DeleteRebuttalDocument, { input: { id: rebuttal.id, expectedVersion: 1 } }));
      expect(del.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    });

    it("an unknown rebuttal with NOT_FOUND on update and delete", async () => {
      const id = randomUUID();
      const update = await failsWithoutChange(() => gql(UpdateRebuttalDocument, { input: { id, expectedVersion: 1, text: "x" } }));
      expect(update.extensions).toMatchObject({ code: "NOT_FOUND", id });
      const del = await failsWithoutChange(() => gql(DeleteRebuttalDocument, { input: { id, expectedVersion: 1 } }));
      expect(del.extensions).toMatchObject({ code: "NOT_FOUND", id });
    });
  });
});

/** A person, the ministry she speaks for and her post there (affiliations have no GraphQL writes in this branch). */
async function spokesperson(name = "Maria Ortega") {
  const prisma = await testPrisma();
  const person = await createSource(name, "PERSON");
  const ministry = await createSource(`Ministry of Ports ${randomUUID()}`, "GOVERNMENT");
  const post = await prisma.affiliation.create({ data: { personId: person.id, organizationId: ministry.id, title: "Spokesperson" } });
  return { person, ministry, post };
}

async function work(title: string) {
  return (await testPrisma()).work.create({ data: { title, type: "NEWS_REPORT", outlet: "Harbour Times" } });
}

async function publish(articleId: string) {
  await (await testPrisma()).article.update({ where: { id: articleId }, data: { status: "PUBLISHED" } });
}

/** Puts the claims in one new claim cluster: "the same claim" in several articles. */
async function cluster(...claimIds: string[]) {
  const prisma = await testPrisma();
  const { id } = await prisma.claimCluster.create({ data: {} });
  await prisma.claim.updateMany({ where: { id: { in: claimIds } }, data: { clusterId: id } });
}

const record = async (input: RecordResponseInput) => (await gqlOk(RecordResponseDocument, { input })).recordResponse;

describe("responses", () => {
  it("records who responded, in what capacity, through which conduits, when and where, with a stance per claim and per attribution", async () => {
    const { article, claims } = await createArticleWithClaims(["The port was closed for a week.", "Ten ships were turned away."]);
    const { person, post } = await spokesperson();
    const paper = await createSource("Harbour Times", "NEWS_OUTLET");
    const agency = await createSource(`Coast Wire ${randomUUID()}`, "NEWS_AGENCY");
    const misquoted = await attribute({ claimId: claims[1]!.id, sourceId: person.id, role: "CLAIMANT", quote: "ten ships" });
    const interview = await work("Interview with the port authority");
    const dispatch = await work("Ministry denies port closure");
    const response = await record({
      respondentId: person.id,
      capacityId: post.id,
      anonymity: "PARTIAL",
      anonymityReasonNotStated: true,
      caveat: "Spoke without the minister's approval",
      conduits: [{ sourceId: agency.id, workId: dispatch.id }, { sourceId: paper.id }],
      occasion: "Weekly press briefing",
      place: "Valletta",
      madeOn: "2024-04",
      workId: interview.id,
      text: "The ministry denies the closure, disputes the count and says she never gave that figure.",
      quote: "The port never closed.",
      answers: [
        { claimId: claims[0]!.id, stance: "DENIES", quote: "The port never closed." },
        { claimId: claims[1]!.id, stance: "DISPUTES" },
        { attributionId: misquoted.id, stance: "DENIES", quote: "I never said ten ships." },
      ],
    });
    expect(response).toMatchObject({
      respondent: { id: person.id },
      capacity: { id: post.id, title: "Spokesperson" },
      anonymity: "PARTIAL",
      anonymityReason: null,
      anonymityReasonNotStated: true,
      caveat: "Spoke without the minister's approval",
      conduits: [
        { position: 0, source: { id: agency.id }, work: { id: dispatch.id } },
        { position: 1, source: { id: paper.id }, work: null },
      ],
      occasion: "Weekly press briefing",
      place: "Valletta",
      madeOn: "2024-04",
      work: { id: interview.id },
      onRecord: true,
      version: 1,
      answers: [
        { position: 0, stance: "DENIES", quote: "The port never closed.", claim: { id: claims[0]!.id }, attribution: null },
        { position: 1, stance: "DISPUTES", quote: null, claim: { id: claims[1]!.id }, attribution: null },
        { position: 2, stance: "DENIES", quote: "I never said ten ships.", claim: null, attribution: { id: misquoted.id } },
      ],
    });
    // The planned read gives what the payload gave; published, anonymous readers get the same.
    expect((await gqlOk(ResponseByIdDocument, { id: response.id })).response).toEqual(response);
    await publish(article.id);
    expect((await gqlAs(null, ResponseByIdDocument, { id: response.id })).data?.response).toEqual(response);

    // Read from the claim, the attribution and the respondent.
    expect((await gqlOk(ClaimResponsesDocument, { id: claims[1]!.id })).claim?.responses.map((r) => r.id)).toEqual([response.id]);
    expect((await gqlOk(AttributionResponsesDocument, { id: misquoted.id })).attribution?.responses).toEqual([
      { id: response.id, answers: expect.arrayContaining([{ stance: "DENIES", quote: "I never said ten ships.", attribution: { id: misquoted.id } }]) as unknown },
    ]);
    expect((await gqlOk(SourceResponsesDocument, { id: person.id })).source?.responses).toEqual([{ id: response.id }]);

    // The deprecated fields: mixed stances have no single one; madeAt is the start of the period.
    expect((await gqlOk(ResponseLegacyFieldsDocument, { id: response.id })).rebuttal).toEqual({
      id: response.id,
      stance: null,
      madeAt: "2024-04-01T00:00:00.000Z",
      source: { id: person.id },
      claims: [{ id: claims[0]!.id }, { id: claims[1]!.id }],
    });

    // No N+1: the whole tree (respondent, capacity, conduits with sources and works, work, answers with claims and attributions) is one statement.
    takeStatements();
    await gqlAs(null, ResponseByIdDocument, { id: response.id });
    expect(takeStatements()).toHaveLength(1);

    // Audited as a Response.
    const { auditLog } = await gqlOk(AuditLogDocument, { entityId: response.id, first: 10 });
    expect(auditLog.edges.map((e) => [e.node.entity, e.node.action])).toEqual([["Response", "CREATE"]]);
  });

  it("records a \"neither confirms nor denies\" and gives the shared stance through the deprecated field", async () => {
    const { claims } = await createArticleWithClaims(["A drone came down near the base."]);
    const ministry = await createSource(`Ministry of Defence ${randomUUID()}`, "GOVERNMENT");
    const response = await record({ respondentId: ministry.id, text: "Cannot confirm.", answers: [{ claimId: claims[0]!.id, stance: "NEITHER_CONFIRMS_NOR_DENIES" }] });
    expect(response).toMatchObject({ anonymity: "NAMED", anonymityReasonNotStated: false, conduits: [], madeOn: null, work: null, capacity: null });
    expect((await gqlOk(ResponseLegacyFieldsDocument, { id: response.id })).rebuttal?.stance).toBe("NEITHER_CONFIRMS_NOR_DENIES");
  });

  it("answers claims of one claim cluster across articles, and shows anonymous readers only the published side", async () => {
    const english = await createArticleWithClaims(["The ferry line will close."]);
    const spanish = await createArticleWithClaims(["La línea de ferri cerrará."], { language: "es" });
    await cluster(english.claims[0]!.id, spanish.claims[0]!.id);
    const operator = await createSource(`Island Ferries ${randomUUID()}`, "COMPANY");
    const response = await record({
      respondentId: operator.id,
      text: "The operator denies it in both languages.",
      answers: [
        { claimId: english.claims[0]!.id, stance: "DENIES" },
        { claimId: spanish.claims[0]!.id, stance: "DENIES", quote: "No cerraremos." },
      ],
    });
    expect(response.answers.map((a) => a.claim?.id)).toEqual([english.claims[0]!.id, spanish.claims[0]!.id]);

    // Neither article published: hidden from anonymous readers, as is the respondent.
    expect((await gqlAs(null, ResponseByIdDocument, { id: response.id })).data?.response).toBeNull();
    expect((await gqlAs(null, SourceResponsesDocument, { id: operator.id })).data?.source).toBeNull();
    // One published: the response is visible, with the published article's answer only.
    await publish(english.article.id);
    const anonymous = (await gqlAs(null, ResponseByIdDocument, { id: response.id })).data?.response;
    expect(anonymous?.answers.map((a) => a.claim?.id)).toEqual([english.claims[0]!.id]);
    expect((await gqlAs(null, ResponseLegacyFieldsDocument, { id: response.id })).data?.rebuttal?.claims).toEqual([{ id: english.claims[0]!.id }]);
    expect((await gqlAs(null, SourceResponsesDocument, { id: operator.id })).data?.source?.responses).toEqual([{ id: response.id }]);
    expect((await gqlAs(null, ClaimResponsesDocument, { id: spanish.claims[0]!.id })).data?.claim).toBeNull();
  });

  it("makes conduit sources visible with a published response", async () => {
    const { article, claims } = await createArticleWithClaims(["Tolls will double."]);
    const agency = await createSource(`Bridge Wire ${randomUUID()}`, "NEWS_AGENCY");
    const authority = await createSource(`Bridge Authority ${randomUUID()}`, "GOVERNMENT");
    await record({ respondentId: authority.id, text: "No.", conduits: [{ sourceId: agency.id }], answers: [{ claimId: claims[0]!.id, stance: "DENIES" }] });
    expect((await gqlAs(null, SourceResponsesDocument, { id: agency.id })).data?.source).toBeNull();
    await publish(article.id);
    expect((await gqlAs(null, SourceResponsesDocument, { id: agency.id })).data?.source).toEqual({ id: agency.id, responses: [] });
  });

  it("updates provenance, replaces answers and conduits, clears the date, and deletes", async () => {
    const { claims } = await createArticleWithClaims(["Rates rise.", "Wages fall."]);
    const { person, post } = await spokesperson();
    const other = await spokesperson("Ana Ruiz");
    const agency = await createSource(`Rates Wire ${randomUUID()}`, "NEWS_AGENCY");
    const response = await record({ respondentId: person.id, capacityId: post.id, madeOn: "2024-05-02", text: "No.", conduits: [{ sourceId: agency.id }], answers: [{ claimId: claims[0]!.id, stance: "DENIES" }] });
    const { updateResponse } = await gqlOk(UpdateResponseDocument, {
      input: {
        id: response.id,
        expectedVersion: 1,
        respondentId: other.person.id,
        capacityId: other.post.id,
        anonymity: "ANONYMOUS",
        anonymityReason: "Not authorised to speak",
        madeOn: null,
        conduits: [],
        answers: [
          { claimId: claims[1]!.id, stance: "CONTEXTUALIZES", quote: "Wages follow prices." },
          { claimId: claims[0]!.id, stance: "CONCEDES" },
        ],
      },
    });
    expect(updateResponse).toMatchObject({
      respondent: { id: other.person.id },
      capacity: { id: other.post.id },
      anonymity: "ANONYMOUS",
      anonymityReason: "Not authorised to speak",
      madeOn: null,
      conduits: [],
      text: "No.",
      version: 2,
      answers: [
        { position: 0, stance: "CONTEXTUALIZES", quote: "Wages follow prices.", claim: { id: claims[1]!.id } },
        { position: 1, stance: "CONCEDES", quote: null, claim: { id: claims[0]!.id } },
      ],
    });
    // Omitted lists are kept.
    const kept = (await gqlOk(UpdateResponseDocument, { input: { id: response.id, expectedVersion: 2, text: "Partly." } })).updateResponse;
    expect(kept).toMatchObject({ text: "Partly.", version: 3, answers: updateResponse.answers });

    const { auditLog } = await gqlOk(AuditLogDocument, { entityId: response.id, first: 10 });
    expect(auditLog.edges.map((e) => [e.node.entity, e.node.action])).toEqual([["Response", "UPDATE"], ["Response", "UPDATE"], ["Response", "CREATE"]]);

    const stale = await failsWithoutChange(() => gql(UpdateResponseDocument, { input: { id: response.id, expectedVersion: 2, text: "x" } }));
    expect(stale.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 3 });
    const staleDelete = await failsWithoutChange(() => gql(DeleteResponseDocument, { input: { id: response.id, expectedVersion: 1 } }));
    expect(staleDelete.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 3 });
    expect((await gqlOk(DeleteResponseDocument, { input: { id: response.id, expectedVersion: 3 } })).deleteResponse.id).toBe(response.id);
    expect((await gqlOk(ResponseByIdDocument, { id: response.id })).response).toBeNull();
    const gone = await failsWithoutChange(() => gql(DeleteResponseDocument, { input: { id: response.id, expectedVersion: 3 } }));
    expect(gone.extensions).toMatchObject({ code: "NOT_FOUND", id: response.id });
  });

  it("goes with the last claim or attribution it answers, and stays while it answers another", async () => {
    const { claims } = await createArticleWithClaims(["First.", "Second."]);
    const person = await createSource(`Official ${randomUUID()}`, "PERSON");
    const attribution = await attribute({ claimId: claims[0]!.id, sourceId: person.id, role: "CLAIMANT" });
    const onlyAttribution = await record({ respondentId: person.id, text: "Never said it.", answers: [{ attributionId: attribution.id, stance: "DENIES" }] });
    const both = await record({ respondentId: person.id, text: "Both.", answers: [{ attributionId: attribution.id, stance: "DENIES" }, { claimId: claims[1]!.id, stance: "DISPUTES" }] });
    await gqlOk(RemoveAttributionDocument, { input: { id: attribution.id, expectedVersion: 1 } });
    expect((await gqlOk(ResponseByIdDocument, { id: onlyAttribution.id })).response).toBeNull();
    expect((await gqlOk(ResponseByIdDocument, { id: both.id })).response?.answers).toEqual([{ stance: "DISPUTES", quote: null, position: 1, claim: { id: claims[1]!.id }, attribution: null }]);
    await gqlOk(DeleteClaimDocument, { input: { id: claims[1]!.id, expectedVersion: 1 } });
    expect((await gqlOk(ResponseByIdDocument, { id: both.id })).response).toBeNull();
  });

  describe("refuses, changing nothing", () => {
    async function setUp() {
      const { claims } = await createArticleWithClaims(["One.", "Two."]);
      const respondent = await createSource(`Respondent ${randomUUID()}`, "PERSON");
      const base: RecordResponseInput = { respondentId: respondent.id, text: "No.", answers: [{ claimId: claims[0]!.id, stance: "DENIES" }] };
      return { claims, respondent, base };
    }

    it("an answer with no target, or with two, naming the answer (BAD_USER_INPUT)", async () => {
      const { claims, respondent, base } = await setUp();
      const attribution = await attribute({ claimId: claims[0]!.id, sourceId: respondent.id, role: "CLAIMANT" });
      const none = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, answers: [{ claimId: claims[0]!.id, stance: "DENIES" }, { stance: "DENIES" }] } }));
      expect(none.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers.1" });
      const two = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, answers: [{ claimId: claims[0]!.id, attributionId: attribution.id, stance: "DENIES" }] } }));
      expect(two.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers.0" });
      expect(two.message).toContain("exactly one of claimId and attributionId");
    });

    it("no answer, more than 200, or one target twice (BAD_USER_INPUT)", async () => {
      const { claims, base } = await setUp();
      const empty = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, answers: [] } }));
      expect(empty.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers" });
      const many = Array.from({ length: 201 }, () => ({ claimId: randomUUID(), stance: "DENIES" as const }));
      const tooMany = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, answers: many } }));
      expect(tooMany.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers" });
      const twice = await failsWithoutChange(() =>
        gql(RecordResponseDocument, { input: { ...base, answers: [{ claimId: claims[0]!.id, stance: "DENIES" }, { claimId: claims[1]!.id, stance: "DENIES" }, { claimId: claims[0]!.id, stance: "CONCEDES" }] } }),
      );
      expect(twice.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers.2" });
    });

    it("targets in two articles that are not one claim cluster (BAD_USER_INPUT), on record and on update", async () => {
      const { claims, base } = await setUp();
      const other = await createArticleWithClaims(["Elsewhere."]);
      const error = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, answers: [{ claimId: claims[0]!.id, stance: "DENIES" }, { claimId: other.claims[0]!.id, stance: "DENIES" }] } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers" });
      expect(error.message).toContain("claim cluster");
      const response = await record(base);
      const update = await failsWithoutChange(() =>
        gql(UpdateResponseDocument, { input: { id: response.id, expectedVersion: 1, answers: [{ claimId: claims[1]!.id, stance: "DENIES" }, { claimId: other.claims[0]!.id, stance: "DENIES" }] } }),
      );
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.answers" });
    });

    it("a capacity that is not one of the respondent's posts (BAD_USER_INPUT), on record and on update", async () => {
      const { base } = await setUp();
      const { post } = await spokesperson();
      const error = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, capacityId: post.id } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.capacityId" });
      const response = await record(base);
      const update = await failsWithoutChange(() => gql(UpdateResponseDocument, { input: { id: response.id, expectedVersion: 1, capacityId: post.id } }));
      expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.capacityId" });
    });

    it("unknown claims, attributions, respondents, capacities, works and conduits (NOT_FOUND naming the field)", async () => {
      const { base } = await setUp();
      const missing = randomUUID();
      const cases: Array<[Partial<RecordResponseInput>, string]> = [
        [{ answers: [{ claimId: missing, stance: "DENIES" }] }, "input.answers.0.claimId"],
        [{ answers: [...base.answers, { attributionId: missing, stance: "DENIES" }] }, "input.answers.1.attributionId"],
        [{ respondentId: missing }, "input.respondentId"],
        [{ capacityId: missing }, "input.capacityId"],
        [{ workId: missing }, "input.workId"],
        [{ conduits: [{ sourceId: base.respondentId }, { sourceId: missing }] }, "input.conduits.1.sourceId"],
        [{ conduits: [{ sourceId: base.respondentId, workId: missing }] }, "input.conduits.0.workId"],
      ];
      for (const [change, field] of cases) {
        const error = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, ...change } }));
        expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field, id: missing });
      }
    });

    it("more than 20 conduits, an anonymity reason together with \"not stated\", an empty text, a bad date (BAD_USER_INPUT)", async () => {
      const { base, respondent } = await setUp();
      const conduits = Array.from({ length: 21 }, () => ({ sourceId: respondent.id }));
      expect((await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, conduits } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.conduits" });
      const both = await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, anonymity: "ANONYMOUS", anonymityReason: "Fear", anonymityReasonNotStated: true } }));
      expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.anonymityReasonNotStated" });
      expect((await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, text: " " } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.text" });
      expect((await failsWithoutChange(() => gql(RecordResponseDocument, { input: { ...base, madeOn: "April 2024" } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    });

    it("a reporter answering a claim of another's article, even within one cluster (FORBIDDEN)", async () => {
      const own = await createArticle({ title: `Own ${randomUUID()}` }, "REPORTER");
      const ownClaim = await createClaim({ articleId: own.id, statement: "Mine." }, "REPORTER");
      const { claims } = await createArticleWithClaims(["Theirs."]);
      await cluster(ownClaim.id, claims[0]!.id);
      const respondent = await createSource(`Respondent ${randomUUID()}`, "PERSON");
      const input: RecordResponseInput = { respondentId: respondent.id, text: "No.", answers: [{ claimId: ownClaim.id, stance: "DENIES" }, { claimId: claims[0]!.id, stance: "DENIES" }] };
      const error = await failsWithoutChange(() => gqlAs("REPORTER", RecordResponseDocument, { input }));
      expect(error.extensions).toMatchObject({ code: "FORBIDDEN" });
      expect((await gqlOkAs("REPORTER", RecordResponseDocument, { input: { ...input, answers: [input.answers[0]!] } })).recordResponse.answers).toHaveLength(1);
    });

    it("anonymous callers (UNAUTHENTICATED)", async () => {
      const { base } = await setUp();
      const error = await failsWithoutChange(() => gqlAs(null, RecordResponseDocument, { input: base }));
      expect(error.extensions?.code).toBe("UNAUTHENTICATED");
    });
  });
});
