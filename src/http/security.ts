import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import helmet, { type HelmetOptions } from "helmet";
import { Redis } from "ioredis";
import type { Config } from "../config";
import { ClaimdeskError, ErrorCode } from "../shared/errors";
import { MemoryAttemptStore, RedisAttemptStore, SignInThrottle } from "../modules/user/user.throttle";

/** What the rest of the server needs from the security layer. */
export interface HttpSecurity {
  signInThrottle: SignInThrottle;
}

/** Probes answer load balancers and monitoring, which poll often: never rate-limited. */
const UNLIMITED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/** Origins of a developer's machine, any port: allowed in development when CORS_ORIGINS is unset. */
const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/**
 * CORS, security headers, rate limits, batch and body-size refusals of the HTTP server. Must be
 * registered before any route: CORS, helmet and the rate limiter attach to routes as they are added.
 * Every refusal of /graphql is GraphQL-shaped: `{"errors":[{"message", "extensions":{"code"}}]}`.
 */
export async function registerHttpSecurity(app: FastifyInstance, config: Config): Promise<HttpSecurity> {
  const redis = config.redisUrl ? await connectRedis(app, config.redisUrl) : undefined;

  // Credentials (cookies) are not allowed cross-origin: claimdesk has no cookies, clients send
  // `Authorization: Bearer <token>`, which a page can only send after a preflight this allow-list
  // approves. Without `credentials`, a browser never attaches ambient credentials to these requests.
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && isAllowedOrigin(origin, config)),
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name"],
    credentials: false,
    maxAge: 600,
  });

  // The JSON API needs no content at all: the strictest policy. The playground page gets its own.
  const headers = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: "deny" },
  });
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(headers);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.routeOptions.url === "/playground" && typeof payload === "string") {
      reply.header("content-security-policy", playgroundPolicy(payload));
    }
    return payload;
  });

  await app.register(rateLimit, {
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowMs,
    allowList: (request) => UNLIMITED_PATHS.has(request.routeOptions.url ?? request.url),
    ...(redis ? { redis, nameSpace: "claimdesk:rate-limit:" } : {}),
    // A Redis outage must not take the API down with it: requests go through unlimited (and the
    // client's error is logged by the 'error' handler below) until Redis is back.
    skipOnError: true,
    errorResponseBuilder: (_request, context) => new RateLimitExceeded(Math.max(1, Math.ceil(context.ttl / 1000))),
  });

  app.addHook("preHandler", async (request, reply) => {
    if (request.routeOptions.url !== "/graphql" || !Array.isArray(request.body)) return;
    const size = request.body.length;
    if (config.batchMax === 0) {
      return refuse(reply, 400, new ClaimdeskError(ErrorCode.BAD_REQUEST, "Batched requests are not accepted: send one operation per request"));
    }
    if (size > config.batchMax) {
      return refuse(reply, 400, new ClaimdeskError(ErrorCode.BAD_REQUEST, `A batch may hold at most ${config.batchMax} operations; this one has ${size}`, { batchMax: config.batchMax }));
    }
  });

  app.setErrorHandler(async (error: Error & { code?: string; statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof RateLimitExceeded) {
      reply.header("retry-after", String(error.retryAfterSeconds));
      return refuse(reply, 429, new ClaimdeskError(ErrorCode.RATE_LIMITED, "Too many requests: slow down and retry later", { retryAfterSeconds: error.retryAfterSeconds }));
    }
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      request.log.info({ limit: config.bodyLimit }, "request body over the limit");
      return refuse(reply, 413, new ClaimdeskError(ErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than the limit of ${config.bodyLimit} bytes`, { limitBytes: config.bodyLimit }));
    }
    // Anything else: Fastify's own handling (logging, status code, JSON body).
    throw error;
  });

  const store = redis ? new RedisAttemptStore(redis) : new MemoryAttemptStore();
  return { signInThrottle: new SignInThrottle(store, config.signInMaxFailures, config.signInLockoutMs) };
}

/**
 * Fastify's `trustProxy` from TRUST_PROXY: a hop count becomes "trust the N nearest hops" (Fastify's
 * types do not take a number), so that `request.ip` is the client behind that many proxies.
 */
export function trustProxyOption(setting: Config["trustProxy"]): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === "number" ? (_address, hop) => hop < setting : setting;
}

function isAllowedOrigin(origin: string, config: Config): boolean {
  if (config.corsOrigins.length > 0) return config.corsOrigins.includes(origin);
  return !config.production && LOCAL_ORIGIN.test(origin);
}

class RateLimitExceeded extends Error {
  readonly statusCode = 429;
  constructor(readonly retryAfterSeconds: number) {
    super("rate limit exceeded");
  }
}

function refuse(reply: FastifyReply, status: number, error: ClaimdeskError) {
  return reply.code(status).type("application/json; charset=utf-8").send({ errors: [{ message: error.message, extensions: error.extensions }] });
}

/**
 * The playground page runs one inline script and one inline style of its own: the script is allowed
 * by its hash (no 'unsafe-inline' for scripts); styles allow 'unsafe-inline' because GraphiQL and
 * CodeMirror set style attributes at run time. Everything else comes from this server ('self'),
 * fonts and icons are data: URIs inside graphiql.css.
 */
function playgroundPolicy(html: string): string {
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => `'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${scripts.join(" ")}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * One Redis connection per server for rate limits and sign-in attempts. While Redis is unreachable,
 * commands fail at once (no offline queue) instead of making every request wait; the connection
 * keeps reconnecting in the background.
 */
async function connectRedis(app: FastifyInstance, url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  let reported = false;
  redis.on("error", (error: Error) => {
    if (!reported) app.log.warn({ err: { message: error.message } }, "Redis unavailable: rate limits are not enforced until it is back");
    reported = true;
  });
  redis.on("ready", () => {
    reported = false;
  });
  app.addHook("onClose", async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  // Wait for the first connection (or its failure) so that the first requests find it ready.
  await new Promise<void>((resolve) => {
    redis.once("ready", resolve);
    redis.once("error", () => resolve());
  });
  return redis;
}

/**
 * Helmet's headers for these options, computed once: with no nonces and no per-request
 * directives they are the same on every answer (helmet's middleware would rebuild them per
 * request, ~4% of a nested read's CPU).
 */
function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}
