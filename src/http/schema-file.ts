import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";

/**
 * `GET /schema.graphql`: the public schema as one SDL text (src/schema.ts `printPublicSchema`, the
 * same text as the committed schema.graphql), for frontends' code generators. Anonymous, and served
 * only where introspection is on (config.introspection): a server that hides its schema from
 * introspection does not hand it out here either. Cacheable: clients revalidate with the ETag and get
 * 304 while the schema is unchanged.
 */
export function registerSchemaFile(app: FastifyInstance, sdl: string): void {
  const body = Buffer.from(sdl, "utf8");
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  app.get("/schema.graphql", async (request, reply) => {
    void reply.header("etag", etag).header("cache-control", "public, no-cache");
    if (matches(request.headers["if-none-match"], etag)) return reply.code(304).send();
    return reply.type("text/plain; charset=utf-8").send(body);
  });
}

/** If-None-Match: `*`, or a list of (possibly weak) entity tags, one of which is ours. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === etag || trimmed === `W/${etag}`;
  });
}
