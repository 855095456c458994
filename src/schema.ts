import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { GraphQLSchema, isScalarType, parse, printSchema, Source, type DocumentNode } from "graphql";
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

/**
 * A scalar's implementation (graphql-scalars' DateTime, UUID, JSON...) brings its own description,
 * which makeExecutableSchema copies over the SDL's: the SDL's is the one written for this API.
 */
function keepSdlScalarDescriptions(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (isScalarType(type) && type.astNode?.description) type.description = type.astNode.description.value;
  }
  return schema;
}

export function buildSchema() {
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [commonResolvers, ...modules.map((module) => module.resolvers)],
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
  return answerPlannedFields(keepSdlScalarDescriptions(schema), plannedTables);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The public schema as one SDL text, what `npm run schema:print` writes to schema.graphql and
 * `GET /schema.graphql` serves: types and directives sorted by name (so the text does not depend on
 * which file declares what), fields, arguments and enum values in their SDL order (which carries
 * meaning: a scale's values in order), descriptions included.
 */
export function printPublicSchema(schema: GraphQLSchema = buildSchema()): string {
  const config = schema.toConfig();
  // GraphQLSchema keeps the order of the `types` it is given: printSchema prints them in that order.
  const sorted = new GraphQLSchema({ ...config, types: [...config.types].sort(byName), directives: [...config.directives].sort(byName) });
  return `${printSchema(sorted)}\n`;
}
