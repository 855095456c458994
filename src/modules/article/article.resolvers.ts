import type { Resolvers } from "../../generated/graphql";
import { createArticle, deleteArticle, getArticle, listArticles, updateArticle } from "./article.service";

export const articleResolvers: Resolvers = {
  Query: {
    article: (_root, args, ctx) => getArticle(ctx, args),
    articles: (_root, args, ctx) => listArticles(ctx, args),
  },
  Mutation: {
    createArticle: (_root, { input }, ctx) => createArticle(ctx, input),
    updateArticle: (_root, { input }, ctx) => updateArticle(ctx, input),
    deleteArticle: (_root, { input }, ctx) => deleteArticle(ctx, input),
  },
  Article: {
    claims: (article, _args, ctx) => ctx.loaders.claimsByArticleId.load(article.id),
  },
};
