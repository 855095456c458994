import type { Resolvers } from "../../generated/graphql";
import type { Work } from "../../generated/prisma/client";
import { partialDateOf } from "../../shared/partial-date";

export const workResolvers: Resolvers = {
  Work: {
    publicationDate: partialDateOf<Work>("publishedAt", "publishedPrecision"),
  },
};
