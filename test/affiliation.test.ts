import { randomUUID } from "node:crypto";
import {
  AffiliationByIdDocument,
  CreateAffiliationDocument,
  DeleteAffiliationDocument,
  PublishArticleDocument,
  RecordVerdictDocument,
  RenameSourceWithPostsDocument,
  SourcePostsDocument,
  SubmitArticleDocument,
  UpdateAffiliationDocument,
} from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { takeStatements, testPrisma } from "./support/environment";
import { attribute, createAffiliation, createArticleWithClaims, createSource, failsWithoutChange } from "./support/factories";

/** A harbour authority and its spokesperson, named and unnamed. */
async function people() {
  const authority = await createSource("Port Authority of Velmar", "GOVERNMENT");
  const spokesperson = await createSource("Ines Korva", "PERSON");
  const unnamed = await createSource("A senior port official", "UNNAMED_PERSON");
  return { authority, spokesperson, unnamed };
}

describe("affiliations", () => {
  it("records a post with partial dates and reads it back by id and under both sources", async () => {
    const { authority, spokesperson } = await people();
    const post = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "  Spokesperson ", startDate: "2019-03", endDate: "2023" });
    expect(post).toMatchObject({
      title: "Spokesperson",
      startDate: "2019-03",
      endDate: "2023",
      version: 1,
      person: { id: spokesperson.id, name: "Ines Korva", kind: "PERSON" },
      organization: { id: authority.id, kind: "GOVERNMENT" },
    });
    expect((await gqlOk(AffiliationByIdDocument, { id: post.id })).affiliation).toEqual(post);
    const read = await gqlOk(SourcePostsDocument, { id: spokesperson.id });
    expect(read.source?.affiliations).toEqual([post]);
    expect(read.source?.members).toEqual([]);
    const org = await gqlOk(SourcePostsDocument, { id: authority.id });
    expect(org.source?.members).toEqual([{ id: post.id, title: "Spokesperson", person: { id: spokesperson.id, name: "Ines Korva" } }]);
  });

  it("lists posts earliest start first (undated last), limited by first, and in mutation payloads", async () => {
    const { authority, spokesperson } = await people();
    const ministry = await createSource("Ministry of Waterways", "GOVERNMENT");
    const later = await createAffiliation({ personId: spokesperson.id, organizationId: ministry.id, title: "Adviser", startDate: "2023-06-01" });
    const undated = await createAffiliation({ personId: spokesperson.id, organizationId: ministry.id, title: "Board member" });
    const earlier = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson", startDate: "2019" });
    const read = await gqlOk(SourcePostsDocument, { id: spokesperson.id });
    expect(read.source?.affiliations.map((a) => a.id)).toEqual([earlier.id, later.id, undated.id]);
    expect((await gqlOk(SourcePostsDocument, { id: spokesperson.id, first: 1 })).source?.affiliations.map((a) => a.id)).toEqual([earlier.id]);
    const tooMany = onlyError(await gql(SourcePostsDocument, { id: spokesperson.id, first: 501 }));
    expect(tooMany.extensions?.code).toBe("BAD_USER_INPUT");

    const { updateSource } = await gqlOk(RenameSourceWithPostsDocument, { input: { id: spokesperson.id, expectedVersion: 1, name: "Ines Korva-Lind" } });
    expect(updateSource.affiliations).toEqual([
      { id: earlier.id, title: "Spokesperson", startDate: "2019", organization: { id: authority.id, name: "Port Authority of Velmar" } },
      { id: later.id, title: "Adviser", startDate: "2023-06-01", organization: { id: ministry.id, name: "Ministry of Waterways" } },
      { id: undated.id, title: "Board member", startDate: null, organization: { id: ministry.id, name: "Ministry of Waterways" } },
    ]);
    const renamedOrg = await gqlOk(RenameSourceWithPostsDocument, { input: { id: ministry.id, expectedVersion: 1, description: "Ministry." } });
    expect(renamedOrg.updateSource.members.map((m) => m.id)).toEqual([later.id, undated.id]);
  });

  it("accepts an UNNAMED_PERSON, and an end in the same year as a start later in that year", async () => {
    const { authority, unnamed } = await people();
    const post = await createAffiliation({ personId: unnamed.id, organizationId: authority.id, title: "Senior official", startDate: "2013-05", endDate: "2013" });
    expect(post).toMatchObject({ startDate: "2013-05", endDate: "2013", person: { kind: "UNNAMED_PERSON" } });
  });

  it("updates the given fields, clears a date with null, and checks the merged dates", async () => {
    const { authority, spokesperson } = await people();
    const post = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson", startDate: "2019-03-01" });
    const { updateAffiliation } = await gqlOk(UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 1, title: "Chief spokesperson", endDate: "2024-01-15" } });
    expect(updateAffiliation).toMatchObject({ title: "Chief spokesperson", startDate: "2019-03-01", endDate: "2024-01-15", version: 2 });
    const early = await failsWithoutChange(() => gql(UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 2, startDate: "2024-02" } }));
    expect(early.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.endDate" });
    const cleared = await gqlOk(UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 2, endDate: null } });
    expect(cleared.updateAffiliation).toMatchObject({ startDate: "2019-03-01", endDate: null, version: 3 });
    const stored = await (await testPrisma()).affiliation.findUniqueOrThrow({ where: { id: post.id } });
    expect(stored).toMatchObject({ endedAt: null, endedPrecision: null, startedPrecision: "DAY" });
  });

  describe("refuses bad input, naming the field, and changes nothing", () => {
    it("a person that is not a person", async () => {
      const { authority } = await people();
      const other = await createSource("Harbour Workers Union", "ORGANIZATION");
      const error = await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { personId: other.id, organizationId: authority.id, title: "Member" } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.personId" });
      expect(error.message).toContain("ORGANIZATION");
    });

    it("an organisation that is a person", async () => {
      const { spokesperson, unnamed } = await people();
      const error = await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { personId: spokesperson.id, organizationId: unnamed.id, title: "Aide" } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.organizationId" });
    });

    it("the person as their own organisation", async () => {
      const { spokesperson } = await people();
      const error = await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { personId: spokesperson.id, organizationId: spokesperson.id, title: "Self" } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.organizationId" });
    });

    it.each([
      ["2020-05-01", "2020-04-30"],
      ["2020-05", "2020-04"],
      ["2021", "2020-12-31"],
      ["2020-05-01T12:00:00Z", "2020-05-01T11:59:59Z"],
    ])("an end before the start (%s, %s)", async (startDate, endDate) => {
      const { authority, spokesperson } = await people();
      const error = await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson", startDate, endDate } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.endDate" });
      expect(error.message).toContain("before startDate");
    });

    it("an empty or too long title, and a malformed date", async () => {
      const { authority, spokesperson } = await people();
      const base = { personId: spokesperson.id, organizationId: authority.id };
      expect((await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { ...base, title: " " } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.title" });
      expect((await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { ...base, title: "x".repeat(301) } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.title" });
      const date = await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { ...base, title: "T", startDate: "March 2019" } }));
      expect(date.extensions?.code).toBe("BAD_USER_INPUT");
      expect(date.message).toContain("startDate");
    });

    it("unknown sources: NOT_FOUND naming the field", async () => {
      const { authority, spokesperson } = await people();
      const id = randomUUID();
      expect((await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { personId: id, organizationId: authority.id, title: "T" } }))).extensions).toMatchObject({ code: "NOT_FOUND", id, field: "input.personId" });
      expect((await failsWithoutChange(() => gql(CreateAffiliationDocument, { input: { personId: spokesperson.id, organizationId: id, title: "T" } }))).extensions).toMatchObject({ code: "NOT_FOUND", id, field: "input.organizationId" });
    });

    it("an unknown or stale affiliation on update and delete", async () => {
      const { authority, spokesperson } = await people();
      const post = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson" });
      const id = randomUUID();
      expect((await failsWithoutChange(() => gql(UpdateAffiliationDocument, { input: { id, expectedVersion: 1, title: "X" } }))).extensions).toMatchObject({ code: "NOT_FOUND", id });
      expect((await failsWithoutChange(() => gql(DeleteAffiliationDocument, { input: { id, expectedVersion: 1 } }))).extensions).toMatchObject({ code: "NOT_FOUND", id });
      expect((await failsWithoutChange(() => gql(UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 2, title: "X" } }))).extensions).toMatchObject({ code: "CONFLICT", currentVersion: 1 });
      expect((await failsWithoutChange(() => gql(UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 1, organizationId: spokesperson.id } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.organizationId" });
    });
  });

  it("deletes a post, and refuses (CONFLICT) while an attribution names it as the speaker's capacity", async () => {
    const { authority, spokesperson } = await people();
    const loose = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "Former adviser" });
    expect((await gqlOk(DeleteAffiliationDocument, { input: { id: loose.id, expectedVersion: 1 } })).deleteAffiliation.id).toBe(loose.id);
    expect((await gqlOk(AffiliationByIdDocument, { id: loose.id })).affiliation).toBeNull();

    const post = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson" });
    const { claims } = await createArticleWithClaims(["The dredging was completed."]);
    const attribution = await attribute({ claimId: claims[0]!.id, sourceId: spokesperson.id, role: "CLAIMANT" });
    await (await testPrisma()).attribution.update({ where: { id: attribution.id }, data: { capacityId: post.id } });
    const error = await failsWithoutChange(() => gql(DeleteAffiliationDocument, { input: { id: post.id, expectedVersion: 1 } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED", attributions: 1, responses: 0 });
  });

  it("is visible to anonymous readers only with its person", async () => {
    const { authority, spokesperson } = await people();
    const post = await createAffiliation({ personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson" });
    expect((await gqlOkAs(null, AffiliationByIdDocument, { id: post.id })).affiliation).toBeNull();
    expect((await gqlOkAs(null, SourcePostsDocument, { id: authority.id })).source).toBeNull();

    // The spokesperson is then the claimant of a published claim.
    const { article, claims } = await createArticleWithClaims(["The dredging was completed."]);
    await attribute({ claimId: claims[0]!.id, sourceId: spokesperson.id, role: "CLAIMANT" });
    await gqlOkAs("FACT_CHECKER", RecordVerdictDocument, { input: { claimId: claims[0]!.id, rating: "SUPPORTED" } });
    await gqlOk(SubmitArticleDocument, { input: { id: article.id, expectedVersion: 1 } });
    await gqlOk(PublishArticleDocument, { input: { id: article.id, expectedVersion: 2 } });
    expect((await gqlOkAs(null, AffiliationByIdDocument, { id: post.id })).affiliation).toMatchObject({ id: post.id, person: { id: spokesperson.id } });
    expect((await gqlOkAs(null, SourcePostsDocument, { id: spokesperson.id })).source?.affiliations.map((a) => a.id)).toEqual([post.id]);
  });

  it("lets staff create, checkers edit and editors delete (as for sources)", async () => {
    const { authority, spokesperson } = await people();
    const post = (await gqlOkAs("REPORTER", CreateAffiliationDocument, { input: { personId: spokesperson.id, organizationId: authority.id, title: "Spokesperson" } })).createAffiliation;
    expect(onlyError(await gqlAs("REPORTER", UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 1, title: "X" } })).extensions?.code).toBe("FORBIDDEN");
    expect((await gqlOkAs("FACT_CHECKER", UpdateAffiliationDocument, { input: { id: post.id, expectedVersion: 1, title: "X" } })).updateAffiliation.version).toBe(2);
    expect(onlyError(await gqlAs("FACT_CHECKER", DeleteAffiliationDocument, { input: { id: post.id, expectedVersion: 2 } })).extensions?.code).toBe("FORBIDDEN");
    expect(onlyError(await gqlAs(null, CreateAffiliationDocument, { input: { personId: spokesperson.id, organizationId: authority.id, title: "T" } })).extensions?.code).toBe("UNAUTHENTICATED");
    expect((await gqlOkAs("ADMIN", DeleteAffiliationDocument, { input: { id: post.id, expectedVersion: 2 } })).deleteAffiliation.id).toBe(post.id);
  });
});

describe("no N+1", () => {
  /** A person with `n` posts at `n` organisations, each organisation with one more member. */
  async function world(n: number) {
    const prisma = await testPrisma();
    const person = await prisma.source.create({ data: { kind: "PERSON", name: `Person of ${n}` } });
    for (let i = 0; i < n; i++) {
      const org = await prisma.source.create({ data: { kind: "GOVERNMENT", name: `Org ${n}.${i}` } });
      const other = await prisma.source.create({ data: { kind: "PERSON", name: `Colleague ${n}.${i}` } });
      await prisma.affiliation.createMany({
        data: [
          { personId: person.id, organizationId: org.id, title: `Post ${i}` },
          { personId: other.id, organizationId: org.id, title: `Colleague's post ${i}` },
        ],
      });
    }
    return person;
  }

  it("reads a source's posts, their organisations and members in one statement, and its payload in a constant number", async () => {
    const counts = [];
    for (const n of [2, 6]) {
      const person = await world(n);
      takeStatements();
      const read = await gqlOk(SourcePostsDocument, { id: person.id });
      const readStatements = takeStatements().length;
      expect(read.source?.affiliations).toHaveLength(n);
      const { updateSource } = await gqlOk(RenameSourceWithPostsDocument, { input: { id: person.id, expectedVersion: 1, description: "d" } });
      expect(updateSource.affiliations).toHaveLength(n);
      takeStatements();
      // The payload's fields alone (the write itself is counted separately by the write tests).
      await gqlOk(RenameSourceWithPostsDocument, { input: { id: person.id, expectedVersion: 2, description: "e" } });
      counts.push({ readStatements, payload: takeStatements().length });
    }
    expect(counts[0]!.readStatements).toBe(1);
    expect(counts[1]).toEqual(counts[0]);
  });
});
