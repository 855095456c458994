import type { GraphQLResolveInfo } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";
import { Prisma } from "../../generated/prisma/client";
import { type Connection, type PageArgs, keysetOrderSql, keysetSql, paginate } from "../pagination";
import { isUuid } from "../validation";
import type { Viewer } from "../viewer";
import { Compiler, type RowShape, type TableRegistry } from "./compile";

/** Runs one statement and returns its rows (the pg pool, bypassing Prisma's client on the read path). */
export type QueryRows = (text: string, values: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** A row as the planner returns it: JSON built by PostgreSQL (see ./table.ts for its keys). */
export type PlannedRow = Record<string, unknown> & { id: string };


/** Condition over the root alias: the lookup or the list's filter (the planner adds the viewer's visibility). */
export type RootWhere = (alias: string) => Prisma.Sql;

/**
 * The read planner of one request: every root read field (`article`, `articles`, `source`...)
 * asks it for the tree its selection needs and gets it from ONE SQL statement, PostgreSQL
 * building the nested JSON (lists limited by their `first`, each relation under its visibility
 * rule). The field resolvers below then only read properties.
 */
export class Planner {
  constructor(
    private readonly tables: TableRegistry,
    private readonly query: QueryRows,
    private readonly viewer: Viewer | null,
    /** When it gives a set (a read the published cache may keep), every row returned is recorded there as `<Type>:<id>`. */
    private readonly readTags: () => Set<string> | undefined = () => undefined,
  ) {}

  /*
   * `Parent`: the planner's rows are handed to GraphQL as the type's parent (its codegen mapper, a
   * Prisma model). They carry every key the type's unplanned resolvers read (the table's `keys`),
   * and every planned field under the key its resolver answers from.
   */

  /** The row of `type` meeting `where` that the viewer may see, or null. */
  async one<Parent = PlannedRow>(info: GraphQLResolveInfo, type: string, rootAlias: string, where: RootWhere): Promise<Parent | null> {
    const compiler = new Compiler(this.tables, this.viewer);
    const table = compiler.table(type);
    const object = compiler.object(table, rootAlias, selectionOf(info, type));
    const statement = Prisma.sql`SELECT ${object.sql} AS j FROM ${Prisma.raw(`${table.table} ${rootAlias}`)}
      WHERE ${where(rootAlias)} AND ${table.visible(this.viewer, rootAlias)} LIMIT 1`;
    const rows = await this.query(statement.text, statement.values);
    const row = (rows[0]?.j ?? null) as PlannedRow | null;
    if (row) this.record(row, object.shape);
    return row as Parent | null;
  }

  /** The row of `type` with this id (any string: not a UUID finds nothing), or null. */
  byId<Parent = PlannedRow>(info: GraphQLResolveInfo, type: string, id: string): Promise<Parent | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.one<Parent>(info, type, "r", (alias) => Prisma.sql`${Prisma.raw(alias)}.id = ${id}::uuid`);
  }

  /** The rows of `type` with these ids the viewer may see, by id (search hits' items). */
  async byIds(selection: Record<string, ResolveTree>, type: string, ids: readonly string[]): Promise<Map<string, PlannedRow>> {
    if (ids.length === 0) return new Map();
    const compiler = new Compiler(this.tables, this.viewer);
    const table = compiler.table(type);
    const object = compiler.object(table, "r", selection);
    const statement = Prisma.sql`SELECT ${object.sql} AS j FROM ${Prisma.raw(`${table.table} r`)}
      WHERE r.id = ANY(${[...ids]}::uuid[]) AND ${table.visible(this.viewer, "r")}`;
    const rows = (await this.query(statement.text, statement.values)).map((row) => row.j as PlannedRow);
    for (const row of rows) this.record(row, object.shape);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /**
   * A keyset page of `type` (newest first, see shared/pagination.ts) as a Relay connection, with
   * its `totalCount` in the same statement when selected; `where` is the list's filter.
   */
  async connection<Parent = PlannedRow>(info: GraphQLResolveInfo, type: string, rootAlias: string, args: PageArgs, where: RootWhere): Promise<Connection<Parent>> {
    const compiler = new Compiler(this.tables, this.viewer);
    const table = compiler.table(type);
    const tree = rootTree(info);
    const connectionFields = Object.values(tree.fieldsByTypeName[connectionType(info)] ?? {});
    const nodeSelection: Record<string, ResolveTree> = {};
    for (const edges of connectionFields.filter((field) => field.name === "edges")) {
      for (const edge of Object.values(Object.values(edges.fieldsByTypeName)[0] ?? {})) {
        if (edge.name === "node") Object.assign(nodeSelection, edge.fieldsByTypeName[type] ?? {});
      }
    }
    const counted = connectionFields.some((field) => field.name === "totalCount");
    const object = compiler.object(table, rootAlias, nodeSelection);
    const from = Prisma.raw(`${table.table} ${rootAlias}`);
    const condition = Prisma.sql`${table.visible(this.viewer, rootAlias)} AND ${where(rootAlias)}`;
    let total: number | undefined;
    const page = await paginate<PlannedRow & { createdAt: string }>(
      args,
      async ({ after, take }) => {
        const count = counted ? Prisma.sql`, (SELECT count(*)::int FROM ${from} WHERE ${condition}) AS total` : Prisma.empty;
        const statement = Prisma.sql`SELECT (
            SELECT COALESCE(json_agg(p.j), '[]'::json) FROM (
              SELECT ${object.sql} AS j FROM ${from}
              WHERE ${condition}${keysetSql(after, rootAlias)}
              ORDER BY ${keysetOrderSql(rootAlias)} LIMIT ${Prisma.raw(String(take))}) p
          ) AS rows${count}`;
        const [result] = await this.query(statement.text, statement.values);
        total = result!.total as number | undefined;
        const rows = result!.rows as Array<PlannedRow & { createdAt: string }>;
        for (const row of rows) this.record(row, object.shape);
        return rows;
      },
      async () => {
        if (total !== undefined) return total;
        const statement = Prisma.sql`SELECT count(*)::int AS total FROM ${from} WHERE ${condition}`;
        return (await this.query(statement.text, statement.values))[0]!.total as number;
      },
    );
    return page as unknown as Connection<Parent>;
  }

  /** Records a root list or search as read (its membership may change with any public write). */
  recordScope(scope: string): void {
    this.readTags()?.add(`list:${scope}`);
  }

  private record(row: Record<string, unknown>, shape: RowShape): void {
    const tags = this.readTags();
    if (tags) recordRows(tags, row, shape);
  }
}

function rootTree(info: GraphQLResolveInfo): ResolveTree {
  return parseResolveInfo(info) as ResolveTree;
}

function selectionOf(info: GraphQLResolveInfo, type: string): Record<string, ResolveTree> {
  return rootTree(info).fieldsByTypeName[type] ?? {};
}

function connectionType(info: GraphQLResolveInfo): string {
  let type = info.returnType;
  while ("ofType" in type) type = type.ofType;
  return type.name;
}

function recordRows(tags: Set<string>, row: Record<string, unknown>, shape: RowShape): void {
  tags.add(`${shape.type}:${String(row.id)}`);
  for (const relation of shape.relations) {
    const value = row[relation.key];
    if (Array.isArray(value)) for (const item of value) recordRows(tags, item as Record<string, unknown>, relation.shape);
    else if (value) recordRows(tags, value as Record<string, unknown>, relation.shape);
  }
}
