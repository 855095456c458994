import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  Kind,
  parse,
  type ASTNode,
  type GraphQLSchema,
} from "graphql";
import { buildSchema } from "../src/schema";

/** One element of the schema without a description, and the SDL file that declares it. */
interface Undescribed {
  file: string;
  /** Its schema coordinate: `Article`, `Article.title`, `Query.article(slug:)`, `ArticleStatus.DRAFT`, `@tag(name:)`. */
  coordinate: string;
}

const described = (description: string | null | undefined) => Boolean(description?.trim());
const fileOf = (node: ASTNode | null | undefined) => node?.loc?.source.name ?? "(no SDL file)";

/**
 * The file that defines each type (not one that extends it). A merged type's own AST node carries the
 * location of its last extension, so the type's description is looked for where the type is defined;
 * fields, arguments and values keep their own locations.
 */
function definingFiles(): Map<string, string> {
  const dir = path.join(__dirname, "..", "schema");
  const files = new Map<string, string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".graphql"))) {
    for (const definition of parse(readFileSync(path.join(dir, file), "utf8")).definitions) {
      if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind.endsWith("Definition") && "name" in definition && definition.name) {
        files.set(definition.name.value, `schema/${file}`);
      }
    }
  }
  return files;
}

/**
 * Every type, field, argument, input field, enum value and directive of the schema that has no
 * description (or only white space), built-in scalars and directives and introspection types aside.
 * No allow-list: the schema is complete when this is empty.
 */
function undescribed(schema: GraphQLSchema): Undescribed[] {
  const missing: Undescribed[] = [];
  const typeFiles = definingFiles();
  const check = (description: string | null | undefined, node: ASTNode | null | undefined, coordinate: string) => {
    if (!described(description)) missing.push({ file: fileOf(node), coordinate });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!described(type.description)) missing.push({ file: typeFiles.get(type.name) ?? fileOf(type.astNode), coordinate: type.name });
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(field.description, field.astNode, `${type.name}.${field.name}`);
        for (const arg of field.args) check(arg.description, arg.astNode, `${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(field.description, field.astNode, `${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(value.description, value.astNode, `${type.name}.${value.name}`);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    check(directive.description, directive.astNode, `@${directive.name}`);
    for (const arg of directive.args) check(arg.description, arg.astNode, `@${directive.name}(${arg.name}:)`);
  }
  return missing;
}

/** The missing descriptions as a readable list, one file at a time: what a failing run prints. */
function byFile(missing: readonly Undescribed[]): Record<string, string[]> {
  const files: Record<string, string[]> = {};
  for (const { file, coordinate } of missing) (files[file] ??= []).push(coordinate);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

const SDL_FILES = readdirSync(path.join(__dirname, "..", "schema"))
  .filter((name) => name.endsWith(".graphql"))
  .sort()
  .map((name) => `schema/${name}`);

describe("the SDL describes every type, field, argument, input field and enum value", () => {
  const schema = buildSchema();
  const missing = byFile(undescribed(schema));

  // One test per file, so that a failure says whose file it is; the list is what is left to describe.
  it.each(SDL_FILES)("%s: everything is described", (file) => {
    expect(missing[file] ?? []).toEqual([]);
  });

  it("serves the SDL's descriptions: a scalar's implementation (graphql-scalars) does not replace them", () => {
    const replaced = Object.values(schema.getTypeMap())
      .filter((type) => type.astNode?.description && type.description !== type.astNode.description.value)
      .map((type) => type.name);
    expect(replaced).toEqual([]);
    expect(schema.getType("DateTime")!.description).toMatch(/^An instant/);
  });

  it("finds nothing outside schema/ (every element comes from an SDL file)", () => {
    expect(Object.keys(missing).filter((file) => !SDL_FILES.includes(file))).toEqual([]);
  });

  it("finds what is missing, wherever it is, and names the file that declares it", () => {
    const probe = buildSchema();
    const query = probe.getQueryType()!;
    const someField = Object.values(query.getFields()).find((field) => field.args.length > 0)!;
    const arg = someField.args[0]!;
    const role = probe.getType("Role");
    if (!isEnumType(role)) throw new Error("Role is an enum");
    const admin = role.getValue("ADMIN")!;
    // The schema's elements are plain objects: take descriptions away from one of each kind.
    Object.assign(query, { description: "  " });
    Object.assign(someField, { description: undefined });
    Object.assign(arg, { description: "" });
    Object.assign(admin, { description: undefined });
    const missing = byFile(undescribed(probe));
    expect(missing["schema/common.graphql"]).toContain("Query");
    expect(Object.values(missing).flat()).toEqual(
      expect.arrayContaining([`Query.${someField.name}`, `Query.${someField.name}(${arg.name}:)`, "Role.ADMIN"]),
    );
    expect(missing["schema/user.graphql"]).toContain("Role.ADMIN");
  });
});
