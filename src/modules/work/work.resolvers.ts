import type { Resolvers } from "../../generated/graphql";
import type { Work } from "../../generated/prisma/client";
import { partialDateOf } from "../../shared/partial-date";
import { requireSourceOfVisibleParent } from "../source/source.service";
import { createWork, deleteWork, getWork, listWorks, updateWork } from "./work.service";

export const workResolvers: Resolvers = {
  Query: {
    work: (_root, { id }, ctx, info) => getWork(ctx, id, info),
    works: (_root, args, ctx, info) => listWorks(ctx, args, info),
  },
  Mutation: {
    createWork: (_root, { input }, ctx) => createWork(ctx, input),
    updateWork: (_root, { input }, ctx) => updateWork(ctx, input),
    deleteWork: (_root, { input }, ctx) => deleteWork(ctx, input),
  },
  // Rows of other origins than the planner (mutation payloads): the planner answers these itself.
  Work: {
    publicationDate: partialDateOf<Work>("publishedAt", "publishedPrecision"),
    // Only mutations (staff, who see every source) reach this.
    outletSource: (work, _args, ctx) => (work.outletSourceId ? requireSourceOfVisibleParent(ctx, work.outletSourceId) : null),
  },
};
