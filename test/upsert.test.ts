import { PublishArticleDocument, SubmitArticleDocument, UpsertArticleDocument, UpsertSourceDocument } from "./generated/operations";
import { gqlAs, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { testPrisma } from "./support/environment";
import { createArticle, createSource, failsWithoutChange } from "./support/factories";

const auditCount = async (entityId: string) => (await testPrisma()).auditEntry.count({ where: { entityId } });

describe("upsertArticle", () => {
  it("creates by external id, then updates only what differs, then answers UNCHANGED without writing", async () => {
    const input = { externalId: "wire:2026/ports-1", title: "Port traffic doubles", body: "Traffic doubled in 2025.", publicationDate: "2026-03" };
    const first = (await gqlOk(UpsertArticleDocument, { input })).upsertArticle;
    expect(first).toMatchObject({ outcome: "CREATED", article: { title: "Port traffic doubles", externalId: "wire:2026/ports-1", slug: "port-traffic-doubles", version: 1, publicationDate: "2026-03" } });
    expect(await auditCount(first.article.id)).toBe(1);

    const second = (await gqlOk(UpsertArticleDocument, { input })).upsertArticle;
    expect(second).toMatchObject({ outcome: "UNCHANGED", article: { id: first.article.id, version: 1, updatedAt: first.article.updatedAt } });
    expect(await auditCount(first.article.id)).toBe(1);

    const third = (await gqlOk(UpsertArticleDocument, { input: { ...input, title: "Port traffic nearly doubles" } })).upsertArticle;
    expect(third).toMatchObject({ outcome: "UPDATED", article: { id: first.article.id, title: "Port traffic nearly doubles", body: "Traffic doubled in 2025.", version: 2 } });
    const audit = await (await testPrisma()).auditEntry.findFirst({ where: { entityId: first.article.id, action: "UPDATE" } });
    // Only the changed field is in the audit entry.
    expect(Object.keys(audit!.changes as object).filter((field) => field !== "version")).toEqual(["title"]);
  });

  it("finds an article by slug when no article has the external id, and gives it the external id", async () => {
    const existing = await createArticle({ title: "Harbour report", slug: "harbour-report" });
    const { upsertArticle } = await gqlOk(UpsertArticleDocument, { input: { externalId: "wire:harbour", slug: "harbour-report", title: "Harbour report" } });
    expect(upsertArticle).toMatchObject({ outcome: "UPDATED", article: { id: existing.id, externalId: "wire:harbour", version: 2 } });
    const again = await gqlOk(UpsertArticleDocument, { input: { externalId: "wire:harbour", slug: "harbour-report", title: "Harbour report" } });
    expect(again.upsertArticle.outcome).toBe("UNCHANGED");
  });

  it("refuses a slug held by an article with another external id, and a missing key", async () => {
    await createArticle({ title: "Grain deal", slug: "grain-deal", externalId: "wire:grain" });
    const conflict = await failsWithoutChange(() => gqlAs("EDITOR", UpsertArticleDocument, { input: { externalId: "wire:other", slug: "grain-deal", title: "Grain deal" } }));
    expect(conflict.extensions).toMatchObject({ code: "CONFLICT", field: "input.slug" });
    const noKey = await failsWithoutChange(() => gqlAs("EDITOR", UpsertArticleDocument, { input: { title: "No key" } }));
    expect(noKey.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.externalId" });
    const badUrl = await failsWithoutChange(() => gqlAs("EDITOR", UpsertArticleDocument, { input: { externalId: "wire:bad", title: "Bad", url: "ftp://x" } }));
    expect(badUrl.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.url" });
  });

  it("checks expectedVersion when given: stale is a CONFLICT with the current version, and nothing changes", async () => {
    const { upsertArticle } = await gqlOk(UpsertArticleDocument, { input: { externalId: "wire:v", title: "Versioned" } });
    await gqlOk(UpsertArticleDocument, { input: { externalId: "wire:v", title: "Versioned twice", expectedVersion: 1 } });
    const stale = await failsWithoutChange(() => gqlAs("EDITOR", UpsertArticleDocument, { input: { externalId: "wire:v", title: "Versioned thrice", expectedVersion: 1 } }));
    expect(stale.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2, id: upsertArticle.article.id });
    // Stale even when nothing would change.
    const staleSame = onlyError(await gqlAs("EDITOR", UpsertArticleDocument, { input: { externalId: "wire:v", title: "Versioned twice", expectedVersion: 1 } }));
    expect(staleSame.extensions).toMatchObject({ code: "CONFLICT" });
    const missing = await failsWithoutChange(() => gqlAs("EDITOR", UpsertArticleDocument, { input: { externalId: "wire:none", title: "None", expectedVersion: 1 } }));
    expect(missing.extensions).toMatchObject({ code: "NOT_FOUND" });
  });

  it("follows updateArticle's permissions: anonymous, a REPORTER on others' or published work, an EDITOR on a published article", async () => {
    const anonymous = await failsWithoutChange(() => gqlAs(null, UpsertArticleDocument, { input: { externalId: "wire:anon", title: "Anonymous" } }));
    expect(anonymous.extensions?.code).toBe("UNAUTHENTICATED");

    // A reporter creates and updates their own draft.
    const own = (await gqlOkAs("REPORTER", UpsertArticleDocument, { input: { externalId: "wire:rep", title: "Reporter draft", body: "Draft text." } })).upsertArticle;
    expect(own.outcome).toBe("CREATED");
    expect((await gqlOkAs("REPORTER", UpsertArticleDocument, { input: { externalId: "wire:rep", title: "Reporter draft, edited" } })).upsertArticle.outcome).toBe("UPDATED");

    // Not an editor's article.
    await gqlOk(UpsertArticleDocument, { input: { externalId: "wire:ed", title: "Editor's" } });
    const othersWork = await failsWithoutChange(() => gqlAs("REPORTER", UpsertArticleDocument, { input: { externalId: "wire:ed", title: "Taken over" } }));
    expect(othersWork.extensions?.code).toBe("FORBIDDEN");

    // Once published, the reporter may not even re-upsert it unchanged; an editor may change it.
    await gqlOkAs("REPORTER", SubmitArticleDocument, { input: { id: own.article.id, expectedVersion: 2 } });
    await gqlOk(PublishArticleDocument, { input: { id: own.article.id, expectedVersion: 3 } });
    const published = await failsWithoutChange(() => gqlAs("REPORTER", UpsertArticleDocument, { input: { externalId: "wire:rep", title: "Reporter draft, edited" } }));
    expect(published.extensions?.code).toBe("FORBIDDEN");
    const byEditor = (await gqlOk(UpsertArticleDocument, { input: { externalId: "wire:rep", title: "Reporter draft, edited", summary: "Checked." } })).upsertArticle;
    expect(byEditor).toMatchObject({ outcome: "UPDATED", article: { status: "PUBLISHED", summary: "Checked.", version: 5 } });
    // FACT_CHECKERs do not create articles.
    const checker = await failsWithoutChange(() => gqlAs("FACT_CHECKER", UpsertArticleDocument, { input: { externalId: "wire:fc", title: "Checker" } }));
    expect(checker.extensions?.code).toBe("FORBIDDEN");
  });

  it("keeps a revision when the body changes, as updateArticle does", async () => {
    const { upsertArticle } = await gqlOk(UpsertArticleDocument, { input: { slug: "revised", title: "Revised", body: "First text." } });
    await gqlOk(UpsertArticleDocument, { input: { slug: "revised", title: "Revised", body: "Second text." } });
    const revisions = await (await testPrisma()).articleRevision.findMany({ where: { articleId: upsertArticle.article.id } });
    expect(revisions.map((r) => r.body)).toEqual(["First text."]);
  });
});

describe("upsertSource", () => {
  it("creates by external id, answers UNCHANGED on a rerun, updates only what differs", async () => {
    const input = { externalId: "Q130879", kind: "NEWS_AGENCY" as const, name: "Reuters", url: "https://www.reuters.com" };
    const first = (await gqlOkAs("REPORTER", UpsertSourceDocument, { input })).upsertSource;
    expect(first).toMatchObject({ outcome: "CREATED", source: { name: "Reuters", externalId: "Q130879", version: 1 } });
    const again = (await gqlOk(UpsertSourceDocument, { input })).upsertSource;
    expect(again).toMatchObject({ outcome: "UNCHANGED", source: { id: first.source.id, version: 1 } });
    expect(await auditCount(first.source.id)).toBe(1);
    const renamed = (await gqlOk(UpsertSourceDocument, { input: { ...input, name: "Reuters News" } })).upsertSource;
    expect(renamed).toMatchObject({ outcome: "UPDATED", source: { id: first.source.id, name: "Reuters News", url: "https://www.reuters.com", version: 2 } });
    expect(await auditCount(first.source.id)).toBe(2);
  });

  it("keys by name (case-insensitive) and kind without an external id", async () => {
    const existing = await createSource("Xinhua", "NEWS_AGENCY");
    const { upsertSource } = await gqlOk(UpsertSourceDocument, { input: { kind: "NEWS_AGENCY", name: "xinhua" } });
    // The name differs in case only: it is the same source, renamed to the given spelling.
    expect(upsertSource).toMatchObject({ outcome: "UPDATED", source: { id: existing.id, name: "xinhua" } });
    const same = await gqlOk(UpsertSourceDocument, { input: { kind: "NEWS_AGENCY", name: "xinhua" } });
    expect(same.upsertSource.outcome).toBe("UNCHANGED");
    // Another kind is another source.
    expect((await gqlOk(UpsertSourceDocument, { input: { kind: "GOVERNMENT", name: "xinhua" } })).upsertSource.outcome).toBe("CREATED");
  });

  it("follows the source permissions: a REPORTER may create and find unchanged but not update; stale versions conflict", async () => {
    const created = (await gqlOk(UpsertSourceDocument, { input: { externalId: "Q1", kind: "PERSON", name: "Someone" } })).upsertSource;
    const reporter = await failsWithoutChange(() => gqlAs("REPORTER", UpsertSourceDocument, { input: { externalId: "Q1", kind: "PERSON", name: "Someone else" } }));
    expect(reporter.extensions?.code).toBe("FORBIDDEN");
    // Unchanged: a reporter may name an existing source.
    expect((await gqlOkAs("REPORTER", UpsertSourceDocument, { input: { externalId: "Q1", kind: "PERSON", name: "Someone" } })).upsertSource.outcome).toBe("UNCHANGED");
    const anonymous = await failsWithoutChange(() => gqlAs(null, UpsertSourceDocument, { input: { externalId: "Q1", kind: "PERSON", name: "Someone else" } }));
    expect(anonymous.extensions?.code).toBe("UNAUTHENTICATED");
    const note = await failsWithoutChange(() => gqlAs("FACT_CHECKER", UpsertSourceDocument, { input: { externalId: "Q1", kind: "PERSON", name: "Someone", identityNote: "x" } }));
    expect(note.extensions?.code).toBe("FORBIDDEN");
    const stale = await failsWithoutChange(() => gqlAs("EDITOR", UpsertSourceDocument, { input: { externalId: "Q1", kind: "PERSON", name: "Renamed", expectedVersion: 7 } }));
    expect(stale.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 1, id: created.source.id });
    const bad = await failsWithoutChange(() => gqlAs("EDITOR", UpsertSourceDocument, { input: { externalId: "bad id!", kind: "PERSON", name: "X" } }));
    expect(bad.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.externalId" });
  });
});
