import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { buildRequestContext } from "./context";
import type { Context } from "./shared/context";
import type { PrismaClient } from "./db/prisma";
import { buildSchema, printPublicSchema, recordedRootFields } from "./schema";
import type { Config } from "./config";
import { makeFormatError } from "./shared/errors";
import { registerPlayground } from "./http/playground";
import { registerSchemaFile } from "./http/schema-file";
import { registerHttpSecurity, trustProxyOption } from "./http/security";
import { productionSwitches } from "./http/graphql-options";
import { registerProbes } from "./http/probes";
import { createLogger, linkRequestFacts, requestFactsPlugin, requestIdFor, RequestLogController, type Logger } from "./http/logging";
import { registerMetrics } from "./http/metrics";
import { poolOf } from "./db/prisma";
import { registerRequestDeadline } from "./http/deadline";
import { queryLimits } from "./graphql/limits";
import { jitGateway } from "./graphql/executor";
import { stringifyResult, type PublishedReadCache } from "./http/published-cache";
import { bindClaimReviewSettings, registerClaimReviewRoute } from "./modules/claimreview";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";

export interface ServerOptions {
  prisma: PrismaClient;
  config: Config;
  /** Serve anonymous reads from a cache invalidated by what each write touched (see src/http/published-cache.ts). */
  publishedCache?: PublishedReadCache;
  /** The process's root logger (main.ts); by default one is made from config.logLevel. */
  logger?: Logger;
  /** Where the default logger's lines go (stdout when absent); tests capture them. */
  logStream?: { write(line: string): void };
}

export interface ApolloOptions {
  config: Config;
  /** The HTTP server whose requests Apollo drains on stop (absent in-process, as in tests). */
  app?: FastifyInstance;
  /** Where masked internal errors go. */
  log?: (error: unknown) => void;
  plugins?: ApolloServerPlugin<Context>[];
  /** The executable schema (src/schema.ts `buildSchema`); built here when absent. */
  schema?: GraphQLSchema;
}

export function createApollo({ config, app, log = () => {}, plugins = [], schema: built = buildSchema() }: ApolloOptions) {
  const limits = queryLimits(config);
  const switches = productionSwitches(config);
  // Claim.claimReview publishes as this configuration's organisation (docs/claimreview.md).
  const schema = bindClaimReviewSettings(built, config.claimReview);
  return new ApolloServer<Context>({
    // graphql-jit executes (src/graphql/executor.ts, through Apollo's `gateway` option); GRAPHQL_JIT=off: graphql-js.
    ...(config.graphqlJit ? { gateway: jitGateway(schema) } : { schema }),
    formatError: makeFormatError(log),
    includeStacktraceInErrorResponses: false,
    // src/main.ts owns SIGTERM/SIGINT (drain, close the pool, exit); Apollo's own handlers would re-raise the signal.
    stopOnTerminationSignals: false,
    introspection: config.introspection,
    validationRules: limits.validationRules,
    allowBatchedHttpRequests: switches.allowBatchedHttpRequests,
    persistedQueries: switches.persistedQueries,
    parseOptions: limits.parseOptions,
    // Answers from the published-read cache are written from their stored JSON text.
    stringifyResult,
    // Apollo's own landing page loads from a CDN; the offline playground lives at /playground.
    // No @cacheControl hints in the schema and no HTTP caching: its per-field instrumentation is pure cost.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(app ? [fastifyApolloDrainPlugin(app)] : []),
      ...limits.plugins,
      ...switches.plugins,
      ...plugins,
    ],
  });
}

/** The HTTP server: GraphQL at /graphql, the editors' playground at /playground, the schema at /schema.graphql, liveness at /healthz. */
export async function createServer(options: ServerOptions) {
  const app = Fastify({
    // As FastifyBaseLogger: a pino Logger would make this a FastifyInstance<..., Logger> the plugins do not accept.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed by tsc (see above)
    loggerInstance: (options.logger ?? createLogger(options.config, options.logStream)) as FastifyBaseLogger,
    logController: new RequestLogController(),
    genReqId: requestIdFor,
    bodyLimit: options.config.bodyLimit,
    trustProxy: trustProxyOption(options.config.trustProxy),
  });
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  const schema = buildSchema();
  const apollo = createApollo({
    config: options.config,
    app,
    schema,
    log: (error) => app.log.error({ err: error }, "internal error while answering a GraphQL request"),
    plugins: [requestFactsPlugin(), ...(options.publishedCache ? [options.publishedCache.plugin(recordedRootFields())] : [])],
  });
  await apollo.start();
  const security = await registerHttpSecurity(app, options.config);
  const probes = registerProbes(app, { prisma: options.prisma, publishedCache: options.publishedCache });
  registerMetrics(app, { pool: poolOf(options.prisma), publishedCache: options.publishedCache });
  if (options.config.playground) registerPlayground(app);
  if (options.config.introspection) registerSchemaFile(app, printPublicSchema(schema));
  registerClaimReviewRoute(app, { prisma: options.prisma, settings: options.config.claimReview });
  registerRequestDeadline(app, options.config.requestTimeoutMs);
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    context: async (request) => {
      const context = await buildRequestContext(options.prisma, request.headers.authorization, {
        clientIp: request.ip,
        signInThrottle: security.signInThrottle,
        recordReads: Boolean(options.publishedCache),
      });
      linkRequestFacts(request, context);
      return context;
    },
  });
  return { app, apollo, probes };
}
