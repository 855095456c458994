import { randomUUID } from "node:crypto";
import {
  ArticleByIdDocument,
  ArticleBySlugDocument,
  ArticleDetailByIdDocument,
  ArticleDetailsDocument,
  ArticlesDocument,
  CreateArticleDetailDocument,
  CreateArticleDocument,
  DeleteArticleDocument,
  DeleteSourceDocument,
  PublishArticleDocument,
  SourceByIdDocument,
  SubmitArticleDocument,
  UpdateArticleDetailDocument,
  UpdateArticleDocument,
} from "./generated/operations";
import { gql, gqlOk, gqlOkAs, onlyError } from "./support/client";
import { databaseSnapshot, testPrisma } from "./support/environment";
import { createSource, failsWithoutChange } from "./support/factories";

describe("articles", () => {
  it("creates a DRAFT article with a slug generated from the title, version 1", async () => {
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "China fills Russia's critical war gaps, US says", body: "Text." } });
    expect(createArticle).toMatchObject({ slug: "china-fills-russias-critical-war-gaps-us-says", status: "DRAFT", version: 1, language: "en", body: "Text." });
    const again = await gqlOk(CreateArticleDocument, { input: { title: "China fills Russia's critical war gaps, US says" } });
    expect(again.createArticle.slug).toBe("china-fills-russias-critical-war-gaps-us-says-2");
  });

  it("refuses an empty title, naming the field, and changes nothing", async () => {
    const before = await databaseSnapshot();
    const error = onlyError(await gql(CreateArticleDocument, { input: { title: "   " } }));
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain("input.title");
    expect(error.message).toContain("must not be empty");
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("updates with the expected version and refuses a stale one with CONFLICT", async () => {
    const { createArticle } = await gqlOk(CreateArticleDocument, { input: { title: "A", body: "one" } });
    const { updateArticle } = await gqlOk(UpdateArticleDocument, { input: { id: createArticle.id, expectedVersion: 1, title: "B" } });
    expect(updateArticle).toMatchObject({ title: "B", version: 2 });
    const before = await databaseSnapshot();
    const error = onlyError(await gql(UpdateArticleDocument, { input: { id: createArticle.id, expectedVersion: 1, title: "C" } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", currentVersion: 2 });
    expect(await databaseSnapshot()).toEqual(before);
  });

  it("reads by id and by slug, pages with cursors and deletes", async () => {
    const ids: string[] = [];
    for (const title of ["one", "two", "three"]) ids.push((await gqlOk(CreateArticleDocument, { input: { title } })).createArticle.id);
    expect((await gqlOk(ArticleBySlugDocument, { slug: "two" })).article?.id).toBe(ids[1]);
    expect((await gqlOk(ArticleByIdDocument, { id: ids[0] })).article?.title).toBe("one");
    const first = await gqlOk(ArticlesDocument, { first: 2 });
    expect(first.articles.totalCount).toBe(3);
    expect(first.articles.edges.map((e) => e.node.title)).toEqual(["three", "two"]);
    expect(first.articles.pageInfo.hasNextPage).toBe(true);
    const second = await gqlOk(ArticlesDocument, { first: 2, after: first.articles.pageInfo.endCursor });
    expect(second.articles.edges.map((e) => e.node.title)).toEqual(["one"]);
    await gqlOk(DeleteArticleDocument, { input: { id: ids[0]!, expectedVersion: 1 } });
    expect((await gqlOk(ArticleByIdDocument, { id: ids[0] })).article).toBeNull();
  });
});

describe("articles: type, dates, outlet source, external id (model v2)", () => {
  it("defaults the type to NEWS_REPORT and records other types", async () => {
    expect((await gqlOk(CreateArticleDetailDocument, { input: { title: "Harbour reopens" } })).createArticle.type).toBe("NEWS_REPORT");
    const release = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Port Authority statement", type: "PRESS_RELEASE" } })).createArticle;
    expect(release.type).toBe("PRESS_RELEASE");
    const { updateArticle } = await gqlOk(UpdateArticleDetailDocument, { input: { id: release.id, expectedVersion: 1, type: "BRIEFING_TRANSCRIPT" } });
    expect(updateArticle).toMatchObject({ type: "BRIEFING_TRANSCRIPT", version: 2 });
  });

  it("keeps the publication date with its precision, and publishedAt as the start of it", async () => {
    const cases = [
      ["2013", "2013-01-01T00:00:00.000Z"],
      ["2013-01", "2013-01-01T00:00:00.000Z"],
      ["2011-10-28", "2011-10-28T00:00:00.000Z"],
      ["2011-10-28T14:05:00+02:00", "2011-10-28T12:05:00.000Z"],
    ] as const;
    for (const [given, instant] of cases) {
      const created = (await gqlOk(CreateArticleDetailDocument, { input: { title: `Dated ${given}`, publicationDate: given } })).createArticle;
      const expected = given.includes("T") ? instant : given;
      expect(created).toMatchObject({ publicationDate: expected, publishedAt: instant, recordPublishedAt: null });
      expect((await gqlOk(ArticleDetailByIdDocument, { id: created.id })).article).toMatchObject({ publicationDate: expected, publishedAt: instant });
    }
    const stored = await (await testPrisma()).article.findFirstOrThrow({ where: { title: "Dated 2013-01" } });
    expect(stored.publishedPrecision).toBe("MONTH");
  });

  it("still takes the deprecated publishedAt (an INSTANT), and changes or clears the date on update", async () => {
    const created = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Old style", publishedAt: "2024-04-13T00:00:00Z" } })).createArticle;
    expect(created).toMatchObject({ publishedAt: "2024-04-13T00:00:00.000Z", publicationDate: "2024-04-13T00:00:00.000Z" });
    const month = (await gqlOk(UpdateArticleDetailDocument, { input: { id: created.id, expectedVersion: 1, publicationDate: "2024-04" } })).updateArticle;
    expect(month).toMatchObject({ publicationDate: "2024-04", publishedAt: "2024-04-01T00:00:00.000Z" });
    const cleared = (await gqlOk(UpdateArticleDetailDocument, { input: { id: created.id, expectedVersion: 2, publicationDate: null } })).updateArticle;
    expect(cleared).toMatchObject({ publicationDate: null, publishedAt: null });
    const stored = await (await testPrisma()).article.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored).toMatchObject({ publishedAt: null, publishedPrecision: null });
    const instant = (await gqlOk(UpdateArticleDetailDocument, { input: { id: created.id, expectedVersion: 3, publishedAt: "2024-04-14T09:30:00Z" } })).updateArticle;
    expect(instant).toMatchObject({ publicationDate: "2024-04-14T09:30:00.000Z" });
  });

  it("refuses publishedAt together with publicationDate, and a malformed date, changing nothing", async () => {
    const both = await failsWithoutChange(() => gql(CreateArticleDetailDocument, { input: { title: "Both", publishedAt: "2024-04-13T00:00:00Z", publicationDate: "2024" } }));
    expect(both.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.publicationDate" });
    expect(both.message).toContain("not both");
    const created = (await gqlOk(CreateArticleDetailDocument, { input: { title: "One" } })).createArticle;
    const onUpdate = await failsWithoutChange(() => gql(UpdateArticleDetailDocument, { input: { id: created.id, expectedVersion: 1, publishedAt: null, publicationDate: "2024" } }));
    expect(onUpdate.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.publicationDate" });
    const malformed = await failsWithoutChange(() => gql(CreateArticleDetailDocument, { input: { title: "Bad", publicationDate: "13 January 2013" } }));
    expect(malformed.extensions?.code).toBe("BAD_USER_INPUT");
    expect(malformed.message).toContain("publicationDate");
  });

  it("filters the list by publication range on publishedAt, leaving undated articles out", async () => {
    const old = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Old", publicationDate: "2013" } })).createArticle;
    await gqlOk(CreateArticleDetailDocument, { input: { title: "Undated" } });
    const recent = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Recent", publicationDate: "2024-04-13" } })).createArticle;
    const after = await gqlOk(ArticleDetailsDocument, { filter: { publishedAfter: "2020-01-01T00:00:00Z" } });
    expect(after.articles.edges.map((e) => e.node.id)).toEqual([recent.id]);
    const before = await gqlOk(ArticleDetailsDocument, { filter: { publishedBefore: "2014-01-01T00:00:00Z" } });
    expect(before.articles.edges.map((e) => e.node.id)).toEqual([old.id]);
  });

  it("links the outlet to a source, taking its name when no outlet is given, and shows it to readers once published", async () => {
    const gazette = await createSource("Daily Harbour Gazette", "NEWS_OUTLET");
    const named = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Linked", outletSourceId: gazette.id } })).createArticle;
    expect(named).toMatchObject({ outlet: "Daily Harbour Gazette", outletSource: { id: gazette.id, name: "Daily Harbour Gazette", kind: "NEWS_OUTLET" } });
    const own = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Own name", outletSourceId: gazette.id, outlet: "The Gazette" } })).createArticle;
    expect(own).toMatchObject({ outlet: "The Gazette", outletSource: { id: gazette.id } });
    expect((await gqlOk(ArticleDetailByIdDocument, { id: named.id })).article?.outletSource).toEqual({ id: gazette.id, name: "Daily Harbour Gazette", kind: "NEWS_OUTLET" });

    const ministry = await createSource("Ministry of Waterways", "GOVERNMENT");
    const relinked = (await gqlOk(UpdateArticleDetailDocument, { input: { id: named.id, expectedVersion: 1, outletSourceId: ministry.id } })).updateArticle;
    expect(relinked).toMatchObject({ outlet: "Ministry of Waterways", outletSource: { id: ministry.id } });
    const unlinked = (await gqlOk(UpdateArticleDetailDocument, { input: { id: named.id, expectedVersion: 2, outletSourceId: null } })).updateArticle;
    expect(unlinked).toMatchObject({ outlet: "Ministry of Waterways", outletSource: null });

    // Anonymous readers: the outlet of a published article is visible with it (and as a source).
    expect((await gqlOkAs(null, SourceByIdDocument, { id: gazette.id })).source).toBeNull();
    await gqlOk(SubmitArticleDocument, { input: { id: own.id, expectedVersion: 1 } });
    await gqlOk(PublishArticleDocument, { input: { id: own.id, expectedVersion: 2 } });
    expect((await gqlOkAs(null, ArticleDetailByIdDocument, { id: own.id })).article?.outletSource).toEqual({ id: gazette.id, name: "Daily Harbour Gazette", kind: "NEWS_OUTLET" });
    expect((await gqlOkAs(null, SourceByIdDocument, { id: gazette.id })).source?.name).toBe("Daily Harbour Gazette");
    // ... and the outlet source cannot be deleted while it is one.
    const error = await failsWithoutChange(() => gql(DeleteSourceDocument, { input: { id: gazette.id, expectedVersion: 1 } }));
    expect(error.extensions).toMatchObject({ code: "CONFLICT", reason: "REFERENCED", articles: 1, works: 0 });
  });

  it("refuses an outlet source that is a person (BAD_USER_INPUT) or unknown (NOT_FOUND), changing nothing", async () => {
    const person = await createSource("Ines Korva", "PERSON");
    const error = await failsWithoutChange(() => gql(CreateArticleDetailDocument, { input: { title: "X", outletSourceId: person.id } }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.outletSourceId" });
    expect(error.message).toContain("PERSON");
    const created = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Y" } })).createArticle;
    const id = randomUUID();
    const unknown = await failsWithoutChange(() => gql(UpdateArticleDetailDocument, { input: { id: created.id, expectedVersion: 1, outletSourceId: id } }));
    expect(unknown.extensions).toMatchObject({ code: "NOT_FOUND", id, field: "input.outletSourceId" });
  });

  it("keeps external ids unique: CONFLICT with the existing article's id, on create and on update", async () => {
    const first = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Imported", externalId: "gazette:2013/0042" } })).createArticle;
    expect(first.externalId).toBe("gazette:2013/0042");
    const other = (await gqlOk(CreateArticleDetailDocument, { input: { title: "Other" } })).createArticle;
    const created = await failsWithoutChange(() => gql(CreateArticleDetailDocument, { input: { title: "Again", externalId: "gazette:2013/0042" } }));
    expect(created.extensions).toMatchObject({ code: "CONFLICT", existingId: first.id, field: "input.externalId" });
    const updated = await failsWithoutChange(() => gql(UpdateArticleDetailDocument, { input: { id: other.id, expectedVersion: 1, externalId: "gazette:2013/0042" } }));
    expect(updated.extensions).toMatchObject({ code: "CONFLICT", existingId: first.id });
    const malformed = await failsWithoutChange(() => gql(CreateArticleDetailDocument, { input: { title: "Bad", externalId: "has spaces" } }));
    expect(malformed.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.externalId" });
    expect((await gqlOk(UpdateArticleDetailDocument, { input: { id: first.id, expectedVersion: 1, externalId: null } })).updateArticle.externalId).toBeNull();
  });
});

describe("slugs of non-Latin titles", () => {
  it.each([
    ["zh", "外交部：中方从未向俄方提供致命武器", "wai-jiao-bu-zhong-fang-cong-wei-xiang-e-fang-ti-gong-zhi-ming-wu-qi"],
    ["uk", "Україна заперечує повідомлення", "ukrayina-zaperechuye-povidomlennya"],
    ["ar", "روسيا تنفي التقرير", "rwsya-tnfy-altqryr"],
    ["el", "Η Ελλάδα διαψεύδει", "h-ellada-diapseydei"],
    ["ja", "日本語のタイトル", "ri-ben-yu-notaitoru"],
  ])("transliterates a %s title, and numbers the next one with the same title", async (language, title, slug) => {
    const first = (await gqlOk(CreateArticleDetailDocument, { input: { title, language } })).createArticle;
    expect(first.slug).toBe(slug);
    const second = (await gqlOk(CreateArticleDetailDocument, { input: { title, language } })).createArticle;
    expect(second.slug).toBe(`${slug}-2`);
    expect((await gqlOk(ArticleBySlugDocument, { slug })).article?.id).toBe(first.id);
  });

  it("gives two different Chinese titles two different slugs", async () => {
    const a = (await gqlOk(CreateArticleDetailDocument, { input: { title: "中国向俄罗斯提供无人机技术", language: "zh" } })).createArticle;
    const b = (await gqlOk(CreateArticleDetailDocument, { input: { title: "港口重新开放", language: "zh" } })).createArticle;
    expect(a.slug).toBe("zhong-guo-xiang-e-luo-si-ti-gong-wu-ren-ji-ji-shu");
    expect(b.slug).toBe("gang-kou-chong-xin-kai-fang"); // 重新: chóngxīn
  });

  it("falls back to article-<language>-<date> when nothing can be transliterated", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const first = (await gqlOk(CreateArticleDetailDocument, { input: { title: "🚢⚓", language: "ja" } })).createArticle;
    expect(first.slug).toBe(`article-ja-${today}`);
    expect((await gqlOk(CreateArticleDetailDocument, { input: { title: "⚓", language: "ja" } })).createArticle.slug).toBe(`article-ja-${today}-2`);
  });
});
