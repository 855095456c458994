import type { Resolvers } from "../../generated/graphql";
import type { Article } from "../../generated/prisma/client";
import { listLimit } from "../../shared/pagination";
import { partialDateOf } from "../../shared/partial-date";
import { requireSourceOfVisibleParent } from "../source/source.service";
import { listArticleHistory, listArticleRevisions } from "../audit/audit.service";
import { createArticle, deleteArticle, getArticle, listArticles, updateArticle } from "./article.service";
import { archiveArticle, publishArticle, restoreArticle, returnArticle, submitArticle } from "./article.workflow";

export const articleResolvers: Resolvers = {
  Query: {
    article: (_root, args, ctx, info) => getArticle(ctx, args, info),
    articles: (_root, args, ctx, info) => listArticles(ctx, args, info),
  },
  Mutation: {
    createArticle: (_root, { input }, ctx) => createArticle(ctx, input),
    updateArticle: (_root, { input }, ctx) => updateArticle(ctx, input),
    deleteArticle: (_root, { input }, ctx) => deleteArticle(ctx, input),
    submitArticle: (_root, { input }, ctx) => submitArticle(ctx, input),
    publishArticle: (_root, { input }, ctx) => publishArticle(ctx, input),
    returnArticle: (_root, { input }, ctx) => returnArticle(ctx, input),
    archiveArticle: (_root, { input }, ctx) => archiveArticle(ctx, input),
    restoreArticle: (_root, { input }, ctx) => restoreArticle(ctx, input),
  },
  // Rows of other origins than the planner (mutation payloads): the planner answers these itself.
  Article: {
    publicationDate: partialDateOf<Article>("publishedAt", "publishedPrecision"),
    // Only mutations (staff, who see every source) reach this.
    outletSource: (article, _args, ctx) => (article.outletSourceId ? requireSourceOfVisibleParent(ctx, article.outletSourceId) : null),
    claims: async (article, { first }, ctx) => {
      const limit = listLimit(first, 50);
      return (await ctx.loaders.claimsByVisibleArticleId.load(article.id)).slice(0, limit);
    },
    createdBy: (article, _args, ctx) => (ctx.viewer && article.createdById ? ctx.loaders.userById.load(article.createdById) : null),
    history: (article, args, ctx) => listArticleHistory(ctx, article.id, args),
    revisions: async (article, { first }, ctx) => {
      const limit = listLimit(first, 20);
      return (await listArticleRevisions(ctx, article.id)).slice(0, limit);
    },
  },
};
