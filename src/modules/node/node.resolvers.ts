import type { Resolvers } from "../../generated/graphql";
import { getNodes, type NodeRow } from "./node.service";

export const nodeResolvers: Resolvers = {
  Query: {
    node: async (_root, { id }, ctx, info) => (await getNodes(ctx, [id], info))[0] as never,
    nodes: (_root, { ids }, ctx, info) => getNodes(ctx, ids, info) as never,
  },
  Node: {
    // Every row node/nodes returns carries its GraphQL type.
    __resolveType: (row) => (row as unknown as NodeRow).__typename as never,
  },
};
