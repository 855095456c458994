import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";
import type { TableRegistry } from "./compile";

/**
 * Makes every computed or related field of a planned type answer from the planned row when it
 * carries the field (`@<response key>`, see ./table.ts), and run its own resolver otherwise: a
 * row that did not come from the planner (a mutation's payload, a Prisma row) still resolves
 * through the module's resolvers and their DataLoaders, which stay for exactly that.
 */
export function answerPlannedFields(schema: GraphQLSchema, tables: TableRegistry): GraphQLSchema {
  for (const table of tables.values()) {
    const type = schema.getType(table.type);
    if (!isObjectType(type)) throw new Error(`The planned type ${table.type} is not an object type of the schema`);
    const fields = type.getFields();
    for (const [name, spec] of Object.entries(table.fields)) {
      const field = fields[name];
      if (!field) throw new Error(`The planned field ${table.type}.${name} is not in the schema`);
      if (spec.kind === "column") continue; // read by the default resolver, under its own name
      const own: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        const planned = (parent as Record<string, unknown>)[`@${info.path.key}`];
        return planned !== undefined ? planned : own(parent, args, context, info);
      };
    }
  }
  return schema;
}
