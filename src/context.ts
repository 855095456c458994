import type { PrismaClient } from "./db/prisma";
import { createArticleLoaders } from "./modules/article/article.loaders";
import { createClaimLoaders } from "./modules/claim/claim.loaders";
import { createSourceLoaders } from "./modules/source/source.loaders";
import { createAttributionLoaders } from "./modules/attribution/attribution.loaders";
import { createRebuttalLoaders } from "./modules/rebuttal/rebuttal.loaders";
import { createVerdictLoaders } from "./modules/verdict/verdict.loaders";

export function createLoaders(prisma: PrismaClient) {
  return {
    ...createArticleLoaders(prisma),
    ...createClaimLoaders(prisma),
    ...createSourceLoaders(prisma),
    ...createAttributionLoaders(prisma),
    ...createRebuttalLoaders(prisma),
    ...createVerdictLoaders(prisma),
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
  /** Rebuilt for every request, so that nothing cached outlives it. */
  loaders: Loaders;
}

/** The one place a request's context is built (HTTP server, tests and scripts alike). */
export function buildContext(prisma: PrismaClient, viewer: Viewer | null = null): Context {
  return { prisma, viewer, loaders: createLoaders(prisma) };
}
