/**
 * A seeded, schema-driven GraphQL fuzzer, shared by test/fuzz.test.ts and scripts/fuzz.ts.
 *
 * `generateOperation(schema, seed, index, pools)` walks the schema and builds one operation: a root
 * Query or Mutation field, arguments of the right and of wrong types (some missing, some huge, some
 * unicode edge cases), a random sub-selection of bounded depth, inline or as variables, run as an
 * anonymous reader, as one of the four roles, or with a bogus token. Operation `index` of seed `S`
 * depends on nothing else (not on earlier answers), so one failing operation is reproduced alone.
 *
 * `runFuzz` sends them over HTTP and `checkAnswer` judges each answer: no 5xx, every error with a
 * code of the vocabulary, no INTERNAL_SERVER_ERROR, no stack/SQL/Prisma/file-path text.
 */
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLUnionType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { APOLLO_REQUEST_CODES, ErrorCode } from "../../src/shared/errors";

export type FuzzRole = "ADMIN" | "EDITOR" | "FACT_CHECKER" | "REPORTER";
export const FUZZ_ROLES: FuzzRole[] = ["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"];
/** Who sends an operation: a role, an anonymous reader (null) or an unknown bearer token. */
type FuzzActor = FuzzRole | null | "BOGUS_TOKEN";

/**
 * Kinds of hostile input the generator marks on an operation, so that a failure can be traced to
 * one kind (and an operation regenerated without it: see `GenerateOptions.exclude`).
 */
type InputTag =
  | "nul"
  | "lone-surrogate"
  | "date-out-of-range"
  | "bad-cursor"
  | "huge-string"
  | "wrong-type"
  | "missing-required"
  | "over-limits";

export interface FuzzPools {
  /** Ids that exist in the target database (articles, claims, sources, attributions, rebuttals, verdicts, users). */
  ids: string[];
  /** Slugs that exist. */
  slugs?: string[];
}

export interface FuzzOperation {
  seed: string;
  index: number;
  actor: FuzzActor;
  /** `Query.articles`, `Mutation.createClaim`... */
  root: string;
  query: string;
  variables?: Record<string, unknown>;
  tags: InputTag[];
}

export interface GenerateOptions {
  /** Values of these kinds are generated (the random stream is unchanged) but replaced by plain ones. */
  exclude?: ReadonlySet<InputTag>;
}

// ---------------------------------------------------------------------------------------------
// Random numbers: a small seeded PRNG (mulberry32), one stream per (seed, index).

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Rng {
  private state: number;
  constructor(seed: string, index = 0) {
    this.state = (hash32(seed) ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }
  hex(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += "0123456789abcdef"[this.int(0, 15)];
    return out;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(["8", "9", "a", "b"])}${this.hex(3)}-${this.hex(12)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Values. Enum literals are printed bare inline and as their name in variables.

class EnumLiteral {
  constructor(readonly name: string) {}
}
type Value = null | boolean | number | string | EnumLiteral | Value[] | { [key: string]: Value };

function printInline(value: Value): string {
  if (value === null) return "null";
  if (value instanceof EnumLiteral) return value.name;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(printInline).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${key}: ${printInline(item)}`)
    .join(", ")}}`;
}

function toJson(value: Value): unknown {
  if (value instanceof EnumLiteral) return value.name;
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  return value;
}

/** Never matches the leak patterns of `checkAnswer` (answers echo input back). */
const WORDS = ["China", "Russia", "drone", "missile", "Reuters", "officials", "sanctions", "Sanktionen", "Xi", "Scholz", "the", "and", "not", "or", "90%", "2023", "Beijing", "Ukraine"];
const UNICODE = [
  "🦀👩‍👩‍👧‍👦🏳️‍🌈",
  "مرحبا بالعالم",
  "שלום עולם",
  "\u202eevil\u202c",
  "e\u0301\u0302\u0303\u0304\u0305\u0306",
  "Z̷̢̛̤͎a̸̧̛͔l̵̨̛g̶̢̛o̴̡̕",
  "中国向俄罗斯提供",
  "Ελληνικά",
  "\ufeffbom",
  "line\u2028sep\u2029",
  "tab\tnew\nline\r",
  "\u0001\u001f\u007f\u0085",
  "\ud83d\ude00",
  "ﬁ ß İ ı",
];
const HOSTILE = [
  "'; DROP TABLE article; --",
  "' OR '1'='1",
  '"; --',
  "\\",
  "%_%",
  "$1",
  "<script>alert(1)</script>",
  "<mark>x</mark>",
  "${7*7}{{7*7}}",
  "%s%n%x",
  "../../etc/passwd",
  "null",
  "undefined",
  "NaN",
  "1e308",
  "-1",
  " ",
  "",
];
const SEARCH_SYNTAX = ['"unterminated', "-", "- - -", "or or or", "!!!", ":*", "&|!()", "a:*b", "'", '""', "-China -Russia", '"China Russia" or drone', "*", "<->", "\\"];

class Gen {
  readonly tags = new Set<InputTag>();
  readonly variableDefinitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  aliasCount = 0;
  constructor(
    readonly rng: Rng,
    readonly schema: GraphQLSchema,
    readonly pools: FuzzPools,
    readonly useVariables: boolean,
    private readonly exclude: ReadonlySet<InputTag>,
  ) {}

  /** Records a tag; true when values of that kind must be replaced by plain ones. */
  mark(tag: InputTag): boolean {
    if (this.exclude.has(tag)) return true;
    this.tags.add(tag);
    return false;
  }

  plainWords(min = 1, max = 4): string {
    const count = this.rng.int(min, max);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(this.rng.pick(WORDS));
    return words.join(" ");
  }

  text(): string {
    const rng = this.rng;
    const roll = rng.next();
    if (roll < 0.35) return this.plainWords();
    if (roll < 0.5) return rng.pick(UNICODE) + (rng.chance(0.5) ? ` ${this.plainWords()}` : "");
    if (roll < 0.62) return rng.pick(HOSTILE);
    if (roll < 0.7) {
      const value = `${this.plainWords()}\u0000${rng.chance(0.5) ? this.plainWords() : ""}`;
      return this.mark("nul") ? this.plainWords() : value;
    }
    if (roll < 0.78) {
      const value = `${this.plainWords()}${rng.pick(["\ud800", "\udfff", "\udc00\ud800", "\ud83d"])}${rng.chance(0.5) ? "x" : ""}`;
      return this.mark("lone-surrogate") ? this.plainWords() : value;
    }
    if (roll < 0.83) {
      const chunk = rng.pick(["a", "word ", "🦀", "é", "x\u0301", "-"]);
      const length = rng.chance(0.7) ? rng.int(256, 5000) : rng.int(5000, 100_000);
      // Cut on a code point: a half surrogate pair would be a lone surrogate, tagged as such elsewhere.
      const value = chunk.repeat(Math.ceil(length / chunk.length)).slice(0, length).replace(/[\uD800-\uDBFF]$/, "");
      return this.mark("huge-string") ? this.plainWords() : value;
    }
    if (roll < 0.9) return rng.pick(SEARCH_SYNTAX);
    return `${this.plainWords()} ${rng.int(-1000, 1_000_000)}`;
  }

  /** A value of the right shape for an argument or input field, by type and name. */
  id(): Value {
    const rng = this.rng;
    const roll = rng.next();
    if (roll < 0.6 && this.pools.ids.length) return rng.pick(this.pools.ids);
    if (roll < 0.75) return rng.uuid();
    if (roll < 0.8 && this.pools.ids.length) return rng.pick(this.pools.ids).toUpperCase();
    if (roll < 0.84) return rng.pick(["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-00000000000g"]);
    if (roll < 0.88) return rng.int(-5, 100_000).toString();
    return this.text();
  }

  cursor(): Value {
    const rng = this.rng;
    const b64 = (json: unknown) => Buffer.from(JSON.stringify(json)).toString(rng.chance(0.8) ? "base64url" : "base64");
    const realId = () => (this.pools.ids.length ? rng.pick(this.pools.ids) : rng.uuid());
    const roll = rng.next();
    if (roll < 0.25) {
      // Well-formed cursors (createdAt or sequence keys): they reach the keyset queries.
      return rng.chance(0.6)
        ? b64([new Date(Date.UTC(rng.int(2020, 2030), rng.int(0, 11), rng.int(1, 28))).toISOString(), realId()])
        : b64([rng.int(0, 5000), realId()]);
    }
    const garbage = [
      () => b64([rng.pick(["0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "9999-12-31T23:59:59Z", "1e308"]), realId()]),
      () => b64([rng.pick([1e308, -1, -1e308, 2 ** 53, 2 ** 63, 0.5, 2147483648]), realId()]),
      () => b64(rng.pick([{}, [], [null, null], ["x", "not-a-uuid"], [1, 2, 3], "string", 42, { a: [{ b: {} }] }, [[[[[]]]]]])),
      () => b64([new Date(0).toISOString(), rng.uuid().replace(/-/g, "")]),
      () => rng.pick(["1e308", "-1", "0", "", "====", "%%%", "null", "W10", "eyJ", "\u0000", "🦀"]),
      () => Buffer.from(rng.hex(rng.int(1, 64))).toString("base64"),
      () => this.text(),
    ];
    const value = rng.pick(garbage)();
    return this.mark("bad-cursor") ? b64([new Date(Date.UTC(2024, 0, 1)).toISOString(), realId()]) : value;
  }

  dateTime(): Value {
    const rng = this.rng;
    if (rng.chance(0.6)) return new Date(Date.UTC(rng.int(1990, 2035), rng.int(0, 11), rng.int(1, 28), rng.int(0, 23), rng.int(0, 59))).toISOString();
    const value = rng.pick<Value>([
      "0000-01-01T00:00:00Z",
      "0001-01-01T00:00:00Z",
      "-000001-01-01T00:00:00Z",
      "+275760-09-13T00:00:00Z",
      "9999-12-31T23:59:59.999Z",
      "4714-11-24T00:00:00Z",
      "1000-01-01T00:00:00+14:00",
      "2024-02-30T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-04-13",
      "2024-04-13T25:61:61Z",
      "2024-04-13T00:00:00.123456789Z",
      "now",
      "",
      0,
      8.64e15,
      -62198755200000,
    ]);
    return this.mark("date-out-of-range") ? "2024-04-13T00:00:00Z" : value;
  }

  int(name: string): Value {
    const rng = this.rng;
    if (name === "expectedVersion" && rng.chance(0.7)) return rng.int(1, 4);
    if (name === "first" && rng.chance(0.7)) return rng.pick([0, 1, 2, 5, 20, 100]);
    if (rng.chance(0.8)) return rng.pick([0, 1, -1, 2, 3, 5, 10, 20, 99, 100, 101, 1000, 2147483647, -2147483648, rng.int(-100, 5000)]);
    return rng.int(-2147483648, 2147483647);
  }

  scalar(type: GraphQLScalarType, name: string): Value {
    const rng = this.rng;
    switch (type.name) {
      case "ID":
      case "UUID":
        return this.id();
      case "Int":
        return this.int(name);
      case "Float":
        return rng.pick([0, -0, 1.5, 90, 12.25, -3.5, 1e308, -1e308, 5e-324, 123456789.123, rng.int(-1000, 1000) / 7]);
      case "Boolean":
        return rng.chance(0.5);
      case "DateTime":
        return this.dateTime();
      case "JSON":
        return this.text();
      default:
        break;
    }
    if (name === "after") return this.cursor();
    if (name === "email" && rng.chance(0.6)) return rng.pick(["admin@claimdesk.local", "editor@claimdesk.local", `fuzz${rng.int(0, 1e6)}@example.org`, "no-at-sign", "a@b", " Admin@Claimdesk.Local "]);
    if (name === "url" && rng.chance(0.6)) return rng.pick(["https://www.dw.com/en/x", "http://localhost", "javascript:alert(1)", "ftp://x.org", "https://", `https://example.org/${this.plainWords(1, 1)}`]);
    if (name === "password" && rng.chance(0.5)) return rng.pick(["local-admin-password", "a long enough password", "short"]);
    if (name === "slug" && rng.chance(0.5) && this.pools.slugs?.length) return rng.pick(this.pools.slugs);
    if ((name === "statement" || name === "title" || name === "name" || name === "text") && rng.chance(0.4)) return this.plainWords(2, 8);
    return this.text();
  }

  enumValue(type: GraphQLEnumType): Value {
    return new EnumLiteral(this.rng.pick(type.getValues()).name);
  }

  /** A value of the wrong type (or a null for a non-null), for `type`. */
  wrong(type: GraphQLInputType): Value {
    const rng = this.rng;
    const named = getNamedType(type);
    const options: Array<() => Value> = [
      () => null,
      () => this.plainWords(1, 2),
      () => rng.pick([1, -7, 3.75, 2147483648, -2147483649, 1e308, 9007199254740993]),
      () => rng.chance(0.5),
      () => new EnumLiteral(rng.pick(["NOPE", "draft", "PUBLISHED", "ADMIN", "FACTUAL"])),
      () => ({ id: this.id(), bogus: this.plainWords(1, 1) }),
      () => [this.plainWords(1, 1), rng.int(0, 5)],
    ];
    let value = rng.pick(options)();
    // Strings are valid IDs and enum literals may be valid: make sure it is wrong for scalars and enums.
    if (named instanceof GraphQLEnumType && value instanceof EnumLiteral && named.getValue(value.name)) value = new EnumLiteral("NOPE");
    return value;
  }

  /** A value for an input type: right type most of the time. */
  input(type: GraphQLInputType, name: string, depth = 0): Value {
    const rng = this.rng;
    if (rng.chance(0.06)) {
      this.mark("wrong-type");
      return this.wrong(type);
    }
    if (isNonNullType(type)) return this.input(type.ofType, name, depth);
    if (rng.chance(0.04)) return null;
    if (isListType(type)) {
      const itemType = type.ofType;
      if (rng.chance(0.1)) return this.input(itemType, name, depth + 1); // a single value for a list: coerced
      const length = rng.chance(0.04) ? rng.int(20, this.useVariables ? 500 : 60) : rng.int(0, 4);
      const items: Value[] = [];
      for (let i = 0; i < length; i++) items.push(this.input(itemType, name, depth + 1));
      return items;
    }
    if (type instanceof GraphQLScalarType) return this.scalar(type, name);
    if (type instanceof GraphQLEnumType) return this.enumValue(type);
    if (type instanceof GraphQLInputObjectType) {
      const object: Record<string, Value> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (required ? rng.chance(0.04) && !this.mark("missing-required") : !rng.chance(0.5)) continue;
        object[field.name] = depth > 4 ? null : this.input(field.type, field.name, depth + 1);
      }
      if (rng.chance(0.03)) {
        this.mark("wrong-type");
        object.unknownField = this.plainWords(1, 1);
      }
      return object;
    }
    return null;
  }

  /** The argument list of a field, inline or as variables. */
  args(args: readonly GraphQLArgument[]): string {
    const rng = this.rng;
    const printed: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (required ? rng.chance(0.04) && !this.mark("missing-required") : !rng.chance(0.55)) continue;
      const value = this.input(arg.type, arg.name);
      if (this.useVariables && rng.chance(0.85)) {
        const variable = `v${this.variableDefinitions.length}`;
        let declared = String(arg.type);
        if (rng.chance(0.04)) {
          this.mark("wrong-type");
          declared = rng.pick(["String", "Int!", "ID", "[String]", "Boolean!", "DateTime", "NoSuchType"]);
        }
        this.variableDefinitions.push(`$${variable}: ${declared}`);
        if (rng.chance(0.03)) {
          this.mark("missing-required"); // declared, not sent
        } else {
          this.variables[variable] = toJson(value);
        }
        printed.push(`${arg.name}: $${variable}`);
      } else {
        printed.push(`${arg.name}: ${printInline(value)}`);
      }
    }
    if (rng.chance(0.02)) {
      this.mark("wrong-type");
      printed.push(`noSuchArgument: ${printInline(this.plainWords(1, 1))}`);
    }
    return printed.length ? `(${printed.join(", ")})` : "";
  }

  /**
   * A selection set for `type`. `fanOut` estimates how many objects this level answers with: list
   * fields multiply it, and past a bound only single-object and leaf fields are chosen, so that a
   * random query stays cheap to answer.
   */
  selection(type: GraphQLOutputType, depth: number, maxDepth: number, fanOut: number): string {
    const rng = this.rng;
    const named = getNamedType(type);
    if (isLeafType(named)) return "";
    if (named instanceof GraphQLUnionType) {
      const members = named.getTypes();
      const parts = ["__typename"];
      for (const member of members) {
        if (rng.chance(0.6)) parts.push(`... on ${member.name} ${this.selection(member, depth, maxDepth, fanOut)}`);
      }
      return `{ ${parts.join(" ")} }`;
    }
    const object = named as GraphQLObjectType;
    const fields = Object.values(object.getFields());
    const leaves = fields.filter((field) => isLeafType(getNamedType(field.type)));
    const count = rng.int(1, Math.min(4, fields.length));
    const parts: string[] = [];
    for (let i = 0; i < count; i++) {
      let field = rng.pick(fields);
      const isList = isListTypeDeep(field.type);
      const factor = isList ? listSize(field) : 1;
      if (!isLeafType(getNamedType(field.type)) && (depth + 1 >= maxDepth || fanOut * factor > 300)) field = rng.pick(leaves.length ? leaves : fields);
      parts.push(this.field(field, depth + 1, maxDepth, fanOut * (isListTypeDeep(field.type) ? listSize(field) : 1)));
    }
    if (rng.chance(0.1)) parts.push("__typename");
    if (rng.chance(0.05)) parts.push(`... on ${object.name} { ${rng.pick(leaves.length ? leaves : fields).name} }`);
    return `{ ${parts.join(" ")} }`;
  }

  field(field: GraphQLField<unknown, unknown>, depth: number, maxDepth: number, fanOut: number): string {
    const rng = this.rng;
    let alias = "";
    if (rng.chance(0.08)) {
      this.aliasCount++;
      alias = `a${this.aliasCount}: `;
    }
    const directive = rng.chance(0.04) ? ` @${rng.pick(["include", "skip"])}(if: ${rng.chance(0.5)})` : "";
    const sub = isLeafType(getNamedType(field.type)) ? "" : ` ${this.selection(field.type, depth, maxDepth, fanOut)}`;
    return `${alias}${field.name}${this.args(field.args)}${directive}${sub}`;
  }
}

function isListTypeDeep(type: GraphQLOutputType): boolean {
  return isListType(type) || (isNonNullType(type) && isListType(type.ofType));
}

function listSize(field: GraphQLField<unknown, unknown>): number {
  return field.name === "edges" ? 20 : 10;
}

/** Object fields that return one object: chained, they make a deep query that costs little. */
function singleObjectFields(type: GraphQLObjectType): Array<GraphQLField<unknown, unknown>> {
  return Object.values(type.getFields()).filter((field) => {
    const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
    return inner instanceof GraphQLObjectType && field.args.length === 0;
  });
}

/** Queries beyond the limits (depth, aliases, tokens, directives): refusals are expected there. */
function overLimits(gen: Gen): { root: string; body: string } {
  const rng = gen.rng;
  gen.mark("over-limits");
  const id = () => printInline(gen.id());
  switch (rng.int(0, 3)) {
    case 0: {
      // Depth 10-16 along single-object fields (claim { article { createdBy ... } } or verdict { claim { verdict ...).
      const root = rng.pick(["claim", "attribution"]);
      let type = gen.schema.getType(root === "claim" ? "Claim" : "Attribution") as GraphQLObjectType;
      const depth = rng.int(10, 16);
      const chain: string[] = [];
      // Claim.verdict, Verdict.claim, Attribution.claim and Attribution.via chain on without end.
      const goesOn = (field: GraphQLField<unknown, unknown>) => ["Claim", "Verdict", "Attribution"].includes(getNamedType(field.type).name);
      for (let i = 0; i < depth; i++) {
        const next = singleObjectFields(type).filter(goesOn);
        if (!next.length) break;
        const field = rng.pick(next);
        chain.push(field.name);
        type = getNamedType(field.type) as GraphQLObjectType;
      }
      return { root: `Query.${root}`, body: `${root}(id: ${id()}) { ${chain.map((name) => `${name} { __typename `).join("")}id${" }".repeat(chain.length)} }` };
    }
    case 1: {
      const count = rng.int(31, 60);
      const parts: string[] = [];
      for (let i = 0; i < count; i++) parts.push(rng.chance(0.7) ? `x${i}: __typename` : `x${i}: article(id: ${id()}) { title }`);
      return { root: "Query.ok", body: parts.join(" ") };
    }
    case 2: {
      const kinds = (gen.schema.getType("ClaimKind") as GraphQLEnumType).getValues().map((value) => value.name);
      const items = Array.from({ length: rng.int(2001, 3000) }, () => rng.pick(kinds));
      return { root: "Query.claims", body: `claims(first: 1, filter: { kind: [${items.join(", ")}] }) { totalCount }` };
    }
    default: {
      const count = rng.int(21, 40);
      return { root: "Query.ok", body: `ok${" @include(if: true)".repeat(count)}` };
    }
  }
}

/** Operation `index` of seed `seed`: the same arguments always give the same operation. */
export function generateOperation(schema: GraphQLSchema, seed: string, index: number, pools: FuzzPools, options: GenerateOptions = {}): FuzzOperation {
  const rng = new Rng(seed, index);
  const actorRoll = rng.next();
  const actor: FuzzActor = actorRoll < 0.2 ? null : actorRoll < 0.23 ? "BOGUS_TOKEN" : FUZZ_ROLES[Math.floor(((actorRoll - 0.23) / 0.77) * 4)] ?? "EDITOR";
  const gen = new Gen(rng, schema, pools, rng.chance(0.5), options.exclude ?? new Set());
  const queryType = schema.getQueryType()!;
  const mutationType = schema.getMutationType()!;

  let operationType: "query" | "mutation";
  let root: string;
  let body: string;
  if (rng.chance(0.05)) {
    operationType = "query";
    ({ root, body } = overLimits(gen));
  } else {
    const isMutation = rng.chance(0.4);
    operationType = isMutation ? "mutation" : "query";
    const rootType = isMutation ? mutationType : queryType;
    const fields = Object.values(rootType.getFields());
    const count = rng.chance(0.85) ? 1 : rng.int(2, 3);
    const parts: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const field = rng.pick(fields);
      names.push(field.name);
      // Same field twice needs distinct response names, unless the arguments happen to match.
      const alias = count > 1 ? `r${i}: ` : "";
      parts.push(alias + gen.field(field, 1, rng.chance(0.9) ? rng.int(2, 6) : 8, 1));
    }
    root = `${rootType.name}.${names.join("+")}`;
    body = parts.join(" ");
  }
  const name = rng.chance(0.5) ? ` Fuzz${index}` : "";
  const header = gen.variableDefinitions.length ? `${operationType}${name}(${gen.variableDefinitions.join(", ")})` : `${operationType}${name}`;
  const query = `${header} { ${body} }`;
  const hasVariables = Object.keys(gen.variables).length > 0;
  return { seed, index, actor, root, query, ...(hasVariables ? { variables: gen.variables } : {}), tags: [...gen.tags].sort() };
}

// ---------------------------------------------------------------------------------------------
// Judging answers.

/** The vocabulary (but INTERNAL_SERVER_ERROR) and the codes graphql-js and Apollo attach to request errors. */
const KNOWN_CODES: ReadonlySet<string> = new Set([...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR), ...APOLLO_REQUEST_CODES]);

/** Text that must never reach a client. */
const LEAK_PATTERNS: RegExp[] = [
  /at .*\.(ts|js):\d+/,
  /prisma/i,
  /SELECT |INSERT |UPDATE |DELETE FROM /,
  /\/work\//,
  /node_modules/,
  /\bstacktrace\b/i,
  /invalid `.*` invocation/i,
  /\bP\d{4}\b/,
  /\brelation ".*"/,
  /\bduplicate key\b|violates .* constraint/i,
  /\bECONNREFUSED\b|\bpg_/,
];

type FindingKind = "http-5xx" | "internal-error" | "unknown-code" | "no-code" | "leak" | "not-json" | "transport";

export interface Finding {
  kind: FindingKind;
  /** What is wrong, stable across operations of the same class (no ids). */
  detail: string;
  status: number;
  operation: FuzzOperation;
  /** The start of the answer. */
  excerpt: string;
}

interface ErrorShape {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown };
}

/** Everything wrong with one answer (empty when it is fine). */
export function checkAnswer(operation: FuzzOperation, status: number, body: string): Finding[] {
  const findings: Finding[] = [];
  const excerpt = body.slice(0, 400);
  const add = (kind: FindingKind, detail: string) => findings.push({ kind, detail, status, operation, excerpt });
  if (status >= 500) add("http-5xx", `HTTP ${status}`);
  for (const pattern of LEAK_PATTERNS) if (pattern.test(body)) add("leak", `answer matches ${pattern}`);
  let json: { errors?: ErrorShape[] } | null;
  try {
    // null too: the body "null" is JSON.
    json = JSON.parse(body) as { errors?: ErrorShape[] } | null;
  } catch {
    if (status < 400 || status >= 500) add("not-json", `HTTP ${status} with a non-JSON body`);
    return findings;
  }
  // Fastify's own refusals (413 body too large, 415...) are JSON but not GraphQL answers.
  if (status >= 400 && status < 500 && json && !("errors" in json) && !("data" in json)) return findings;
  for (const error of json?.errors ?? []) {
    const code = error.extensions?.code;
    const path = Array.isArray(error.path) ? error.path.filter((part) => typeof part === "string").join(".") : "";
    if (code === ErrorCode.INTERNAL_SERVER_ERROR) add("internal-error", `INTERNAL_SERVER_ERROR at ${operation.root.split(".")[0]}.${path || "?"}`);
    else if (typeof code !== "string") add("no-code", `error without a code: ${String(error.message).slice(0, 80)}`);
    else if (!KNOWN_CODES.has(code)) add("unknown-code", `unknown code ${code}`);
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Running.

export interface Credentials {
  /** A valid bearer token for the role. */
  token(role: FuzzRole): Promise<string>;
  /** Called when a role's token was refused (the fuzzer signed itself out): make a new one. */
  renew(role: FuzzRole): Promise<void>;
}

export interface FuzzSummary {
  seed: string;
  count: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  byRoot: Record<string, number>;
  /** Operations whose answer had no error at all. */
  clean: number;
  findings: Finding[];
  renewedTokens: number;
  elapsedMs: number;
}

export interface RunOptions {
  url: string;
  schema: GraphQLSchema;
  seed: string;
  count: number;
  pools: FuzzPools;
  credentials: Credentials;
  concurrency?: number;
  /** Called every `every` operations (e.g. to drop logged SQL or print progress). */
  progress?: { every: number; call: (done: number) => void };
}

export async function send(url: string, operation: FuzzOperation, credentials: Credentials): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (operation.actor === "BOGUS_TOKEN") headers.authorization = `Bearer cdk_${"B".repeat(43)}`;
  else if (operation.actor) headers.authorization = `Bearer ${await credentials.token(operation.actor)}`;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query: operation.query, ...(operation.variables ? { variables: operation.variables } : {}) }),
  });
  return { status: response.status, body: await response.text() };
}

export async function runFuzz(options: RunOptions): Promise<FuzzSummary> {
  const started = Date.now();
  const summary: FuzzSummary = { seed: options.seed, count: options.count, byStatus: {}, byCode: {}, byRoot: {}, clean: 0, findings: [], renewedTokens: 0, elapsedMs: 0 };
  const bump = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.count) {
      const operation = generateOperation(options.schema, options.seed, next++, options.pools);
      let answer: { status: number; body: string };
      try {
        answer = await send(options.url, operation, options.credentials);
        // A role refused: it signed itself out (signOut) or an admin deactivated it. Renew and resend once.
        if (answer.status === 401 && operation.actor && operation.actor !== "BOGUS_TOKEN") {
          summary.renewedTokens++;
          await options.credentials.renew(operation.actor);
          answer = await send(options.url, operation, options.credentials);
        }
      } catch (error) {
        summary.findings.push({ kind: "transport", detail: String(error), status: 0, operation, excerpt: "" });
        continue;
      }
      bump(summary.byStatus, String(answer.status));
      bump(summary.byRoot, operation.root);
      try {
        const errors = (JSON.parse(answer.body) as { errors?: ErrorShape[] }).errors ?? [];
        if (!errors.length) summary.clean++;
        for (const code of new Set(errors.map((error) => String(error.extensions?.code)))) bump(summary.byCode, code);
      } catch {
        bump(summary.byCode, "(not JSON)");
      }
      summary.findings.push(...checkAnswer(operation, answer.status, answer.body));
      done++;
      if (options.progress && done % options.progress.every === 0) options.progress.call(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** Findings grouped by kind and detail, each with its smallest operation (the best reproduction). */
export function groupFindings(findings: Finding[]): Array<{ key: string; count: number; smallest: Finding }> {
  const groups = new Map<string, { key: string; count: number; smallest: Finding }>();
  const size = (finding: Finding) => finding.operation.query.length + JSON.stringify(finding.operation.variables ?? {}).length;
  for (const finding of findings) {
    const key = `${finding.kind}: ${finding.detail}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { key, count: 1, smallest: finding });
    else {
      group.count++;
      if (size(finding) < size(group.smallest)) group.smallest = finding;
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** A reproduction anyone can paste: the request as curl would send it. */
export function describeOperation(operation: FuzzOperation, maxChars = 600): string {
  const body = JSON.stringify({ query: operation.query, ...(operation.variables ? { variables: operation.variables } : {}) });
  const shown = body.length > maxChars ? `${body.slice(0, maxChars)}... (${body.length} chars)` : body;
  return `#${operation.index} seed=${operation.seed} as ${operation.actor ?? "anonymous"} tags=[${operation.tags.join(",")}]\n  ${shown}`;
}


/** Runs a full garbage collection (also without --expose-gc), so that RSS readings compare live memory. */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Process memory in MB: RSS and the JS heap in use. */
export function memoryMb(): { rss: number; heapUsed: number } {
  const { rss, heapUsed } = process.memoryUsage();
  return { rss: Math.round(rss / 1048576), heapUsed: Math.round(heapUsed / 1048576) };
}

/**
 * What the query limits look at (QUERY_MAX_DEPTH, _ALIASES, _TOKENS, _DIRECTIVES), measured on one
 * query: field depth (inline fragments do not add a level), aliased fields, lexer tokens, directives.
 */
export function measureQuery(query: string): { depth: number; aliases: number; tokens: number; directives: number } {
  let tokens = 0;
  const lexer = new Lexer(new Source(query));
  while (lexer.advance().kind !== TokenKind.EOF) tokens++;
  const document = parse(query);
  let aliases = 0;
  let directives = 0;
  const depthOf = (selectionSet: SelectionSetNode | undefined): number => {
    let deepest = 0;
    for (const selection of selectionSet?.selections ?? []) {
      directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet));
      }
    }
    return deepest;
  };
  let depth = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, depthOf(definition.selectionSet));
  }
  return { depth, aliases, tokens, directives };
}
