import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { DateTime } from "./graphql/datetime";
import { UUID } from "./graphql/uuid";
import type { Resolvers } from "./generated/graphql";
import { modules, plannedTables } from "./modules";
import { answerPlannedFields } from "./shared/planner/resolvers";

const SDL_DIR = path.join(__dirname, "..", "schema");

function loadTypeDefs(): string[] {
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
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [commonResolvers, ...modules.map((module) => module.resolvers)],
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
  return answerPlannedFields(schema, plannedTables);
}
