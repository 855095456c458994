import { type FieldNode, type GraphQLResolveInfo, type GraphQLSchema, isObjectType, type SelectionSetNode, visit } from "graphql";
import { parseResolveInfo, type ResolveTree } from "graphql-parse-resolve-info";
import { Prisma } from "../../generated/prisma/client";
import { type Connection, CREATED_AT_DESC, keyJsonSql, type KeysetOrder, type PageArgs, keysetOrderSql, keysetSql, paginate } from "../pagination";
import { isUuid } from "../validation";
import type { Viewer } from "../viewer";
import { Compiler, TAGS_KEY, type RowShape, type TableRegistry } from "./compile";

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
    const { table, object } = this.plan(info, `one:${type}:${rootAlias}`, (compiler) => {
      const table = compiler.table(type);
      return { table, object: compiler.object(table, rootAlias, selectionOf(info, type, rootTree(info).fieldsByTypeName)) };
    });
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
    // Recorded even when not found: the cached null must go when the row appears or becomes visible.
    this.readTags()?.add(`${type}:${id}`);
    return this.one<Parent>(info, type, "r", (alias) => Prisma.sql`${Prisma.raw(alias)}.id = ${id}::uuid`);
  }

  /**
   * The rows of `type` with these ids (UUIDs) that the viewer may see, by id, read in ONE
   * statement with the selection the root field (`node`/`nodes`) makes on `type` (fragments on
   * the interfaces `type` implements included). Each carries `__typename`.
   */
  async byIds(info: GraphQLResolveInfo, type: string, ids: string[]): Promise<Map<string, PlannedRow>> {
    const tags = this.readTags();
    for (const id of ids) tags?.add(`${type}:${id}`);
    const { table, object } = this.plan(info, `ids:${type}`, (compiler) => {
      const table = compiler.table(type);
      return { table, object: compiler.object(table, "r", selectionOf(info, type, rootTree(info).fieldsByTypeName)) };
    });
    const statement = Prisma.sql`SELECT ${object.sql} AS j FROM ${Prisma.raw(`${table.table} r`)}
      WHERE r.id = ANY(${ids}::uuid[]) AND ${table.visible(this.viewer, "r")}`;
    const rows = await this.query(statement.text, statement.values);
    const found = new Map<string, PlannedRow>();
    for (const { j } of rows) {
      const row = j as PlannedRow;
      this.record(row, object.shape);
      found.set(row.id, Object.assign(row, { __typename: type }));
    }
    return found;
  }

  /**
   * For a statement of another module's (search's hits): an SQL expression giving the JSON of the
   * row of `type` whose id is `id` with `selection`, or NULL when the viewer may not see it; and
   * `received`, to call with each row that came back (to record what was read).
   */
  embedded(type: string, selection: Record<string, ResolveTree>, id: Prisma.Sql): { sql: Prisma.Sql; received(row: PlannedRow): void } {
    const compiler = new Compiler(this.tables, this.viewer);
    const table = compiler.table(type);
    const alias = compiler.nextAlias();
    const object = compiler.object(table, alias, selection);
    return {
      sql: Prisma.sql`(SELECT ${object.sql} FROM ${Prisma.raw(`${table.table} ${alias}`)} WHERE ${Prisma.raw(alias)}.id = ${id} AND ${table.visible(this.viewer, alias)})`,
      received: (row) => this.record(row, object.shape),
    };
  }

  /**
   * A keyset page of `type` in `order` (default newest first, see shared/pagination.ts: forward
   * with first/after, backward with last/before) as a Relay connection, with its `totalCount` in
   * the same statement when selected; `where` is the list's filter.
   */
  async connection<Parent = PlannedRow>(
    info: GraphQLResolveInfo,
    type: string,
    rootAlias: string,
    args: PageArgs,
    where: RootWhere,
    order: KeysetOrder = CREATED_AT_DESC,
  ): Promise<Connection<Parent>> {
    const { table, object, counted } = this.plan(info, `connection:${type}:${rootAlias}:${order.name}`, (compiler) => {
      const table = compiler.table(type);
      const connectionFields = Object.values(rootTree(info).fieldsByTypeName[connectionType(info)] ?? {});
      const nodeSelection: Record<string, ResolveTree> = {};
      for (const edges of connectionFields.filter((field) => field.name === "edges")) {
        for (const edge of Object.values(Object.values(edges.fieldsByTypeName)[0] ?? {})) {
          if (edge.name === "node") Object.assign(nodeSelection, selectionOf(info, type, edge.fieldsByTypeName));
        }
      }
      // The cursors are made of each node's order key and id.
      const extra: Array<[string, Prisma.Sql]> = [[CURSOR_KEY, Prisma.raw(keyJsonSql(order, rootAlias))]];
      return { table, object: compiler.object(table, rootAlias, nodeSelection, extra), counted: connectionFields.some((field) => field.name === "totalCount") };
    });
    const from = Prisma.raw(`${table.table} ${rootAlias}`);
    const condition = Prisma.sql`${table.visible(this.viewer, rootAlias)} AND ${where(rootAlias)}`;
    let total: number | undefined;
    const page = await paginate<PlannedRow & { [CURSOR_KEY]: string | number | null }>(
      args,
      order,
      (row) => row[CURSOR_KEY],
      async ({ after, before, forward, take }) => {
        const count = counted ? Prisma.sql`, (SELECT count(*)::int FROM ${from} WHERE ${condition}) AS total` : Prisma.empty;
        const statement = Prisma.sql`SELECT (
            SELECT COALESCE(json_agg(p.j), '[]'::json) FROM (
              SELECT ${object.sql} AS j FROM ${from}
              WHERE ${condition}${keysetSql(after, rootAlias, order, true)}${keysetSql(before, rootAlias, order, false)}
              ORDER BY ${keysetOrderSql(rootAlias, order, forward)} LIMIT ${Prisma.raw(String(take))}) p
          ) AS rows${count}`;
        const [result] = await this.query(statement.text, statement.values);
        total = result!.total as number | undefined;
        const rows = result!.rows as Array<PlannedRow & { [CURSOR_KEY]: string | number | null }>;
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

  /**
   * What `build` compiles for this root field, compiled once per document, field, viewer role and
   * value of the variables its selection uses (`first` of a nested list, `@include(if:)`): the
   * parsed document is the same object from request to request (Apollo's document cache), so the
   * next request with the same query skips the selection walk and the SQL building.
   */
  private plan<Plan extends { object: CompiledObject }>(info: GraphQLResolveInfo, kind: string, build: (compiler: Compiler) => Plan): Plan {
    let byField = PLANS.get(info.fieldNodes[0]!);
    if (!byField) {
      byField = { variables: variablesOfSelection(info), plans: new Map() };
      PLANS.set(info.fieldNodes[0]!, byField);
    }
    const key = `${kind}|${this.viewer?.role ?? "anonymous"}|${info.fieldNodes.length}|${JSON.stringify(byField.variables.map((name) => info.variableValues[name]))}`;
    let plan = byField.plans.get(key) as Plan | undefined;
    if (!plan) {
      plan = build(new Compiler(this.tables, this.viewer));
      // A plan whose SQL carries parameters could not be shared; none of the tables' SQL has any today.
      if (plan.object.sql.values.length === 0) {
        plan.object = { ...plan.object, sql: Prisma.raw(plan.object.sql.text) };
        if (byField.plans.size < MAX_PLANS_PER_FIELD) byField.plans.set(key, plan);
      }
    }
    return plan;
  }

  /** Runs a statement another module built around the planner's expressions (see `embedded`). */
  async run(statement: Prisma.Sql): Promise<Array<Record<string, unknown>>> {
    return this.query(statement.text, statement.values);
  }

  private record(row: Record<string, unknown>, shape: RowShape): void {
    const tags = this.readTags();
    if (tags) recordRows(tags, row, shape);
  }
}

const CURSOR_KEY = "@cursorKey";

type CompiledObject = { sql: Prisma.Sql; shape: RowShape };

/** Compiled plans by the root field's node in its (cached, shared) parsed document; see Planner.plan. */
const PLANS = new WeakMap<FieldNode, { variables: string[]; plans: Map<string, { object: CompiledObject }> }>();
const MAX_PLANS_PER_FIELD = 50;

/** The variables a root field's selection (its fragments included) refers to, whose values shape the SQL. */
function variablesOfSelection(info: GraphQLResolveInfo): string[] {
  const names = new Set<string>();
  const seenFragments = new Set<string>();
  const walk = (selectionSet: SelectionSetNode | undefined) => {
    if (!selectionSet) return;
    visit(selectionSet, {
      Variable: (node) => {
        names.add(node.name.value);
      },
      FragmentSpread: (node) => {
        const name = node.name.value;
        if (seenFragments.has(name)) return;
        seenFragments.add(name);
        walk(info.fragments[name]?.selectionSet);
      },
    });
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  return [...names].sort();
}

/** The fields at `path` (field names) under the root field, one per alias, `@include`/`@skip` applied. */
function fieldsAt(info: GraphQLResolveInfo, path: string[]): ResolveTree[] {
  let level = [rootTree(info)];
  for (const name of path) {
    level = level.flatMap((tree) => Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).filter((field) => field.name === name)));
  }
  return level;
}

/** Does the query select the field at `path` under the root field? */
export function isSelected(info: GraphQLResolveInfo, path: string[]): boolean {
  return fieldsAt(info, path).length > 0;
}

/** The selections, by type, of the field at `path` (field names) under the root field, aliases merged. */
export function selectionAt(info: GraphQLResolveInfo, path: string[]): Record<string, Record<string, ResolveTree>> {
  const byType: Record<string, Record<string, ResolveTree>> = {};
  for (const tree of fieldsAt(info, path)) for (const [type, fields] of Object.entries(tree.fieldsByTypeName)) Object.assign((byType[type] ??= {}), fields);
  return byType;
}

function rootTree(info: GraphQLResolveInfo): ResolveTree {
  return parseResolveInfo(info) as ResolveTree;
}

/**
 * The fields selected on `type`: on the type itself, and on the interfaces it implements
 * (`... on Node { id }`: graphql-parse-resolve-info keys those by the interface's name).
 */
function selectionOf(info: GraphQLResolveInfo, type: string, fieldsByTypeName: ResolveTree["fieldsByTypeName"]): Record<string, ResolveTree> {
  const selection: Record<string, ResolveTree> = {};
  for (const name of interfacesOf(info.schema, type)) Object.assign(selection, fieldsByTypeName[name] ?? {});
  return Object.assign(selection, fieldsByTypeName[type] ?? {});
}

function interfacesOf(schema: GraphQLSchema, type: string): string[] {
  const named = schema.getType(type);
  return isObjectType(named) ? named.getInterfaces().map((face) => face.name) : [];
}

function connectionType(info: GraphQLResolveInfo): string {
  let type = info.returnType;
  while ("ofType" in type) type = type.ofType;
  return type.name;
}

function recordRows(tags: Set<string>, row: Record<string, unknown>, shape: RowShape): void {
  tags.add(`${shape.type}:${String(row.id)}`);
  const further = row[TAGS_KEY];
  if (Array.isArray(further)) for (const tag of further) tags.add(String(tag));
  for (const relation of shape.relations) {
    const value = row[relation.key];
    if (Array.isArray(value)) for (const item of value) recordRows(tags, item as Record<string, unknown>, relation.shape);
    else if (value) recordRows(tags, value as Record<string, unknown>, relation.shape);
  }
}
