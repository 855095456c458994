import type { Resolvers } from "../../generated/graphql";
import type { Response } from "../../generated/prisma/client";
import { listLimit } from "../../shared/pagination";
import { partialDateOf } from "../../shared/partial-date";
import { requireSourceOfVisibleParent } from "../source/source.service";
import {
  commonStance,
  createRebuttal,
  deleteRebuttal,
  deleteResponse,
  getResponse,
  recordResponse,
  updateRebuttal,
  updateResponse,
} from "./response.service";

/*
 * The resolvers below answer rows that did not come from the read planner (mutation payloads);
 * planned rows carry these fields already (src/shared/planner/resolvers.ts).
 */
export const responseResolvers: Resolvers = {
  Query: {
    response: (_root, { id }, ctx, info) => getResponse(ctx, id, info),
    rebuttal: (_root, { id }, ctx, info) => getResponse(ctx, id, info),
  },
  Mutation: {
    recordResponse: (_root, { input }, ctx) => recordResponse(ctx, input),
    updateResponse: (_root, { input }, ctx) => updateResponse(ctx, input),
    deleteResponse: (_root, { input }, ctx) => deleteResponse(ctx, input),
    createRebuttal: (_root, { input }, ctx) => createRebuttal(ctx, input),
    updateRebuttal: (_root, { input }, ctx) => updateRebuttal(ctx, input),
    deleteRebuttal: (_root, { input }, ctx) => deleteRebuttal(ctx, input),
  },
  Response: {
    respondent: (response, _args, ctx) => requireSourceOfVisibleParent(ctx, response.sourceId),
    source: (response, _args, ctx) => requireSourceOfVisibleParent(ctx, response.sourceId),
    capacity: async (response, _args, ctx) => (response.capacityId ? ctx.loaders.affiliationByIdOfVisibleResponse.load(response.capacityId) : null),
    work: async (response, _args, ctx) => (response.workId ? ctx.loaders.workById.load(response.workId) : null),
    madeOn: partialDateOf<Response>("madeAt", "madePrecision"),
    conduits: (response, _args, ctx) => ctx.loaders.conduitsByResponseId.load(response.id),
    answers: (response, _args, ctx) => ctx.loaders.answersByResponseId.load(response.id),
    claims: async (response, { first }, ctx) => {
      const limit = listLimit(first, 10);
      return (await ctx.loaders.claimsByResponseId.load(response.id)).slice(0, limit).map((link) => link.claim);
    },
    stance: async (response, _args, ctx) => commonStance(await ctx.loaders.answersByResponseId.load(response.id)),
  },
  ResponseAnswer: {
    // The answer is visible, hence so is its claim (or its attribution's claim).
    claim: async (answer, _args, ctx) => (answer.claimId ? ctx.loaders.claimByIdOfVisibleAttribution.load(answer.claimId) : null),
    attribution: async (answer, _args, ctx) => (answer.attributionId ? ctx.loaders.attributionById.load(answer.attributionId) : null),
  },
  ResponseConduit: {
    source: (conduit, _args, ctx) => requireSourceOfVisibleParent(ctx, conduit.sourceId),
    work: async (conduit, _args, ctx) => (conduit.workId ? ctx.loaders.workById.load(conduit.workId) : null),
  },
  Claim: {
    responses: async (claim, { first }, ctx) => {
      const limit = listLimit(first, 5);
      return (await ctx.loaders.responsesByVisibleClaimId.load(claim.id)).slice(0, limit).map((link) => link.response);
    },
    rebuttals: async (claim, { first }, ctx) => {
      const limit = listLimit(first, 5);
      return (await ctx.loaders.responsesByVisibleClaimId.load(claim.id)).slice(0, limit).map((link) => link.response);
    },
  },
  Source: {
    responses: async (source, { first }, ctx) => (await ctx.loaders.responsesBySourceId.load(source.id)).slice(0, listLimit(first, 50)),
    rebuttals: async (source, { first }, ctx) => (await ctx.loaders.responsesBySourceId.load(source.id)).slice(0, listLimit(first, 50)),
  },
  Attribution: {
    responses: async (attribution, { first }, ctx) => {
      const limit = listLimit(first, 5);
      return (await ctx.loaders.responsesByVisibleAttributionId.load(attribution.id)).slice(0, limit).map((link) => link.response);
    },
  },
};

