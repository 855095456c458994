import type { PrismaClient } from "./db/prisma";
import { ClaimdeskError, ErrorCode } from "./shared/errors";
import { viewerForToken } from "./modules/user/user.tokens";
import { createArticleLoaders } from "./modules/article/article.loaders";
import { createClaimLoaders } from "./modules/claim/claim.loaders";
import { createSourceLoaders } from "./modules/source/source.loaders";
import { createAttributionLoaders } from "./modules/attribution/attribution.loaders";
import { createRebuttalLoaders } from "./modules/rebuttal/rebuttal.loaders";
import { createVerdictLoaders } from "./modules/verdict/verdict.loaders";
import { createUserLoaders } from "./modules/user/user.loaders";
import type { SignInThrottle } from "./modules/user/user.throttle";

/** Per-request loaders; each module's loaders only ever return what this viewer may see. */
export function createLoaders(prisma: PrismaClient, viewer: Viewer | null) {
  const sourceLoaders = createSourceLoaders(prisma, viewer);
  const verdictLoaders = createVerdictLoaders(prisma);
  return {
    ...createArticleLoaders(prisma, viewer),
    // An article's claims are loaded with their current verdict, primed into latestVerdictByClaimId.
    ...createClaimLoaders(prisma, viewer, verdictLoaders.latestVerdictByClaimId),
    ...sourceLoaders,
    // Attributions and rebuttals are loaded with their source, primed into sourceByIdOfVisibleParent.
    ...createAttributionLoaders(prisma, viewer, sourceLoaders.sourceByIdOfVisibleParent),
    ...createRebuttalLoaders(prisma, viewer, sourceLoaders.sourceByIdOfVisibleParent),
    ...verdictLoaders,
    ...createUserLoaders(prisma),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export type Role = "ADMIN" | "EDITOR" | "FACT_CHECKER" | "REPORTER";

/** Who is asking: a signed-in user, or null for an anonymous reader. */
export interface Viewer {
  id: string;
  role: Role;
  name: string;
  email: string;
}

export interface Context {
  prisma: PrismaClient;
  viewer: Viewer | null;
  /** The bearer token the request came with (needed to sign out); never logged. */
  bearerToken: string | null;
  /** Rebuilt for every request, so that nothing cached outlives it. */
  loaders: Loaders;
  /** The client's address (behind trusted proxies, the forwarded one); null outside HTTP. */
  clientIp: string | null;
  /** Counts failed sign-ins (HTTP server only; absent in-process, where nothing is throttled). */
  signInThrottle: SignInThrottle | null;
}

/** What the HTTP server knows about a request besides its viewer. */
export interface RequestInfo {
  clientIp?: string | null;
  signInThrottle?: SignInThrottle | null;
}

/** The one place a request's context is built (HTTP server, tests and scripts alike). */
export function buildContext(prisma: PrismaClient, viewer: Viewer | null = null, bearerToken: string | null = null, info: RequestInfo = {}): Context {
  return { prisma, viewer, bearerToken, loaders: createLoaders(prisma, viewer), clientIp: info.clientIp ?? null, signInThrottle: info.signInThrottle ?? null };
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
  return buildContext(prisma, viewer, match![1]!, info);
}
