import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";

/**
 * The one error vocabulary of claimdesk. Every error a client can see is built here, and carries
 * a stable `extensions.code`. Anything else is an internal error and is masked by `formatError`.
 */
export const ErrorCode = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  INVALID_TRANSITION: "INVALID_TRANSITION",
  PUBLISH_BLOCKED: "PUBLISH_BLOCKED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class ClaimdeskError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export function badInput(problems: FieldProblem[]): ClaimdeskError;
export function badInput(field: string, message: string): ClaimdeskError;
export function badInput(fieldOrProblems: string | FieldProblem[], message?: string): ClaimdeskError {
  const problems = typeof fieldOrProblems === "string" ? [{ field: fieldOrProblems, message: message ?? "is invalid" }] : fieldOrProblems;
  const text = problems.map((p) => `${p.field}: ${p.message}`).join("; ");
  return new ClaimdeskError(ErrorCode.BAD_USER_INPUT, `Invalid input. ${text}`, {
    field: problems[0]?.field,
    fields: problems,
  });
}

/** "may not exist": the same answer whether the item is missing or hidden from this viewer. */
export function notFound(entity: string, id: string, field?: string): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.NOT_FOUND, `${entity} ${id} not found${field ? ` (${field})` : ""}`, { entity, id, ...(field ? { field } : {}) });
}

export function conflict(message: string, extensions: Record<string, unknown> = {}): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.CONFLICT, message, extensions);
}

export function versionConflict(entity: string, id: string, currentVersion: number, expectedVersion: number): ClaimdeskError {
  return conflict(
    `${entity} ${id} was changed by someone else: you edited version ${expectedVersion}, the current version is ${currentVersion}. Reload and apply your change again.`,
    { entity, id, currentVersion, expectedVersion },
  );
}

export function unauthenticated(message = "Sign in first"): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.UNAUTHENTICATED, message);
}

export function forbidden(message = "You are not allowed to do this"): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.FORBIDDEN, message);
}

export function invalidTransition(entity: string, from: string, action: string): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.INVALID_TRANSITION, `Cannot ${action} a ${entity} that is ${from}`, { from, action });
}

/** Error codes that graphql-js / Apollo themselves attach to request errors and that are safe to show. */
export const APOLLO_REQUEST_CODES: ReadonlySet<string> = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

/**
 * graphql-js stops coercing variables after 50 errors with this error, which has no code: like the
 * 50 before it (BAD_USER_INPUT), it is about the client's input.
 */
const TOO_MANY_VARIABLE_ERRORS = "Too many errors processing variables, error limit reached. Execution aborted.";

export type ErrorLogger = (error: unknown) => void;

/**
 * Apollo `formatError`: errors from the vocabulary and Apollo's own request errors pass through
 * (without stack traces); anything else (Prisma, pg, a bug) becomes a generic internal error and is
 * handed to the logger instead.
 */
export function makeFormatError(log: ErrorLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    const isKnown =
      original instanceof ClaimdeskError ||
      (original instanceof GraphQLError && typeof code === "string" && APOLLO_REQUEST_CODES.has(code));
    if (isKnown) {
      return { ...formatted, extensions };
    }
    if (original instanceof GraphQLError && original.message === TOO_MANY_VARIABLE_ERRORS && !original.path) {
      return { ...formatted, extensions: { ...extensions, code: ErrorCode.BAD_USER_INPUT } };
    }
    log(original);
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
