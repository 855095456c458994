import path from "node:path";
import { z } from "zod";

/**
 * Every setting claimdesk reads from the environment, parsed once, before anything starts, by one
 * schema. Documented in docs/operations.md (README "Running in production") and .env.example.
 * A bad value is one clear message and exit code 1 (see `loadConfigOrExit`).
 */

const TRUE = new Set(["true", "on", "1", "yes"]);
const FALSE = new Set(["false", "off", "0", "no"]);

/** One boolean grammar everywhere: true/false, on/off, 1/0, yes/no (any case). */
function flag(fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return fallback;
      const value = raw.trim().toLowerCase();
      if (TRUE.has(value)) return true;
      if (FALSE.has(value)) return false;
      ctx.addIssue({ code: "custom", message: `must be one of true/false, on/off, 1/0, yes/no; got "${raw}"` });
      return z.NEVER;
    });
}

function integer(fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `must be an integer from ${min} to ${max}; got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });
}

function optionalText() {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === "" ? undefined : raw.trim()));
}

function list() {
  return z
    .string()
    .optional()
    .transform((raw) =>
      raw === undefined
        ? undefined
        : raw
            .split(",")
            .map((item) => item.trim())
            .filter(Boolean),
    );
}

/** An absolute http(s) URL (no credentials), or unset. */
function optionalHttpUrl() {
  return optionalText().refine((raw) => raw === undefined || isHttpUrl(raw), "must be an absolute http(s) URL");
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

/** The placeholders CLAIMREVIEW_URL_TEMPLATE may use. */
const CLAIMREVIEW_PLACEHOLDERS = ["{articleSlug}", "{articleId}", "{claimId}"];

function databaseUrl() {
  return optionalText().refine(
    (raw) => raw === undefined || /^postgres(ql)?:\/\//.test(raw),
    "must be a postgresql:// URL",
  );
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const environmentSchema = z.object({
  NODE_ENV: optionalText(),
  DATABASE_URL: databaseUrl(),
  PORT: integer(4000, { max: 65535 }),
  HOST: optionalText(),
  EMBEDDED_PG_DIR: optionalText(),
  EMBEDDED_PG_PORT: integer(54329, { min: 1, max: 65535 }),
  MIGRATE_ON_START: flag(true),
  SEED_WHEN_EMPTY: optionalText(),
  BODY_LIMIT_BYTES: integer(1_048_576, { min: 1 }),
  DATABASE_POOL_SIZE: integer(10, { min: 1, max: 1000 }),
  DATABASE_CONNECT_TIMEOUT_MS: integer(5_000, { min: 100 }),
  STATEMENT_TIMEOUT_MS: integer(5_000, { min: 100 }),
  REQUEST_TIMEOUT_MS: integer(10_000, { min: 100 }),
  STARTUP_TIMEOUT_MS: integer(25_000, { min: 1000 }),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === "" ? "info" : raw.trim().toLowerCase()))
    .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` })),
  PUBLISHED_CACHE: flag(true),
  PUBLISHED_CACHE_MAX_MB: integer(16, { min: 0, max: 4096 }),
  PUBLISHED_CACHE_MAX_ENTRIES: integer(10_000, { min: 0 }),
  CORS_ORIGINS: list(),
  TRUST_PROXY: optionalText(),
  INTROSPECTION: optionalText(),
  PLAYGROUND: optionalText(),
  FIELD_SUGGESTIONS: optionalText(),
  APQ: optionalText(),
  BATCH_MAX: integer(0, { max: 100 }),
  RATE_LIMIT_MAX: integer(600, { min: 1 }),
  RATE_LIMIT_WINDOW_MS: integer(60_000, { min: 1000 }),
  SIGN_IN_MAX_FAILURES: integer(5, { min: 1 }),
  SIGN_IN_LOCKOUT_MS: integer(15 * 60_000, { min: 1000 }),
  REDIS_URL: optionalText().refine((raw) => raw === undefined || /^rediss?:\/\//.test(raw), "must be a redis:// URL"),
  QUERY_MAX_DEPTH: integer(8, { min: 1 }),
  QUERY_MAX_ALIASES: integer(30, { min: 0 }),
  QUERY_MAX_TOKENS: integer(2_000, { min: 10 }),
  QUERY_MAX_DIRECTIVES: integer(20, { min: 0 }),
  QUERY_MAX_COST: integer(500_000, { min: 1 }),
  GRAPHQL_JIT: flag(true),
  CLAIMREVIEW_PUBLISHER_NAME: optionalText().refine((raw) => raw === undefined || raw.length <= 300, "must be at most 300 characters"),
  CLAIMREVIEW_PUBLISHER_URL: optionalHttpUrl(),
  CLAIMREVIEW_URL_TEMPLATE: optionalText().refine(
    (raw) => raw === undefined || isHttpUrl(CLAIMREVIEW_PLACEHOLDERS.reduce((url, placeholder) => url.replaceAll(placeholder, "x"), raw)),
    `must be an absolute http(s) URL, with any of ${CLAIMREVIEW_PLACEHOLDERS.join(", ")}`,
  ),
});

/** Boolean settings whose default depends on NODE_ENV. */
function flagFor(name: string, raw: string | undefined, fallback: boolean): boolean {
  const parsed = flag(fallback).safeParse(raw);
  if (!parsed.success) throw new ConfigError([`${name} ${parsed.error.issues[0]?.message ?? "is invalid"}`]);
  return parsed.data;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  if (e.CLAIMREVIEW_PUBLISHER_URL !== undefined && e.CLAIMREVIEW_PUBLISHER_NAME === undefined) {
    throw new ConfigError(["CLAIMREVIEW_PUBLISHER_URL needs CLAIMREVIEW_PUBLISHER_NAME (the publishing organisation's name)"]);
  }
  return {
    production,
    /** PostgreSQL to use; when absent, `npm start` runs an embedded PostgreSQL. */
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST ?? "0.0.0.0",
    /** Where the embedded PostgreSQL keeps its data (git-ignored). */
    embeddedDataDir: path.resolve(e.EMBEDDED_PG_DIR ?? path.join(__dirname, "..", ".data", "postgres")),
    embeddedPort: e.EMBEDDED_PG_PORT,
    /** Apply migrations at start; off when they run as a separate release step. */
    migrateOnStart: e.MIGRATE_ON_START,
    /** Load the example story when the database is empty: on in development, off in production. */
    seedWhenEmpty: flagFor("SEED_WHEN_EMPTY", e.SEED_WHEN_EMPTY, !production),
    /** Largest accepted request body, in bytes. */
    bodyLimit: e.BODY_LIMIT_BYTES,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    /** PostgreSQL statement_timeout of the server's pool. */
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    /** Deadline of one GraphQL request. */
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    /** The longest a start may wait for the database before giving up with one clear line. */
    startupTimeoutMs: e.STARTUP_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    /** Serve anonymous reads from a cache invalidated by what each write touched, across instances. */
    publishedCache: e.PUBLISHED_CACHE,
    /** Its budget: bytes of the stored JSON answers (and their tags), and number of answers. */
    publishedCacheLimits: { maxBytes: e.PUBLISHED_CACHE_MAX_MB * 1024 * 1024, maxEntries: e.PUBLISHED_CACHE_MAX_ENTRIES },
    /** Origins allowed by CORS; development allows localhost when unset, production nothing. */
    corsOrigins: e.CORS_ORIGINS ?? [],
    /** Fastify trustProxy: unset (no proxy), true/false, a hop count, or a list of addresses. */
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    introspection: flagFor("INTROSPECTION", e.INTROSPECTION, !production),
    playground: flagFor("PLAYGROUND", e.PLAYGROUND, !production),
    fieldSuggestions: flagFor("FIELD_SUGGESTIONS", e.FIELD_SUGGESTIONS, !production),
    /** Automatic persisted queries: bounded cache in development, off in production unless set. */
    persistedQueries: flagFor("APQ", e.APQ, !production),
    /** Largest batch (array) request; 0 refuses batches. */
    batchMax: e.BATCH_MAX,
    rateLimitMax: e.RATE_LIMIT_MAX,
    rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
    signInMaxFailures: e.SIGN_IN_MAX_FAILURES,
    signInLockoutMs: e.SIGN_IN_LOCKOUT_MS,
    redisUrl: e.REDIS_URL,
    /** Execute with graphql-jit (compiled once per document); off: graphql-js `execute`. */
    graphqlJit: e.GRAPHQL_JIT,
    /**
     * ClaimReview output (docs/claimreview.md): the publishing organisation (`author` of every
     * review; null turns ClaimReview off: production without CLAIMREVIEW_PUBLISHER_NAME), and the
     * fact-check URL used for verdicts that have no reviewUrl (null: such reviews are left out).
     */
    claimReview: {
      publisher:
        e.CLAIMREVIEW_PUBLISHER_NAME !== undefined
          ? { name: e.CLAIMREVIEW_PUBLISHER_NAME, url: e.CLAIMREVIEW_PUBLISHER_URL ?? null }
          : production
            ? null
            : { name: "claimdesk (development)", url: `http://localhost:${e.PORT}/` },
      urlTemplate: e.CLAIMREVIEW_URL_TEMPLATE ?? null,
    },
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxTokens: e.QUERY_MAX_TOKENS,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      maxCost: e.QUERY_MAX_COST,
    },
  };
}

export type Config = ReturnType<typeof parseConfig>;

function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  if (raw === undefined) return false;
  const value = raw.toLowerCase();
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return raw.split(",").map((item) => item.trim()).filter(Boolean);
}

/** The configuration, or one clear message on stderr and exit code 1. */
export function loadConfig(): Config {
  try {
    return parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 60, time: Date.now(), msg: error.message })}\n`);
      process.exit(1);
    }
    throw error;
  }
}
