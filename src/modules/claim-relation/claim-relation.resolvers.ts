import type { Resolvers } from "../../generated/graphql";
import { plannedFieldOf } from "../../shared/planner/payload";
import { requireClaim } from "../claim/claim.service";
import { getClaimCluster, relateClaims, unrelateClaims } from "./claim-relation.service";

/*
 * Planned rows (every read) answer the relations below from the read planner's JSON
 * (src/shared/planner/resolvers.ts); these resolvers serve the Prisma rows of mutation payloads,
 * re-reading the field through the planner, one statement per field of the payload.
 */
export const claimRelationResolvers: Resolvers = {
  Query: {
    claimCluster: (_root, { id }, ctx, info) => getClaimCluster(ctx, id, info),
  },
  Mutation: {
    relateClaims: (_root, { input }, ctx) => relateClaims(ctx, input),
    unrelateClaims: (_root, { input }, ctx) => unrelateClaims(ctx, input),
  },
  Claim: {
    relations: async (claim, _args, ctx, info) => ((await plannedFieldOf(ctx.planner, "Claim", claim.id, info)) ?? []) as never,
    cluster: async (claim, _args, ctx, info) => (claim.clusterId ? ((await plannedFieldOf(ctx.planner, "Claim", claim.id, info)) as never) : null),
  },
  ClaimRelation: {
    from: async (relation, _args, ctx, info) => (await plannedFieldOf(ctx.planner, "ClaimRelation", relation.id, info)) as never,
    to: async (relation, _args, ctx, info) => (await plannedFieldOf(ctx.planner, "ClaimRelation", relation.id, info)) as never,
  },
  // The relation is gone: its claims are read by id.
  UnrelateClaimsPayload: {
    from: (relation, _args, ctx) => requireClaim(ctx, relation.fromClaimId),
    to: (relation, _args, ctx) => requireClaim(ctx, relation.toClaimId),
  },
};
