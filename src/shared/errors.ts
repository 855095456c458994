import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { HeaderMap } from "@apollo/server";
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
  RATE_LIMITED: "RATE_LIMITED",
  /** A request the HTTP layer refuses before GraphQL runs (e.g. a batch when batches are off). */
  BAD_REQUEST: "BAD_REQUEST",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** The document exceeds a query limit (depth, aliases, directives, cost): see docs/api-limits.md. */
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  /** The database is unreachable or too slow, or the request ran past its deadline: HTTP 503, retry later. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
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

/**
 * Too many requests (or sign-in failures): HTTP 429 with a Retry-After header, and the wait in
 * `extensions.retryAfterSeconds` for clients that only read the body.
 */
export function rateLimited(message: string, retryAfterSeconds: number): ClaimdeskError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new ClaimdeskError(ErrorCode.RATE_LIMITED, message, {
    retryAfterSeconds: seconds,
    http: { status: 429, headers: new HeaderMap([["retry-after", String(seconds)]]) },
  });
}

export type UnavailableReason = "DATABASE_UNAVAILABLE" | "DEADLINE_EXCEEDED";

const UNAVAILABLE_MESSAGES: Record<UnavailableReason, string> = {
  DATABASE_UNAVAILABLE: "The service is temporarily unavailable. Try again shortly.",
  DEADLINE_EXCEEDED: "The service is temporarily unavailable: the request did not complete in time. Try again shortly.",
};

export function serviceUnavailable(reason: UnavailableReason): ClaimdeskError {
  return new ClaimdeskError(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGES[reason], { reason });
}

/** Prisma codes for "cannot reach / lost / timed out waiting for the database" (P2028: transaction could not start or expired). */
const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
/** What @prisma/adapter-pg calls the same conditions (DriverAdapterError cause kinds). */
const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** SQLSTATE: connection exceptions (08...), shutdown/cancel (57...), insufficient resources (53...). */
const UNAVAILABLE_SQLSTATE = /^(08|57|53)/;
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
/** pg and pg-pool throw these as plain Errors, which Prisma passes through unwrapped. */
const UNAVAILABLE_MESSAGES_PATTERN =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Can't reach database server|Server has closed the connection|Timed out fetching a new connection|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether an error means "the database cannot answer right now" (down, restarting, connection lost,
 * pool exhausted, statement cancelled by statement_timeout), rather than a bug or bad input.
 * Follows the chain of wrappers (GraphQL originalError, cause, Prisma's driverAdapterError).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 6 || typeof error !== "object" || error === null) return false;
  const e = error as {
    name?: unknown;
    code?: unknown;
    kind?: unknown;
    severity?: unknown;
    message?: unknown;
    errorCode?: unknown;
    cause?: unknown;
    originalError?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (e instanceof ClaimdeskError) return false;
  if (e.name === "PrismaClientInitializationError") return true;
  if (typeof e.code === "string" && (UNAVAILABLE_PRISMA_CODES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code))) return true;
  if (typeof e.errorCode === "string" && UNAVAILABLE_PRISMA_CODES.has(e.errorCode)) return true;
  // pg's own DatabaseError (the read planner queries the pool directly): it carries a severity and the SQLSTATE.
  if (typeof e.severity === "string" && typeof e.code === "string" && UNAVAILABLE_SQLSTATE.test(e.code)) return true;
  if (typeof e.kind === "string") {
    if (UNAVAILABLE_ADAPTER_KINDS.has(e.kind)) return true;
    if (e.kind === "postgres" && typeof e.code === "string" && UNAVAILABLE_SQLSTATE.test(e.code)) return true;
  }
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES_PATTERN.test(e.message)) return true;
  return [e.originalError, e.cause, e.meta?.driverAdapterError].some((inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1));
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
 * (without stack traces); a database that cannot answer becomes SERVICE_UNAVAILABLE (HTTP 503, see
 * src/http/deadline.ts); anything else (Prisma, pg, a bug) becomes a generic internal error. Both
 * are masked and handed to the logger instead.
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
    if (isDatabaseUnavailable(error)) {
      return { message: UNAVAILABLE_MESSAGES.DATABASE_UNAVAILABLE, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, reason: "DATABASE_UNAVAILABLE" } };
    }
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
