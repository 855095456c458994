import type { ResolveTree } from "graphql-parse-resolve-info";
import { Prisma } from "../../generated/prisma/client";
import { listLimit } from "../pagination";
import type { Viewer } from "../viewer";
import { type RelationSpec, type TableSpec, withAliases } from "./table";

/** What to walk in a planned result to find its rows (for the published cache's read tags). */
export interface RowShape {
  type: string;
  relations: Array<{ key: string; shape: RowShape }>;
}

/** The planned types, by GraphQL type name (built once from the modules' tables). */
export type TableRegistry = ReadonlyMap<string, TableSpec>;

/** Where a row carries its table's further tags (TableSpec.tags); `@` keeps it apart from GraphQL names. */
export const TAGS_KEY = "@@tags";

/** json_build_object takes at most 100 arguments: wider objects are merged from chunks. */
const PAIRS_PER_OBJECT = 50;

export class Compiler {
  private aliases = 0;

  constructor(
    private readonly tables: TableRegistry,
    private readonly viewer: Viewer | null,
  ) {}

  table(type: string): TableSpec {
    const table = this.tables.get(type);
    if (!table) throw new Error(`No table is registered for the GraphQL type ${type}`);
    return table;
  }

  nextAlias(): string {
    this.aliases += 1;
    return `n${this.aliases}`;
  }

  /**
   * The JSON object of one row of `table` over `alias`, with the fields `selection` asks for (a
   * field the table does not plan is left to its resolver, which gets the row's keys); `extra`:
   * pairs the caller needs (a connection's cursor key, under a key starting with `@`).
   */
  object(table: TableSpec, alias: string, selection: Record<string, ResolveTree>, extra: Array<[string, Prisma.Sql]> = []): { sql: Prisma.Sql; shape: RowShape } {
    const pairs = new Map<string, Prisma.Sql>(extra);
    const shape: RowShape = { type: table.type, relations: [] };
    for (const [key, expression] of Object.entries(table.keys)) pairs.set(key, Prisma.raw(withAliases(expression, alias)));
    if (table.tags && this.viewer === null) pairs.set(TAGS_KEY, Prisma.raw(withAliases(table.tags, alias)));
    for (const tree of Object.values(selection)) {
      const field = table.fields[tree.name];
      if (!field) continue;
      if (field.kind === "column") {
        pairs.set(tree.name, Prisma.raw(withAliases(field.sql, alias)));
      } else if (field.kind === "computed") {
        pairs.set(`@${tree.alias}`, field.sql(alias, this.viewer));
      } else {
        const related = this.relation(field, alias, tree);
        pairs.set(`@${tree.alias}`, related.sql);
        if (related.shape) shape.relations.push({ key: `@${tree.alias}`, shape: related.shape });
      }
    }
    return { sql: buildObject([...pairs]), shape };
  }

  private relation(spec: RelationSpec, parent: string, tree: ResolveTree): { sql: Prisma.Sql; shape?: RowShape } {
    if (spec.when && !spec.when(this.viewer)) return { sql: Prisma.sql`NULL` };
    const table = this.table(spec.type);
    const alias = this.nextAlias();
    const object = this.object(table, alias, tree.fieldsByTypeName[spec.type] ?? {});
    const conditions = [Prisma.raw(withAliases(spec.where, alias, parent))];
    if (spec.visible) conditions.push(table.visible(this.viewer, alias));
    const from = Prisma.raw(`${table.table} ${alias}${spec.join ? ` ${withAliases(spec.join, alias, parent)}` : ""}`);
    const orderBy = spec.orderBy ? Prisma.raw(` ORDER BY ${withAliases(spec.orderBy, alias)}`) : Prisma.empty;
    const where = Prisma.join(conditions, " AND ");
    if (spec.kind === "one") {
      return { sql: Prisma.sql`(SELECT ${object.sql} FROM ${from} WHERE ${where}${orderBy} LIMIT 1)`, shape: object.shape };
    }
    const limit = listLimit(tree.args.first as number | null | undefined, spec.first ?? 100);
    // An integer checked by listLimit: inlined, so that the statement's text only varies with the selection.
    return {
      sql: Prisma.sql`COALESCE((SELECT json_agg(l.j) FROM (SELECT ${object.sql} AS j FROM ${from} WHERE ${where}${orderBy} LIMIT ${Prisma.raw(String(limit))}) l), '[]'::json)`,
      shape: object.shape,
    };
  }
}

function buildObject(pairs: Array<[string, Prisma.Sql]>): Prisma.Sql {
  const chunks: Prisma.Sql[] = [];
  for (let start = 0; start < pairs.length; start += PAIRS_PER_OBJECT) {
    const chunk = pairs.slice(start, start + PAIRS_PER_OBJECT).map(([key, value]) => Prisma.sql`${Prisma.raw(`'${key}'`)}, ${value}`);
    chunks.push(Prisma.sql`json_build_object(${Prisma.join(chunk)})`);
  }
  if (chunks.length === 1) return chunks[0]!;
  return Prisma.sql`(${Prisma.join(
    chunks.map((chunk) => Prisma.sql`${chunk}::jsonb`),
    " || ",
  )})::json`;
}
