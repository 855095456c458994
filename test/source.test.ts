import { randomUUID } from "node:crypto";
import { CreateSourceDocument, DeleteSourceDocument, SourceByIdDocument, SourceKindValuesDocument, SourcesDocument, UpdateSourceDocument, type SourceKind } from "./generated/operations";
import { gql, gqlOk, onlyError } from "./support/client";
import { attribute, createArticleWithClaims, createRebuttal, createSource, failsWithoutChange } from "./support/factories";

/** A claim on an article of its own. */
const createClaimOnNewArticle = async () =>
  (await createArticleWithClaims(["Officials said things."], { title: "Article", body: "Officials said things." })).claims[0]!;

describe("sources", () => {
  it("creates a source at version 1 and reads it back by id", async () => {
    const created = await createSource("Reuters", "NEWS_AGENCY", { url: "https://www.reuters.com", externalId: "Q130879", description: "News agency" });
    expect(created).toMatchObject({ kind: "NEWS_AGENCY", name: "Reuters", url: "https://www.reuters.com", externalId: "Q130879", description: "News agency", version: 1 });
    const { source } = await gqlOk(SourceByIdDocument, { id: created.id });
    expect(source).toMatchObject({ id: created.id, name: "Reuters", kind: "NEWS_AGENCY", externalId: "Q130879", attributions: [], rebuttals: [] });
  });

  it("trims the name and stores empty optional fields as null", async () => {
    const created = await createSource("  AFP  ", "NEWS_AGENCY", { url: "", externalId: "", description: "" });
    expect(created).toMatchObject({ name: "AFP", url: null, externalId: null, description: null });
  });

  it("answers null for an unknown or malformed id", async () => {
    expect((await gqlOk(SourceByIdDocument, { id: randomUUID() })).source).toBeNull();
    expect((await gqlOk(SourceByIdDocument, { id: "not-an-id" })).source).toBeNull();
  });

  it("updates the given fields only, bumps the version, and can clear optional fields", async () => {
    const created = await createSource("Reuter", "NEWS_AGENCY", { url: "https://reuters.com", description: "Agency" });
    const { updateSource } = await gqlOk(UpdateSourceDocument, { input: { id: created.id, expectedVersion: 1, name: "Reuters", url: null } });
    expect(updateSource).toMatchObject({ id: created.id, name: "Reuters", kind: "NEWS_AGENCY", url: null, description: "Agency", version: 2 });
    const { source } = await gqlOk(SourceByIdDocument, { id: created.id });
    expect(source).toMatchObject({ name: "Reuters", url: null, version: 2 });
  });

  it("deletes a source with its expected version", async () => {
    const created = await createSource("Temporary");
    expect((await gqlOk(DeleteSourceDocument, { input: { id: created.id, expectedVersion: 1 } })).deleteSource.id).toBe(created.id);
    expect((await gqlOk(SourceByIdDocument, { id: created.id })).source).toBeNull();
  });

  it("lists sources newest first, filtered by kinds and by a case-insensitive part of the name", async () => {
    await createSource("Reuters", "NEWS_AGENCY");
    await createSource("DW (Deutsche Welle)", "NEWS_OUTLET");
    await createSource("Joe Biden", "PERSON");
    await createSource("Dalian Machine Tool Group", "COMPANY");
    await createSource("AFP", "NEWS_AGENCY");

    const all = await gqlOk(SourcesDocument, {});
    expect(all.sources.totalCount).toBe(5);
    expect(all.sources.edges.map((e) => e.node.name)).toEqual(["AFP", "Dalian Machine Tool Group", "Joe Biden", "DW (Deutsche Welle)", "Reuters"]);

    const media = await gqlOk(SourcesDocument, { filter: { kind: ["NEWS_AGENCY", "NEWS_OUTLET"] } });
    expect(media.sources.totalCount).toBe(3);
    expect(media.sources.edges.map((e) => e.node.name)).toEqual(["AFP", "DW (Deutsche Welle)", "Reuters"]);

    const byName = await gqlOk(SourcesDocument, { filter: { name: "EUTER" } });
    expect(byName.sources.edges.map((e) => e.node.name)).toEqual(["Reuters"]);
    expect(byName.sources.totalCount).toBe(1);

    const middle = await gqlOk(SourcesDocument, { filter: { name: "machine tool" } });
    expect(middle.sources.edges.map((e) => e.node.name)).toEqual(["Dalian Machine Tool Group"]);

    const both = await gqlOk(SourcesDocument, { filter: { kind: ["PERSON"], name: "e" } });
    expect(both.sources.edges.map((e) => e.node.name)).toEqual(["Joe Biden"]);

    const none = await gqlOk(SourcesDocument, { filter: { kind: ["PERSON"], name: "reuters" } });
    expect(none.sources).toMatchObject({ totalCount: 0, edges: [] });

    const emptyKinds = await gqlOk(SourcesDocument, { filter: { kind: [] } });
    expect(emptyKinds.sources.totalCount).toBe(5);
  });

  it("pages through sources with cursors", async () => {
    for (const name of ["one", "two", "three", "four", "five"]) await createSource(name);
    const first = await gqlOk(SourcesDocument, { first: 2 });
    expect(first.sources.edges.map((e) => e.node.name)).toEqual(["five", "four"]);
    expect(first.sources.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.sources.totalCount).toBe(5);
    const second = await gqlOk(SourcesDocument, { first: 2, after: first.sources.pageInfo.endCursor });
    expect(second.sources.edges.map((e) => e.node.name)).toEqual(["three", "two"]);
    expect(second.sources.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await gqlOk(SourcesDocument, { first: 2, after: second.sources.pageInfo.endCursor });
    expect(third.sources.edges.map((e) => e.node.name)).toEqual(["one"]);
    expect(third.sources.pageInfo.hasNextPage).toBe(false);

    const filtered = await gqlOk(SourcesDocument, { first: 1, filter: { name: "o" } });
    expect(filtered.sources.edges.map((e) => e.node.name)).toEqual(["four"]);
    const filteredNext = await gqlOk(SourcesDocument, { first: 5, after: filtered.sources.pageInfo.endCursor, filter: { name: "o" } });
    expect(filteredNext.sources.edges.map((e) => e.node.name)).toEqual(["two", "one"]);
  });

  it("refuses a bad page size or cursor", async () => {
    const tooMany = onlyError(await gql(SourcesDocument, { first: 101 }));
    expect(tooMany.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.message).toContain("first");
    const badCursor = onlyError(await gql(SourcesDocument, { after: "garbage" }));
    expect(badCursor.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badCursor.message).toContain("after");
  });

  describe("refuses bad input, naming the field, and changes nothing", () => {
    it("an empty name", async () => {
      const error = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "PERSON", name: "   " } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.name");
      expect(error.message).toContain("must not be empty");
      expect(error.extensions?.field).toBe("input.name");
    });

    it("a 301-character name (300 is accepted)", async () => {
      const error = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "PERSON", name: "x".repeat(301) } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.name");
      expect(error.message).toContain("at most 300");
      expect((await createSource("y".repeat(300), "PERSON")).name).toHaveLength(300);
    });

    it.each(["not a url", "ftp://x.y", "https://localhost"])("a malformed URL: %s", async (url) => {
      const error = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "DOCUMENT", name: "Report", url } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.url");
      expect(error.message).toContain("absolute http(s) URL");
    });

    it("a malformed URL on update", async () => {
      const created = await createSource("Report", "DOCUMENT");
      const error = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: created.id, expectedVersion: 1, url: "not a url" } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.url");
    });

    it("an empty name on update", async () => {
      const created = await createSource("Report", "DOCUMENT");
      const error = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: created.id, expectedVersion: 1, name: "" } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.name");
    });

    it("an invalid kind given as a variable", async () => {
      const error = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "ALIEN" as unknown as SourceKind, name: "Someone" } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("ALIEN");
      expect(error.message).toContain("SourceKind");
      expect(error.message).toContain("kind");
    });

    it("a malformed externalId", async () => {
      const error = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "PERSON", name: "Someone", externalId: "has spaces" } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("input.externalId");
    });

    it("a name filter longer than 300 characters", async () => {
      const error = onlyError(await gql(SourcesDocument, { filter: { name: "x".repeat(301) } }));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("filter.name");
    });
  });

  it("refuses a duplicate externalId with CONFLICT, on create and on update", async () => {
    const biden = await createSource("Joe Biden", "PERSON", { externalId: "Q6279" });
    const other = await createSource("Someone else", "PERSON");
    const created = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "PERSON", name: "Biden", externalId: "Q6279" } }));
    expect(created.extensions).toMatchObject({ code: "CONFLICT", field: "input.externalId", sourceId: biden.id });
    expect(created.message).toContain("Q6279");
    const updated = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: other.id, expectedVersion: 1, externalId: "Q6279" } }));
    expect(updated.extensions).toMatchObject({ code: "CONFLICT", field: "input.externalId" });
    // Keeping one's own externalId is not a conflict.
    const same = await gqlOk(UpdateSourceDocument, { input: { id: biden.id, expectedVersion: 1, externalId: "Q6279", name: "Joseph R. Biden" } });
    expect(same.updateSource).toMatchObject({ externalId: "Q6279", name: "Joseph R. Biden", version: 2 });
  });

  it("refuses a stale expectedVersion on update and delete with CONFLICT carrying the current version", async () => {
    const created = await createSource("Reuters");
    await gqlOk(UpdateSourceDocument, { input: { id: created.id, expectedVersion: 1, description: "Agency" } });
    const update = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: created.id, expectedVersion: 1, name: "Other" } }));
    expect(update.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2, expectedVersion: 1 });
    const del = await failsWithoutChange(() => gql(DeleteSourceDocument, { input: { id: created.id, expectedVersion: 1 } }));
    expect(del.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
  });

  it("answers NOT_FOUND for an unknown id on update and delete", async () => {
    const id = randomUUID();
    const update = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id, expectedVersion: 1, name: "X" } }));
    expect(update.extensions).toMatchObject({ code: "NOT_FOUND", id });
    expect(update.message).toContain(id);
    const del = await failsWithoutChange(() => gql(DeleteSourceDocument, { input: { id, expectedVersion: 1 } }));
    expect(del.extensions).toMatchObject({ code: "NOT_FOUND", id });
  });

  it("refuses a malformed id on update and delete with BAD_USER_INPUT", async () => {
    const update = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: "nope", expectedVersion: 1 } }));
    expect(update.extensions?.code).toBe("BAD_USER_INPUT");
    expect(update.message).toContain("input.id");
    const del = await failsWithoutChange(() => gql(DeleteSourceDocument, { input: { id: "nope", expectedVersion: 1 } }));
    expect(del.extensions?.code).toBe("BAD_USER_INPUT");
    expect(del.message).toContain("input.id");
  });

  it("refuses to delete a source still used by an attribution, and deletes nothing", async () => {
    const claim = await createClaimOnNewArticle();
    const reuters = await createSource("Reuters");
    const attribution = await attribute({ claimId: claim.id, sourceId: reuters.id, role: "CONDUIT" });
    const error = await failsWithoutChange(() => gql(DeleteSourceDocument, { input: { id: reuters.id, expectedVersion: 1 } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED", attributions: 1, rebuttals: 0 });
    const { source } = await gqlOk(SourceByIdDocument, { id: reuters.id });
    expect(source?.attributions.map((a) => a.id)).toEqual([attribution.id]);
  });

  it("refuses to delete a source still used by a rebuttal, and deletes nothing", async () => {
    const claim = await createClaimOnNewArticle();
    const embassy = await createSource("Chinese Embassy", "GOVERNMENT");
    const rebuttal = await createRebuttal({ sourceId: embassy.id, claimIds: [claim.id], stance: "DENIES", text: "Denied." });
    const error = await failsWithoutChange(() => gql(DeleteSourceDocument, { input: { id: embassy.id, expectedVersion: 1 } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED", attributions: 0, rebuttals: 1 });
    expect((await gqlOk(SourceByIdDocument, { id: embassy.id })).source?.rebuttals.map((r) => r.id)).toEqual([rebuttal.id]);
  });

  it("lists a source's attributions and rebuttals", async () => {
    const first = await createClaimOnNewArticle();
    const second = await createClaimOnNewArticle();
    const embassy = await createSource("Chinese Embassy", "GOVERNMENT");
    const a1 = await attribute({ claimId: first.id, sourceId: embassy.id, role: "CONTEXT" });
    const a2 = await attribute({ claimId: second.id, sourceId: embassy.id, role: "CLAIMANT" });
    const r1 = await createRebuttal({ sourceId: embassy.id, claimIds: [first.id], stance: "DISPUTES", text: "Disputed." });
    const other = await createSource("Someone", "PERSON");
    await attribute({ claimId: first.id, sourceId: other.id, role: "CLAIMANT" });

    const { source } = await gqlOk(SourceByIdDocument, { id: embassy.id });
    expect(source?.attributions).toEqual([
      { id: a1.id, role: "CONTEXT", claim: { id: first.id, statement: first.statement } },
      { id: a2.id, role: "CLAIMANT", claim: { id: second.id, statement: second.statement } },
    ]);
    expect(source?.rebuttals).toEqual([{ id: r1.id, stance: "DISPUTES", claims: [{ id: first.id }] }]);
  });
});

describe("sources without friction", () => {
  it("accepts an UNNAMED_PERSON and describes every kind in the schema", async () => {
    const official = await createSource("A senior port official", "UNNAMED_PERSON");
    expect(official).toMatchObject({ kind: "UNNAMED_PERSON", name: "A senior port official" });
    const { __type } = await gqlOk(SourceKindValuesDocument);
    expect(__type?.enumValues?.map((v) => v.name)).toContain("UNNAMED_PERSON");
    expect(__type?.enumValues?.filter((v) => !v.description?.trim())).toEqual([]);
    expect(__type?.enumValues?.find((v) => v.name === "UNNAMED_PERSON")?.description).toContain("senior State Department official");
  });

  it("refuses a second source with the same name and kind (trimmed, any case): CONFLICT with the existing id, nothing created", async () => {
    const agency = await createSource("Coastline Press Agency", "NEWS_AGENCY");
    const error = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "NEWS_AGENCY", name: "  coastline PRESS agency " } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "DUPLICATE_NAME", existingId: agency.id, field: "input.name" });
    expect(error.message).toContain("distinctFrom");
    // Another kind is another source.
    expect((await createSource("Coastline Press Agency", "COMPANY")).kind).toBe("COMPANY");
  });

  it("creates it anyway when the editor says which existing source it is not (distinctFrom)", async () => {
    const first = await createSource("Ines Korva", "PERSON");
    const second = await createSource("Ines Korva", "PERSON", { distinctFrom: [first.id], description: "The sailor, not the spokesperson." });
    expect(second.id).not.toBe(first.id);
    // A third must name both.
    const third = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "PERSON", name: "Ines Korva", distinctFrom: [first.id] } }));
    expect(third.extensions).toMatchObject({ code: "CONFLICT", existingId: second.id });
    expect((await createSource("Ines Korva", "PERSON", { distinctFrom: [first.id, second.id] })).name).toBe("Ines Korva");
    // Ids that are no duplicates are ignored; malformed ones are refused.
    expect((await createSource("Port Authority of Velmar", "GOVERNMENT", { distinctFrom: [randomUUID()] })).kind).toBe("GOVERNMENT");
    const malformed = await failsWithoutChange(() => gql(CreateSourceDocument, { input: { kind: "PERSON", name: "X", distinctFrom: ["nope"] } }));
    expect(malformed.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("refuses renaming (or changing the kind) onto an existing source, unless distinctFrom names it", async () => {
    const agency = await createSource("Coastline Press Agency", "NEWS_AGENCY");
    const other = await createSource("Coastline Press", "NEWS_AGENCY");
    const renamed = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: other.id, expectedVersion: 1, name: "COASTLINE press agency" } }));
    expect(renamed.extensions).toMatchObject({ code: "CONFLICT", existingId: agency.id });
    const company = await createSource("Coastline Press Agency", "COMPANY");
    const rekinded = await failsWithoutChange(() => gql(UpdateSourceDocument, { input: { id: company.id, expectedVersion: 1, kind: "NEWS_AGENCY" } }));
    expect(rekinded.extensions).toMatchObject({ code: "CONFLICT", existingId: agency.id });
    const allowed = await gqlOk(UpdateSourceDocument, { input: { id: other.id, expectedVersion: 1, name: "Coastline Press Agency", distinctFrom: [agency.id] } });
    expect(allowed.updateSource).toMatchObject({ name: "Coastline Press Agency", version: 2 });
    // Changing other fields, or the case of its own name, is no rename onto another source.
    expect((await gqlOk(UpdateSourceDocument, { input: { id: agency.id, expectedVersion: 1, name: "COASTLINE Press Agency", description: "Agency." } })).updateSource.version).toBe(2);
  });
});
