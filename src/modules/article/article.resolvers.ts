import type { Resolvers } from "../../generated/graphql";
import { listArticleHistory, listArticleRevisions } from "../audit/audit.service";
import { createArticle, deleteArticle, getArticle, listArticles, updateArticle } from "./article.service";
import { archiveArticle, publishArticle, restoreArticle, returnArticle, submitArticle } from "./article.workflow";

export const articleResolvers: Resolvers = {
  Query: {
    article: (_root, args, ctx) => getArticle(ctx, args),
    articles: (_root, args, ctx) => listArticles(ctx, args),
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
  Article: {
    claims: (article, _args, ctx) => ctx.loaders.claimsByVisibleArticleId.load(article.id),
    createdBy: (article, _args, ctx) => (ctx.viewer && article.createdById ? ctx.loaders.userById.load(article.createdById) : null),
    history: (article, args, ctx) => listArticleHistory(ctx, article.id, args),
    revisions: (article, _args, ctx) => listArticleRevisions(ctx, article.id),
  },
};
