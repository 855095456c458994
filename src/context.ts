import { directQuery, type PrismaClient } from "./db/prisma";
import { modules, plannedTables } from "./modules";
import { Planner } from "./shared/planner/planner";
import type { Context, Loaders, ModuleLoaders, SignInAttempts } from "./shared/context";
import { ClaimdeskError, ErrorCode } from "./shared/errors";
import type { Viewer } from "./shared/viewer";
import type { ReadTags } from "./shared/read-tags";

// The module list is read here once: loaders come after the loaders they use, one module resolves tokens.
for (const [index, { name, loaders }] of modules.entries()) {
  for (const earlier of loaders?.after ?? []) {
    if (!modules.slice(0, index).some((module) => module.name === earlier)) {
      throw new Error(`The ${name} loaders use the ${earlier} loaders: list ${earlier} before ${name} in src/modules/index.ts`);
    }
  }
}
const authenticators = modules.flatMap((module) => (module.authenticate ? [module.authenticate] : []));
if (authenticators.length !== 1) throw new Error(`Exactly one module must resolve bearer tokens (found ${authenticators.length})`);
const viewerForToken = authenticators[0]!;

/** Per-request loaders, module by module; each module's loaders only ever return what this viewer may see. */
export function createLoaders(prisma: PrismaClient, viewer: Viewer | null, reads?: ReadTags): Loaders {
  const byModule: Partial<Record<keyof ModuleLoaders, object>> = {};
  for (const { name, loaders } of modules) {
    if (loaders) byModule[name] = loaders.create(prisma, viewer, byModule as ModuleLoaders, reads);
  }
  return Object.assign({}, ...Object.values(byModule)) as Loaders;
}

/** What the HTTP server knows about a request besides its viewer. */
export interface RequestInfo {
  clientIp?: string | null;
  signInThrottle?: SignInAttempts | null;
  /** Record what anonymous requests read (`Context.readTags`): the server has a published-read cache. */
  recordReads?: boolean;
}

/** The one place a request's context is built (HTTP server, tests and scripts alike). */
export function buildContext(prisma: PrismaClient, viewer: Viewer | null = null, bearerToken: string | null = null, info: RequestInfo = {}): Context {
  // Only an anonymous answer may be stored by the published-read cache: only then is it recorded.
  const readTags = info.recordReads && viewer === null ? new Set<string>() : undefined;
  const context: Context = {
    prisma,
    viewer,
    bearerToken,
    planner: new Planner(plannedTables, directQuery(prisma), viewer, () => context.readTags),
    loaders: createLoaders(prisma, viewer, readTags),
    resetLoaders() {
      this.loaders = createLoaders(this.prisma, this.viewer, this.readTags);
    },
    clientIp: info.clientIp ?? null,
    signInThrottle: info.signInThrottle ?? null,
    ...(readTags ? { readTags } : {}),
  };
  return context;
}

/**
 * The context of an HTTP request: no Authorization header is an anonymous reader; a header with a
 * token that is unknown, expired or revoked is refused (UNAUTHENTICATED, HTTP 401) rather than
 * silently treated as anonymous.
 */
export async function buildRequestContext(prisma: PrismaClient, authorization: string | undefined, info: RequestInfo = {}): Promise<Context> {
  if (!authorization) return buildContext(prisma, null, null, info);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const viewer = match ? await viewerForToken(prisma, match[1]!) : null;
  if (!viewer) {
    throw new ClaimdeskError(ErrorCode.UNAUTHENTICATED, "The bearer token is invalid, expired or revoked", { http: { status: 401 } });
  }
  return buildContext(prisma, viewer, match![1], info);
}
