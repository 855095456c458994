import DataLoader from "dataloader";
import type { FieldNode, GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";
import { Prisma } from "../../generated/prisma/client";
import type { PlannedRow, Planner } from "./planner";

/** Per request (its planner) and per field of the operation: the loader of that field's planned value. */
const loaders = new WeakMap<Planner, Map<FieldNode, DataLoader<string, unknown>>>();

/**
 * A planned field (a relation or a computed value) of a row that did not come from the planner (a
 * mutation payload's Prisma row): the parent is read again by id through the planner with only
 * this field selected (`Planner.embedded`, visibility included), batched per field of the
 * operation: ONE statement for every parent of the payload, whatever their number. Null when the
 * viewer may not see the parent.
 */
export function plannedFieldOf(planner: Planner, parentType: string, parentId: string, info: GraphQLResolveInfo): Promise<unknown> {
  let byNode = loaders.get(planner);
  if (!byNode) {
    byNode = new Map();
    loaders.set(planner, byNode);
  }
  const node = info.fieldNodes[0]!;
  let loader = byNode.get(node);
  if (!loader) {
    const tree = parseResolveInfo(info) as ResolveTree;
    const key = `@${tree.alias}`;
    loader = new DataLoader<string, unknown>(async (ids) => {
      const embedded = planner.embedded(parentType, { [tree.alias]: tree }, Prisma.sql`x.id`);
      const rows = await planner.run(Prisma.sql`SELECT x.id::text AS id, ${embedded.sql} AS j FROM unnest(${[...ids]}::uuid[]) AS x(id)`);
      const byId = new Map<string, unknown>();
      for (const row of rows) {
        const planned = row.j as PlannedRow | null;
        if (planned) embedded.received(planned);
        byId.set(row.id as string, planned ? (planned[key] ?? null) : null);
      }
      return ids.map((id) => byId.get(id) ?? null);
    });
    byNode.set(node, loader);
  }
  return loader.load(parentId);
}
