import type { GraphQLResolveInfo } from "graphql";
import { Prisma } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import { ALL_STAFF, hasRole } from "../../shared/access";
import { badInput } from "../../shared/errors";
import { isUuid } from "../../shared/validation";

/** The most ids `nodes(ids:)` takes. */
const MAX_NODE_IDS = 100;

/** An item answered by `node`/`nodes`: a planned row or a Prisma row, with its GraphQL type. */
export type NodeRow = Record<string, unknown> & { id: string; __typename: string };

/**
 * The types whose ids the API returns, with their tables. Ids are UUIDs, unique across the
 * tables, so one UNION ALL of primary-key lookups tells which table has each id.
 */
const NODE_TABLES = [
  ["Article", "article"],
  ["Claim", "claim"],
  ["Source", "source"],
  ["Attribution", "attribution"],
  ["Response", "response"],
  ["ResponseAnswer", "response_answer"],
  ["ResponseConduit", "response_conduit"],
  ["ClaimRelation", "claim_relation"],
  ["ClaimCluster", "claim_cluster"],
  ["Verdict", "verdict"],
  ["Work", "work"],
  ["Affiliation", "affiliation"],
  ["User", "app_user"],
  ["ApiToken", "auth_token"],
  ["AuditEntry", "audit_entry"],
  ["ArticleRevision", "article_revision"],
] as const;

type NodeType = (typeof NODE_TABLES)[number][0];

/** The types read through the read planner (their tables' visibility rules); the others are read here. */
const PLANNED: ReadonlySet<NodeType> = new Set(["Article", "Claim", "Source", "Attribution", "Response", "ResponseAnswer", "ResponseConduit", "ClaimRelation", "ClaimCluster", "Verdict", "Work", "Affiliation", "User"]);

/** One statement: the type of each id found (an indexed lookup per table). */
function typeOfIds(ids: string[]): Prisma.Sql {
  return Prisma.join(
    NODE_TABLES.map(([type, table]) => Prisma.sql`SELECT ${Prisma.raw(`'${type}'`)} AS type, id::text AS id FROM ${Prisma.raw(table)} WHERE id = ANY(${ids}::uuid[])`),
    " UNION ALL ",
  );
}

/**
 * `nodes(ids)`: one statement finds the type of every id, then one statement per type present
 * reads them (the planned types through the read planner, with the selection the query makes on
 * that type, under that type's visibility). A missing or hidden item is null.
 */
export async function getNodes(ctx: Context, ids: readonly string[], info: GraphQLResolveInfo): Promise<Array<NodeRow | null>> {
  if (ids.length > MAX_NODE_IDS) throw badInput("ids", `takes at most ${MAX_NODE_IDS} ids`);
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  const found = new Map<string, NodeRow>();
  if (wanted.length > 0) {
    const typed = (await ctx.planner.run(typeOfIds(wanted))) as Array<{ type: NodeType; id: string }>;
    const byType = new Map<NodeType, string[]>();
    for (const { type, id } of typed) {
      const list = byType.get(type) ?? [];
      list.push(id);
      byType.set(type, list);
    }
    await Promise.all(
      [...byType].map(async ([type, typeIds]) => {
        for (const row of await readNodes(ctx, type, typeIds, info)) found.set(row.id, row);
      }),
    );
  }
  return ids.map((id) => (isUuid(id) ? (found.get(id.toLowerCase()) ?? null) : null));
}

async function readNodes(ctx: Context, type: NodeType, ids: string[], info: GraphQLResolveInfo): Promise<NodeRow[]> {
  if (PLANNED.has(type)) return [...(await ctx.planner.byIds(info, type, ids)).values()] as NodeRow[];
  const viewer = ctx.viewer;
  // The same rules as auditLog / Article.history / Article.revisions (staff) and apiTokens (ADMIN); null otherwise.
  if (type === "ApiToken") {
    if (!hasRole(viewer, ["ADMIN"])) return [];
    return (await ctx.prisma.authToken.findMany({ where: { id: { in: ids } } })).map((row) => ({ ...row, __typename: type }));
  }
  if (!hasRole(viewer, ALL_STAFF)) return [];
  if (type === "AuditEntry") return (await ctx.prisma.auditEntry.findMany({ where: { id: { in: ids } } })).map((row) => ({ ...row, __typename: type }));
  return (await ctx.prisma.articleRevision.findMany({ where: { id: { in: ids } } })).map((row) => ({ ...row, __typename: type }));
}
