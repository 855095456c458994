import type { Context } from "./context";
import type { Tx } from "../db/prisma";
import { Prisma } from "../generated/prisma/client";
import { conflict, notFound } from "./errors";
import { announcementOf, collectChanges, payloadOf } from "./changes";

/**
 * Notified at the commit of every write that anonymous readers can see, with what it touched
 * (src/shared/changes.ts); caches of published reads listen to it.
 */
export const CONTENT_CHANGED_CHANNEL = "claimdesk_content_changed";

/**
 * Every write goes through here: one transaction, so that a failed mutation changes nothing, and
 * one translation of the database's integrity errors into the error vocabulary. After it commits,
 * the request's DataLoaders are rebuilt: what they cached before the write is stale now (a
 * mutation operation may run several mutations and read their results).
 */
export async function runWrite<T>(ctx: Context, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    // Waits for a pooled connection up to maxWait: under load a write queues rather than fails.
    const result = await ctx.prisma.$transaction(
      async (tx) => {
        collectChanges(tx);
        const result = await work(tx);
        // Delivered at commit (never on rollback): every instance drops the cached reads it touched.
        const announcement = announcementOf(tx);
        if (announcement) await tx.$executeRaw`SELECT pg_notify(${CONTENT_CHANGED_CHANNEL}, ${payloadOf(announcement)})`;
        return result;
      },
      { maxWait: 10_000, timeout: 20_000 },
    );
    ctx.resetLoaders();
    return result;
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

function translateDatabaseError(error: unknown): unknown {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return error;
  switch (error.code) {
    case "P2002":
      return conflict("This would duplicate an existing item", { reason: "UNIQUE_VIOLATION" });
    case "P2003":
      return conflict("Other items still refer to this one", { reason: "REFERENCED" });
    case "P2025":
      return notFound("Item", "requested");
    default:
      return error;
  }
}
