import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { buildRequestContext, type Context } from "./context";
import type { PrismaClient } from "./db/prisma";
import { buildSchema } from "./schema";
import { makeFormatError } from "./shared/errors";
import { registerPlayground } from "./http/playground";
import type { PublishedReadCache } from "./http/published-cache";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";

export interface ServerOptions {
  prisma: PrismaClient;
  bodyLimit?: number;
  logLevel?: string;
  /** Serve anonymous reads from a cache emptied by every write (see src/http/published-cache.ts). */
  publishedCache?: PublishedReadCache;
}

export function createApollo(app?: FastifyInstance, log: (error: unknown) => void = () => {}, extraPlugins: ApolloServerPlugin<Context>[] = []) {
  return new ApolloServer<Context>({
    schema: buildSchema(),
    formatError: makeFormatError(log),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Apollo's own landing page loads from a CDN; the offline playground lives at /playground.
    // No @cacheControl hints in the schema and no HTTP caching: its per-field instrumentation is pure cost.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(app ? [fastifyApolloDrainPlugin(app)] : []),
      ...extraPlugins,
    ],
  });
}

/** The HTTP server: GraphQL at /graphql, the editors' playground at /playground, liveness at /healthz. */
export async function createServer(options: ServerOptions) {
  const app = Fastify({
    logger: { level: options.logLevel ?? "info" },
    bodyLimit: options.bodyLimit ?? 1_048_576,
  });
  const apollo = createApollo(
    app,
    (error) => app.log.error({ err: error }, "internal error while answering a GraphQL request"),
    options.publishedCache ? [options.publishedCache.plugin()] : [],
  );
  await apollo.start();
  app.get("/healthz", async () => ({ ok: true }));
  registerPlayground(app);
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: async (request) => buildRequestContext(options.prisma, request.headers.authorization),
  });
  return { app, apollo };
}
