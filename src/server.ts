import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import { buildRequestContext, type Context } from "./context";
import type { PrismaClient } from "./db/prisma";
import { buildSchema } from "./schema";
import type { Config } from "./config";
import { makeFormatError } from "./shared/errors";
import { registerPlayground } from "./http/playground";
import { registerHttpSecurity } from "./http/security";
import { registerProbes } from "./http/probes";
import { registerRequestDeadline } from "./http/deadline";
import { queryLimits } from "./graphql/limits";
import type { PublishedReadCache } from "./http/published-cache";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";

export interface ServerOptions {
  prisma: PrismaClient;
  config: Config;
  /** Serve anonymous reads from a cache emptied by every write (see src/http/published-cache.ts). */
  publishedCache?: PublishedReadCache;
}

export interface ApolloOptions {
  config: Config;
  /** The HTTP server whose requests Apollo drains on stop (absent in-process, as in tests). */
  app?: FastifyInstance;
  /** Where masked internal errors go. */
  log?: (error: unknown) => void;
  plugins?: ApolloServerPlugin<Context>[];
}

export function createApollo({ config, app, log = () => {}, plugins = [] }: ApolloOptions) {
  const limits = queryLimits(config);
  return new ApolloServer<Context>({
    schema: buildSchema(),
    formatError: makeFormatError(log),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    validationRules: limits.validationRules,
    // Apollo's own landing page loads from a CDN; the offline playground lives at /playground.
    // No @cacheControl hints in the schema and no HTTP caching: its per-field instrumentation is pure cost.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(app ? [fastifyApolloDrainPlugin(app)] : []),
      ...limits.plugins,
      ...plugins,
    ],
  });
}

/** The HTTP server: GraphQL at /graphql, the editors' playground at /playground, liveness at /healthz. */
export async function createServer(options: ServerOptions) {
  const app = Fastify({
    logger: { level: options.config.logLevel },
    bodyLimit: options.config.bodyLimit,
  });
  const apollo = createApollo({
    config: options.config,
    app,
    log: (error) => app.log.error({ err: error }, "internal error while answering a GraphQL request"),
    plugins: options.publishedCache ? [options.publishedCache.plugin()] : [],
  });
  await apollo.start();
  await registerHttpSecurity(app, options.config);
  registerProbes(app, { prisma: options.prisma, publishedCache: options.publishedCache });
  if (options.config.playground) registerPlayground(app);
  registerRequestDeadline(app, options.config.requestTimeoutMs);
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: async (request) => buildRequestContext(options.prisma, request.headers.authorization),
  });
  return { app, apollo };
}
