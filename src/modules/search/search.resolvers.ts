import type { Resolvers } from "../../generated/graphql";
import { search } from "./search.service";

export const searchResolvers: Resolvers = {
  Query: {
    search: (_root, args, ctx) => search(ctx, args),
  },
  SearchResult: {
    // The item is the Prisma row itself: told apart by a field only that model has.
    __resolveType: (item) => ("slug" in item ? "Article" : "statement" in item ? "Claim" : "Source"),
  },
};
