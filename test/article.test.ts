import {
  ArticleByIdDocument,
  ArticleBySlugDocument,
  ArticlesDocument,
  CreateArticleDocument,
  DeleteArticleDocument,
  UpdateArticleDocument,
} from "./generated/operations";
import { gql, gqlOk, onlyError } from "./support/client";
import { databaseSnapshot } from "./support/environment";

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
