import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { DateTime } from "./graphql/datetime";
import { UUID } from "./graphql/uuid";
import type { Resolvers } from "./generated/graphql";
import { articleResolvers } from "./modules/article/article.resolvers";
import { attributionResolvers } from "./modules/attribution/attribution.resolvers";
import { claimResolvers } from "./modules/claim/claim.resolvers";
import { rebuttalResolvers } from "./modules/rebuttal/rebuttal.resolvers";
import { sourceResolvers } from "./modules/source/source.resolvers";
import { verdictResolvers } from "./modules/verdict/verdict.resolvers";
import { searchResolvers } from "./modules/search/search.resolvers";
import { userResolvers } from "./modules/user/user.resolvers";
import { auditResolvers } from "./modules/audit/audit.resolvers";

const SDL_DIR = path.join(__dirname, "..", "schema");

export function loadTypeDefs(): string[] {
  return readdirSync(SDL_DIR)
    .filter((file) => file.endsWith(".graphql"))
    .sort()
    .map((file) => readFileSync(path.join(SDL_DIR, file), "utf8"));
}

const commonResolvers: Resolvers = {
  DateTime,
  UUID,
  Query: { ok: () => true },
};

export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [commonResolvers, articleResolvers, claimResolvers, sourceResolvers, attributionResolvers, rebuttalResolvers, verdictResolvers, userResolvers, auditResolvers, searchResolvers],
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
}
