import type { PrismaClient } from "../db/prisma";
import type { Planner } from "./planner/planner";
import type { Viewer } from "./viewer";

/**
 * Each module's per-request DataLoaders, by module name. Empty here on purpose: every module that
 * has loaders adds its entry from its own index.ts (`declare module "../../shared/context"`), so
 * that the context's type knows every loader while shared code imports no module.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleLoaders {}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every module's loaders in one object (`ctx.loaders.articleById`). */
export type Loaders = UnionToIntersection<ModuleLoaders[keyof ModuleLoaders]>;

/** What the sign-in mutation asks of the failed-sign-in throttle (modules/user/user.throttle.ts). */
export interface SignInAttempts {
  attempt(email: string, clientIp: string | null): Promise<void>;
  succeeded(email: string, clientIp: string | null): Promise<void>;
}

export interface Context {
  prisma: PrismaClient;
  viewer: Viewer | null;
  /** The bearer token the request came with (needed to sign out); never logged. */
  bearerToken: string | null;
  /** The read planner: root read fields fetch their whole tree with it, in one statement. */
  planner: Planner;
  /** Rebuilt for every request, so that nothing cached outlives it. */
  loaders: Loaders;
  /** Replaces `loaders` with fresh ones: after a write, what they cached is stale (shared/write.ts). */
  resetLoaders(): void;
  /** The client's address (behind trusted proxies, the forwarded one); null outside HTTP. */
  clientIp: string | null;
  /** Counts failed sign-ins (HTTP server only; absent in-process, where nothing is throttled). */
  signInThrottle: SignInAttempts | null;
  /**
   * What this request read, as tags (src/shared/read-tags.ts: `recordRead`, `recordScope`): present
   * only when the published-read cache may store the answer (anonymous requests on a server with
   * the cache), absent otherwise.
   */
  readTags?: Set<string>;
}
