import { Prisma } from "../../generated/prisma/client";
import type { Viewer } from "../viewer";
import { partialDateSql } from "../partial-date";

/**
 * How the read planner reads one GraphQL object type from SQL. Each module declares its types in
 * `<entity>.table.ts` (its columns, its relations, its visibility rule) and registers them with
 * defineModule; the planner (./compile.ts) turns a GraphQL selection over them into ONE statement
 * whose JSON PostgreSQL builds.
 *
 * Keys of the JSON a planned row carries:
 * - a column under its GraphQL field name, so that the default resolver (or graphql-jit's inlined
 *   property read) returns it;
 * - a computed field or a relation under `@<response key>` (`@claims`, `@firstClaims`): two aliases
 *   of one list may take different arguments. `@` is not a GraphQL name character, so no row of
 *   another origin (a Prisma row in a mutation payload) has such a key: the field resolvers
 *   (./resolvers.ts) answer from it when it is there and fall back to their loaders otherwise;
 * - the table's `keys` (the id), always: what the field resolvers the planner does not compile
 *   (`Article.history`) and the published cache's read tags need.
 */
export interface TableSpec {
  /** The GraphQL object type. */
  type: string;
  /** The SQL table (`FROM <table> <alias>`). */
  table: string;
  /** Which rows the viewer may read, over `<table> <alias>` (the module's policy). */
  visible(viewer: Viewer | null, alias: string): Prisma.Sql;
  /** Always selected, under these (Prisma) names: column expressions over `$`. */
  keys: Record<string, string>;
  fields: Record<string, FieldSpec>;
  /**
   * Further tags a row's answer depends on (src/shared/read-tags.ts), beyond its own and those of
   * the rows selected under it: SQL over `$` giving a text[] (an aggregate over rows the answer
   * summarises, e.g. a cluster's claims). Only selected for anonymous viewers (the ones recorded).
   */
  tags?: string;
}

type FieldSpec = ColumnSpec | ComputedSpec | RelationSpec;

/** A column (or an expression over the row's own columns, `$` standing for the alias). */
export interface ColumnSpec {
  kind: "column";
  sql: string;
}

/** A value computed in SQL that may depend on the viewer (JSON of its own, or NULL). */
export interface ComputedSpec {
  kind: "computed";
  sql(alias: string, viewer: Viewer | null): Prisma.Sql;
}

export interface RelationSpec {
  kind: "one" | "many";
  /** The GraphQL type of the related rows (a TableSpec's `type`). */
  type: string;
  /** Extra joins after `FROM <table> <child>` (a link table), `$` standing for the child alias. */
  join?: string;
  /** Which related rows, over the parent alias `$p` and the child alias `$` (and the join's aliases). */
  where: string;
  /** Order of the related rows, over `$`. */
  orderBy?: string;
  /** Apply the related table's visibility rule: the parent being visible does not make these visible. */
  visible?: boolean;
  /** Many: the argument `first`'s default (the SDL's), also the LIMIT when no argument comes. */
  first?: number;
  /** The relation is null unless this holds for the viewer (e.g. only staff see users). */
  when?: (viewer: Viewer | null) => boolean;
}

export const column = (sql: string): ColumnSpec => ({ kind: "column", sql: sql.includes("$") ? sql : `$.${sql}` });
/** A timestamptz as the JSON string `Date.toISOString()` gives (UTC, milliseconds, `Z`). */
export const timestamp = (name: string): ColumnSpec => column(`to_char($.${name} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
/** An enum column, as its text. */
export const enumColumn = (name: string): ColumnSpec => column(`$.${name}::text`);
export const computed = (sql: ComputedSpec["sql"]): ComputedSpec => ({ kind: "computed", sql });
/**
 * A PartialDate from its two columns (`published_at`, `published_precision`), formatted by SQL. Computed, so
 * that rows of other origins (Prisma rows in mutation payloads) go to the field's resolver
 * (`partialDateOf` in src/shared/partial-date.ts).
 */
export const partialDate = (at: string, precision: string): ComputedSpec =>
  computed((alias) => Prisma.raw(partialDateSql(`${alias}.${at}`, `${alias}.${precision}`)));
export const one = (spec: Omit<RelationSpec, "kind">): RelationSpec => ({ kind: "one", ...spec });
export const many = (spec: Omit<RelationSpec, "kind">): RelationSpec => ({ kind: "many", ...spec });

/** A table spec; `keys` defaults to the row's id. */
export function defineTable(spec: Omit<TableSpec, "keys"> & { keys?: TableSpec["keys"] }): TableSpec {
  return { ...spec, keys: spec.keys ?? { id: "$.id" } };
}

/** `$` replaced by the alias (and `$p` by the parent's): table specs are written alias-free. */
export function withAliases(sql: string, alias: string, parent?: string): string {
  return sql.replace(/\$p\b/g, parent ?? "$p").replace(/\$/g, alias);
}

