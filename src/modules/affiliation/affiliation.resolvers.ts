import type { Resolvers } from "../../generated/graphql";
import type { Affiliation } from "../../generated/prisma/client";
import { listLimit } from "../../shared/pagination";
import { partialDateOf } from "../../shared/partial-date";
import { requireSourceOfVisibleParent } from "../source/source.service";
import { createAffiliation, deleteAffiliation, getAffiliation, updateAffiliation } from "./affiliation.service";

export const affiliationResolvers: Resolvers = {
  Query: {
    affiliation: (_root, { id }, ctx, info) => getAffiliation(ctx, id, info),
  },
  Mutation: {
    createAffiliation: (_root, { input }, ctx) => createAffiliation(ctx, input),
    updateAffiliation: (_root, { input }, ctx) => updateAffiliation(ctx, input),
    deleteAffiliation: (_root, { input }, ctx) => deleteAffiliation(ctx, input),
  },
  // Rows of other origins than the planner (mutation payloads): the planner answers these itself.
  Affiliation: {
    startDate: partialDateOf<Affiliation>("startedAt", "startedPrecision"),
    endDate: partialDateOf<Affiliation>("endedAt", "endedPrecision"),
    // A visible affiliation's person and organisation are visible with it (see affiliation.table.ts).
    person: (affiliation, _args, ctx) => requireSourceOfVisibleParent(ctx, affiliation.personId),
    organization: (affiliation, _args, ctx) => requireSourceOfVisibleParent(ctx, affiliation.organizationId),
  },
  Source: {
    affiliations: async (source, { first }, ctx) => (await ctx.loaders.affiliationsByPersonId.load(source.id)).slice(0, listLimit(first, 50)),
    members: async (source, { first }, ctx) => (await ctx.loaders.affiliationsByOrganizationId.load(source.id)).slice(0, listLimit(first, 50)),
  },
};
