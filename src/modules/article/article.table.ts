import { column, defineTable, enumColumn, many, one, partialDate, timestamp } from "../../shared/planner/table";
import { seesUnpublished } from "../../shared/access";
import { visibleArticleSql } from "./article.policy";

/** How the read planner reads an Article (src/shared/planner): columns, relations, visibility. */
export const articleTable = defineTable({
  type: "Article",
  table: "article",
  visible: visibleArticleSql,
  fields: {
    id: column("id"),
    slug: column("slug"),
    title: column("title"),
    summary: column("summary"),
    body: column("body"),
    language: column("language"),
    type: enumColumn("type"),
    outlet: column("outlet"),
    url: column("url"),
    publicationDate: partialDate("published_at", "published_precision"),
    publishedAt: timestamp("published_at"),
    recordPublishedAt: timestamp("record_published_at"),
    externalId: column("external_id"),
    status: enumColumn("status"),
    version: column("version"),
    createdAt: timestamp("created_at"),
    updatedAt: timestamp("updated_at"),
    // Article.history and Article.revisions (the audit module's) are not planned: their resolvers read the article's id.
    createdBy: one({ type: "User", where: "$.id = $p.created_by_id", when: seesUnpublished }),
    // The outlet of a visible article is visible with it (visibleSourceSql: the outlet of a PUBLISHED article).
    outletSource: one({ type: "Source", where: "$.id = $p.outlet_source_id" }),
    claims: many({ type: "Claim", where: "$.article_id = $p.id", orderBy: "$.position, $.created_at, $.id", first: 50 }),
  },
});
