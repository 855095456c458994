import type { Resolvers } from "../../generated/graphql";
import { listLimit } from "../../shared/pagination";
import { createUser, issueApiToken, listApiTokens, listUsers, me, revokeApiToken, signIn, signOut, updateUser } from "./user.service";

export const userResolvers: Resolvers = {
  Query: {
    me: (_root, _args, ctx, info) => me(ctx, info),
    users: async (_root, { first }, ctx) => {
      const limit = listLimit(first, 500);
      return (await listUsers(ctx)).slice(0, limit);
    },
    apiTokens: async (_root, { userId, first }, ctx) => {
      const limit = listLimit(first, 500);
      return (await listApiTokens(ctx, userId)).slice(0, limit);
    },
  },
  Mutation: {
    signIn: (_root, { input }, ctx) => signIn(ctx, input),
    signOut: (_root, _args, ctx) => signOut(ctx, ctx.bearerToken),
    createUser: (_root, { input }, ctx) => createUser(ctx, input),
    updateUser: (_root, { input }, ctx) => updateUser(ctx, input),
    issueApiToken: (_root, { input }, ctx) => issueApiToken(ctx, input),
    revokeApiToken: (_root, { id }, ctx) => revokeApiToken(ctx, id),
  },
  ApiToken: {
    name: (token) => token.name ?? "",
    user: async (token, _args, ctx) => (await ctx.loaders.userById.load(token.userId))!,
  },
};
