import type { Resolvers } from "../../generated/graphql";
import { isSelected } from "./search.selection";
import { search } from "./search.service";

export const searchResolvers: Resolvers = {
  Query: {
    // The statement counts and highlights only when the client asked for it.
    search: (_root, args, ctx, info) =>
      search(ctx, args, {
        totalCount: isSelected(info, ["totalCount"]) || isSelected(info, ["totalCountIsExact"]),
        snippet: isSelected(info, ["edges", "node", "snippet"]),
      }),
  },
  SearchResult: {
    // The item is the Prisma row itself: told apart by a field only that model has.
    __resolveType: (item) => ("slug" in item ? "Article" : "statement" in item ? "Claim" : "Source"),
  },
};
