import { Kind, visit, type ArgumentNode, type DocumentNode } from "graphql";
import { badInput, type ClaimdeskError, type FieldProblem } from "../shared/errors";

// A NUL byte cannot be stored in PostgreSQL text; a lone UTF-16 surrogate is not text at all (it
// would reach the database as U+FFFD). Either one is refused wherever a string comes in.
const NUL = "\u0000";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemWith(text: string): string | undefined {
  if (text.includes(NUL)) return "must not contain NUL characters (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "must not contain unpaired UTF-16 surrogates";
  return undefined;
}

function collect(value: unknown, path: string, problems: FieldProblem[], depth = 0): void {
  if (problems.length >= 10 || depth > 64) return;
  if (typeof value === "string") {
    const message = problemWith(value);
    if (message) problems.push({ field: path, message });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${path}.${index}`, problems, depth + 1));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = problemWith(key);
      if (keyProblem) problems.push({ field: path, message: `keys ${keyProblem}` });
      collect(item, `${path}.${key}`, problems, depth + 1);
    }
  }
}

/**
 * Arguments that take any text by contract and clean it themselves, never storing it:
 * `search(query:)` (see the search service: NUL and lone surrogates are dropped there).
 */
const FREE_TEXT = new Set(["search.query"]);

/**
 * The refusal (BAD_USER_INPUT, HTTP 400) of a request whose variables or literal string arguments
 * hold text the database cannot take, found before any resolver runs.
 */
export function storableInputProblem(document: DocumentNode, variables: Record<string, unknown> | undefined): ClaimdeskError | undefined {
  const problems: FieldProblem[] = [];
  const freeVariables = new Set<string>();
  const checkArguments = (owner: string, args: readonly ArgumentNode[] | undefined) => {
    for (const argument of args ?? []) {
      const name = argument.name.value;
      if (FREE_TEXT.has(`${owner}.${name}`)) {
        if (argument.value.kind === Kind.VARIABLE) freeVariables.add(argument.value.name.value);
        continue;
      }
      visit(argument.value, {
        [Kind.STRING](node) {
          const message = problemWith(node.value);
          if (message) problems.push({ field: name, message });
        },
      });
    }
  };
  visit(document, {
    [Kind.FIELD]: (field) => checkArguments(field.name.value, field.arguments),
    [Kind.DIRECTIVE]: (directive) => checkArguments(`@${directive.name.value}`, directive.arguments),
  });
  const checked = Object.fromEntries(Object.entries(variables ?? {}).filter(([name]) => !freeVariables.has(name)));
  collect(checked, "variables", problems);
  if (problems.length === 0) return undefined;
  const error = badInput(problems.slice(0, 10));
  error.extensions.http = { status: 400 };
  return error;
}
