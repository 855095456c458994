import type { FastifyInstance, RouteHandlerMethod } from "fastify";
import { ErrorCode, serviceUnavailable } from "../shared/errors";

const RETRY_AFTER_SECONDS = "1";

/**
 * The deadline of a GraphQL request, and the HTTP status of "try again later", in one place.
 *
 * Every handler of `paths` is raced against `timeoutMs`: past it, the client gets HTTP 503 with a
 * masked SERVICE_UNAVAILABLE error (reason DEADLINE_EXCEEDED) instead of waiting on a database that
 * does not answer. The work itself is not interrupted: the database side is bounded by
 * statement_timeout (which cancels the statement and frees the connection) and the pool's connect
 * timeout; a frozen server keeps the connection until it answers or the socket dies. A mutation
 * that times out may still commit afterwards: 503 means "outcome unknown", and versioned updates
 * (expectedVersion) make the retry safe.
 *
 * Any answer whose errors include SERVICE_UNAVAILABLE (the database is unreachable: see
 * `isDatabaseUnavailable`), in execution or while building the context, is sent with HTTP 503
 * and Retry-After, rather than 200 or 500.
 *
 * Register before the routes it guards (it wraps them as they are added).
 */
export function registerRequestDeadline(app: FastifyInstance, timeoutMs: number, paths: readonly string[] = ["/graphql"]): void {
  const expiredBody = JSON.stringify({ errors: [serviceUnavailable("DEADLINE_EXCEEDED").toJSON()] });
  app.addHook("onRoute", (route) => {
    if (!paths.includes(route.url)) return;
    const handler = route.handler;
    const guarded: RouteHandlerMethod = async function (this: FastifyInstance, request, reply) {
      const work = Promise.resolve(handler.call(this, request, reply));
      // Past the deadline nobody awaits the work any more: its failure must not be unhandled.
      work.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<typeof EXPIRED>((resolve) => {
        timer = setTimeout(() => resolve(EXPIRED), timeoutMs);
      });
      try {
        const payload = await Promise.race([work, expired]);
        if (payload === EXPIRED) {
          request.log.warn({ timeoutMs }, "GraphQL request past its deadline: answered 503");
          void reply.code(503).header("retry-after", RETRY_AFTER_SECONDS).type("application/json; charset=utf-8");
          return expiredBody;
        }
        if (typeof payload === "string" && reportsUnavailable(payload)) {
          void reply.code(503).header("retry-after", RETRY_AFTER_SECONDS);
        }
        return payload;
      } finally {
        clearTimeout(timer);
      }
    };
    route.handler = guarded;
  });
}

const EXPIRED = Symbol("deadline expired");

/** Whether a serialized GraphQL answer (single or batch) carries a SERVICE_UNAVAILABLE error. */
function reportsUnavailable(payload: string): boolean {
  // Cheap test first: almost every answer does not contain the code at all.
  if (!payload.includes(ErrorCode.SERVICE_UNAVAILABLE)) return false;
  try {
    const parsed = JSON.parse(payload) as unknown;
    const results = Array.isArray(parsed) ? parsed : [parsed];
    return results.some(
      (result: { errors?: Array<{ extensions?: { code?: unknown } }> } | null) =>
        result?.errors?.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE) ?? false,
    );
  } catch {
    return false;
  }
}
