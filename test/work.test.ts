import { randomUUID } from "node:crypto";
import { CreateWorkDocument, DeleteWorkDocument, UpdateWorkDocument, WorkByIdDocument, WorksDocument, type WorkType } from "./generated/operations";
import { gql, gqlAs, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { takeStatements, testPrisma } from "./support/environment";
import { createArticleWithClaims, createSource, createWork, failsWithoutChange } from "./support/factories";

describe("outside works", () => {
  it("creates a work with a partial publication date and reads it back, anonymous readers included", async () => {
    const paper = await createSource("Daily Harbour Gazette", "NEWS_OUTLET");
    const created = await createWork({
      type: "INTERVIEW",
      title: "Harbour master: the dredging never happened",
      outletSourceId: paper.id,
      url: "https://gazette.example.org/2013/01/dredging",
      language: "en",
      publicationDate: "2013-01",
      externalId: "gazette:2013-01-dredging",
      note: "The harbour master later denied giving this interview.",
    });
    expect(created).toMatchObject({
      type: "INTERVIEW",
      outlet: "Daily Harbour Gazette", // taken from the outlet source
      outletSource: { id: paper.id, name: "Daily Harbour Gazette", kind: "NEWS_OUTLET" },
      publicationDate: "2013-01",
      externalId: "gazette:2013-01-dredging",
      version: 1,
    });
    const { work } = await gqlOk(WorkByIdDocument, { id: created.id });
    expect(work).toEqual(created);
    const anonymous = await gqlOkAs(null, WorkByIdDocument, { id: created.id });
    expect(anonymous.work).toMatchObject({ id: created.id, title: created.title, publicationDate: "2013-01" });
  });

  it("defaults the type to NEWS_REPORT and keeps every precision as given", async () => {
    for (const [date, expected] of [
      ["2011", "2011"],
      ["2011-10-28", "2011-10-28"],
      ["2011-10-28T14:05:00+02:00", "2011-10-28T12:05:00.000Z"],
    ] as const) {
      const work = await createWork({ title: `Dated ${date}`, publicationDate: date });
      expect(work).toMatchObject({ type: "NEWS_REPORT", publicationDate: expected, outlet: null, outletSource: null });
      expect((await gqlOk(WorkByIdDocument, { id: work.id })).work?.publicationDate).toBe(expected);
    }
  });

  it("updates the given fields only, takes the outlet's name from a new outlet source, clears with null", async () => {
    const agency = await createSource("Coastline Press Agency", "NEWS_AGENCY");
    const work = await createWork({ title: "Ferry cancelled", outlet: "Somebody", publicationDate: "2020" });
    const { updateWork } = await gqlOk(UpdateWorkDocument, { input: { id: work.id, expectedVersion: 1, outletSourceId: agency.id, publicationDate: "2020-03-04", type: "BROADCAST" } });
    expect(updateWork).toMatchObject({ title: "Ferry cancelled", outlet: "Coastline Press Agency", outletSource: { id: agency.id }, publicationDate: "2020-03-04", type: "BROADCAST", version: 2 });
    const cleared = await gqlOk(UpdateWorkDocument, { input: { id: work.id, expectedVersion: 2, outletSourceId: null, publicationDate: null, outlet: "Coastline" } });
    expect(cleared.updateWork).toMatchObject({ outlet: "Coastline", outletSource: null, publicationDate: null, version: 3 });
    const stored = await (await testPrisma()).work.findUniqueOrThrow({ where: { id: work.id } });
    expect(stored).toMatchObject({ publishedAt: null, publishedPrecision: null, outletSourceId: null });
  });

  it("lists works newest first, filtered by a part of the title, by types and by outlet, with cursors", async () => {
    const paper = await createSource("Daily Harbour Gazette", "NEWS_OUTLET");
    const a = await createWork({ title: "Dredging plan approved", type: "NEWS_REPORT", outletSourceId: paper.id });
    const b = await createWork({ title: "Ministry statement on dredging", type: "OFFICIAL_STATEMENT" });
    const c = await createWork({ title: "Ferry timetable", type: "PRESS_RELEASE", outletSourceId: paper.id });
    const all = await gqlOk(WorksDocument, {});
    expect(all.works.totalCount).toBe(3);
    expect(all.works.edges.map((e) => e.node.id)).toEqual([c.id, b.id, a.id]);
    const dredging = await gqlOk(WorksDocument, { filter: { search: "DREDGING" } });
    expect(dredging.works.edges.map((e) => e.node.id)).toEqual([b.id, a.id]);
    const statements = await gqlOk(WorksDocument, { filter: { type: ["OFFICIAL_STATEMENT", "PRESS_RELEASE"] } });
    expect(statements.works.edges.map((e) => e.node.id)).toEqual([c.id, b.id]);
    const byOutlet = await gqlOk(WorksDocument, { filter: { outletSourceId: paper.id, search: "dredging" } });
    expect(byOutlet.works).toMatchObject({ totalCount: 1, edges: [{ node: { id: a.id } }] });
    const literal = await gqlOk(WorksDocument, { filter: { search: "%" } });
    expect(literal.works.totalCount).toBe(0);
    const page = await gqlOk(WorksDocument, { first: 2 });
    expect(page.works.pageInfo.hasNextPage).toBe(true);
    const next = await gqlOk(WorksDocument, { first: 2, after: page.works.pageInfo.endCursor });
    expect(next.works.edges.map((e) => e.node.id)).toEqual([a.id]);
  });

  describe("refuses bad input, naming the field, and changes nothing", () => {
    it("an empty title", async () => {
      const error = await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "  " } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.title" });
    });

    it.each(["January 2013", "2013-13", "2013-02-30", "2013-01-31T10:00"])("a publication date that is not a partial date: %s", async (publicationDate) => {
      const error = await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "X", publicationDate } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("publicationDate");
    });

    it("a malformed URL or language", async () => {
      expect((await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "X", url: "not a url" } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.url" });
      expect((await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "X", language: "english!" } }))).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.language" });
    });

    it("an unknown type given as a variable", async () => {
      const error = await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "X", type: "TWEETSTORM" as WorkType } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    });

    it.each(["PERSON", "UNNAMED_PERSON", "DOCUMENT", "UNNAMED_GROUP"] as const)("an outlet source that is a %s", async (kind) => {
      const source = await createSource(`Not an outlet ${kind}`, kind);
      const error = await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "X", outletSourceId: source.id } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.outletSourceId" });
      expect(error.message).toContain(kind);
    });

    it("an outlet source that does not exist: NOT_FOUND", async () => {
      const id = randomUUID();
      const error = await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "X", outletSourceId: id } }));
      expect(error.extensions).toMatchObject({ code: "NOT_FOUND", id, field: "input.outletSourceId" });
    });

    it("a search longer than 300 characters", async () => {
      const error = onlyError(await gql(WorksDocument, { filter: { search: "x".repeat(301) } }));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.search" });
    });
  });

  it("refuses a known externalId with CONFLICT carrying the existing work's id, on create and on update", async () => {
    const first = await createWork({ title: "Original", externalId: "doi:10.1000/182" });
    const other = await createWork({ title: "Other" });
    const created = await failsWithoutChange(() => gql(CreateWorkDocument, { input: { title: "Again", externalId: "doi:10.1000/182" } }));
    expect(created.extensions).toMatchObject({ code: "CONFLICT", existingId: first.id, field: "input.externalId" });
    const updated = await failsWithoutChange(() => gql(UpdateWorkDocument, { input: { id: other.id, expectedVersion: 1, externalId: "doi:10.1000/182" } }));
    expect(updated.extensions).toMatchObject({ code: "CONFLICT", existingId: first.id });
    expect((await gqlOk(UpdateWorkDocument, { input: { id: first.id, expectedVersion: 1, externalId: "doi:10.1000/182", title: "Original (corrected)" } })).updateWork.version).toBe(2);
  });

  it("refuses a stale version (CONFLICT), an unknown id (NOT_FOUND) and a malformed one (BAD_USER_INPUT)", async () => {
    const work = await createWork();
    await gqlOk(UpdateWorkDocument, { input: { id: work.id, expectedVersion: 1, note: "n" } });
    expect((await failsWithoutChange(() => gql(UpdateWorkDocument, { input: { id: work.id, expectedVersion: 1, note: "m" } }))).extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    expect((await failsWithoutChange(() => gql(DeleteWorkDocument, { input: { id: work.id, expectedVersion: 1 } }))).extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    const id = randomUUID();
    expect((await failsWithoutChange(() => gql(UpdateWorkDocument, { input: { id, expectedVersion: 1, note: "m" } }))).extensions).toMatchObject({ code: "NOT_FOUND", id });
    expect((await failsWithoutChange(() => gql(DeleteWorkDocument, { input: { id, expectedVersion: 1 } }))).extensions).toMatchObject({ code: "NOT_FOUND", id });
    const malformed = await failsWithoutChange(() => gql(DeleteWorkDocument, { input: { id: "nope", expectedVersion: 1 } }));
    expect(malformed.extensions?.code).toBe("BAD_USER_INPUT");
    expect(malformed.message).toContain("input.id");
    expect((await gqlOk(WorkByIdDocument, { id: "nope" })).work).toBeNull();
  });

  it("deletes an uncited work, and refuses (CONFLICT) while a claim cites it", async () => {
    const loose = await createWork();
    expect((await gqlOk(DeleteWorkDocument, { input: { id: loose.id, expectedVersion: 1 } })).deleteWork.id).toBe(loose.id);
    expect((await gqlOk(WorkByIdDocument, { id: loose.id })).work).toBeNull();

    const cited = await createWork({ title: "Where the claim was first made" });
    const { claims } = await createArticleWithClaims(["The dredging never happened."]);
    await (await testPrisma()).claim.update({ where: { id: claims[0]!.id }, data: { originWorkId: cited.id } });
    const error = await failsWithoutChange(() => gql(DeleteWorkDocument, { input: { id: cited.id, expectedVersion: 1 } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED", claims: 1, attributions: 0, responses: 0, conduits: 0 });
  });

  it("lets staff create, checkers edit and editors delete; anonymous callers must sign in", async () => {
    const byReporter = await gqlOkAs("REPORTER", CreateWorkDocument, { input: { title: "Reporter's find" } });
    const work = byReporter.createWork;
    expect(onlyError(await gqlAs("REPORTER", UpdateWorkDocument, { input: { id: work.id, expectedVersion: 1, note: "x" } })).extensions?.code).toBe("FORBIDDEN");
    expect((await gqlOkAs("FACT_CHECKER", UpdateWorkDocument, { input: { id: work.id, expectedVersion: 1, note: "x" } })).updateWork.version).toBe(2);
    expect(onlyError(await gqlAs("FACT_CHECKER", DeleteWorkDocument, { input: { id: work.id, expectedVersion: 2 } })).extensions?.code).toBe("FORBIDDEN");
    expect(onlyError(await gqlAs(null, CreateWorkDocument, { input: { title: "Nope" } })).extensions?.code).toBe("UNAUTHENTICATED");
    expect((await gqlOkAs("EDITOR", DeleteWorkDocument, { input: { id: work.id, expectedVersion: 2 } })).deleteWork.id).toBe(work.id);
  });
});

describe("no N+1", () => {
  it("lists works with their outlet sources and the count in one statement, whatever their number", async () => {
    const prisma = await testPrisma();
    const counts = [];
    for (const n of [3, 12]) {
      await prisma.work.deleteMany();
      for (let i = 0; i < n; i++) {
        const outlet = await prisma.source.create({ data: { kind: "NEWS_OUTLET", name: `Outlet ${n}.${i}` } });
        await prisma.work.create({ data: { title: `Work ${i}`, outletSourceId: outlet.id, publishedAt: new Date(Date.UTC(2013, 0, 1)), publishedPrecision: "MONTH" } });
      }
      takeStatements();
      const page = await gqlOk(WorksDocument, { first: 50 });
      counts.push(takeStatements().length);
      expect(page.works.totalCount).toBe(n);
      expect(page.works.edges.every((e) => e.node.outletSource && e.node.publicationDate === "2013-01")).toBe(true);
    }
    expect(counts).toEqual([1, 1]);
  });
});
