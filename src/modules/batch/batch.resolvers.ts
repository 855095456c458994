import type { Resolvers } from "../../generated/graphql";
import { upsertArticle } from "../article/article.service";
import { upsertSource } from "../source/source.service";
import { runBatch } from "./batch.service";

export const batchResolvers: Resolvers = {
  Mutation: {
    upsertArticle: (_root, { input }, ctx) => upsertArticle(ctx, input),
    upsertSource: (_root, { input }, ctx) => upsertSource(ctx, input),
    batch: (_root, { input }, ctx) => runBatch(ctx, input),
  },
};
