import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { parse, Source, type DocumentNode } from "graphql";
import { DateTime } from "./graphql/datetime";
import { UUID } from "./graphql/uuid";
import { PartialDate } from "./graphql/partial-date";
import type { Resolvers } from "./generated/graphql";
import { modules, plannedTables } from "./modules";
import { answerPlannedFields } from "./shared/planner/resolvers";

const SDL_DIR = path.join(__dirname, "..", "schema");

/** The SDL files, parsed under their names (`schema/article.graphql`): every AST node's `loc.source.name` says where it was written. */
function loadTypeDefs(): DocumentNode[] {
  return readdirSync(SDL_DIR)
    .filter((file) => file.endsWith(".graphql"))
    .sort()
    .map((file) => parse(new Source(readFileSync(path.join(SDL_DIR, file), "utf8"), `schema/${file}`)));
}

const commonResolvers: Resolvers = {
  DateTime,
  PartialDate,
  UUID,
};

/**
 * The `Query` fields whose reads are recorded (src/shared/read-tags.ts), so whose anonymous answers
 * the published-read cache may store: every module's `recordedReads`, and `__typename` (a constant
 * answer, nothing read).
 */
export function recordedRootFields(): ReadonlySet<string> {
  return new Set(["__typename", ...modules.flatMap((module) => module.recordedReads ?? [])]);
}

export function buildSchema() {
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [commonResolvers, ...modules.map((module) => module.resolvers)],
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
  return answerPlannedFields(schema, plannedTables);
}
