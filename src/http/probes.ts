import type { FastifyInstance } from "fastify";
import type { PrismaClient } from "../db/prisma";
import type { PublishedReadCache } from "./published-cache";

export interface ProbeOptions {
  prisma: PrismaClient;
  publishedCache?: PublishedReadCache;
  /** How long /readyz waits for `SELECT 1` before calling the database down. */
  databaseTimeoutMs?: number;
}

export interface Probes {
  /** Set on shutdown, before the server stops accepting: /readyz answers 503 from then on. */
  setDraining(): void;
  readonly draining: boolean;
}

type CheckResult = "ok" | "down" | "timeout" | "off";

async function withTimeout(work: Promise<unknown>, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([work.then((): CheckResult => "ok", (): CheckResult => "down"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness at /healthz (the process answers HTTP) and readiness at /readyz: the database answers
 * `SELECT 1`, the published-read cache listens for invalidations when it is on, and the server is
 * not draining. Neither says why in more than one word: no error text leaves the server.
 */
export function registerProbes(app: FastifyInstance, { prisma, publishedCache, databaseTimeoutMs = 2_000 }: ProbeOptions): Probes {
  let draining = false;

  app.get("/healthz", async () => ({ ok: true }));

  // While draining, every answer closes its connection: a keep-alive client would otherwise hold
  // the socket open and keep the shutdown waiting.
  app.addHook("onSend", async (_request, reply) => {
    if (draining) void reply.header("connection", "close");
  });

  app.get("/readyz", async (_request, reply) => {
    const database = draining ? "off" : await withTimeout(prisma.$queryRaw`SELECT 1`, databaseTimeoutMs);
    const cache: CheckResult = !publishedCache ? "off" : publishedCache.active ? "ok" : "down";
    const ready = !draining && database === "ok" && cache !== "down";
    reply.code(ready ? 200 : 503).header("cache-control", "no-store");
    return { ready, draining, checks: { database, publishedCache: cache } };
  });

  return {
    setDraining: () => {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
