import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../db/prisma";
import type { PublishedReadCache } from "./published-cache";

/** Liveness at /healthz. */
export function registerProbes(app: FastifyInstance, _deps: { prisma: PrismaClient; publishedCache?: PublishedReadCache }): void {
  app.get("/healthz", async () => ({ ok: true }));
}
