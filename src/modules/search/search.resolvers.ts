import type { Resolvers } from "../../generated/graphql";
import { isSelected } from "../../shared/planner/planner";
import { search } from "./search.service";

export const searchResolvers: Resolvers = {
  Query: {
    // The statement counts and highlights only when the client asked for it.
    search: (_root, args, ctx, info) =>
      search(ctx, args, info, {
        totalCount: isSelected(info, ["totalCount"]) || isSelected(info, ["totalCountIsExact"]),
        snippet: isSelected(info, ["edges", "node", "snippet"]),
        cluster: isSelected(info, ["edges", "node", "cluster"]),
      }),
  },
  SearchResult: {
    // Items come from the read planner with their __typename (search.service.ts).
    __resolveType: (item) => (item as unknown as { __typename: "Article" | "Claim" | "Source" }).__typename,
  },
};
