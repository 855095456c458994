import type { Resolvers } from "../../generated/graphql";
import type { Affiliation } from "../../generated/prisma/client";
import { partialDateOf } from "../../shared/partial-date";

export const affiliationResolvers: Resolvers = {
  Affiliation: {
    startDate: partialDateOf<Affiliation>("startedAt", "startedPrecision"),
    endDate: partialDateOf<Affiliation>("endedAt", "endedPrecision"),
  },
};
