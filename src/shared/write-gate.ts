import type { Context } from "./context";
import type { Viewer } from "./viewer";
import type { Tx } from "../db/prisma";
import type { Article, Attribution, Claim, Prisma, Response, Source } from "../generated/prisma/client";
import { requireViewer } from "./access";
import { recordAudit, type AuditChange } from "./audit";
import { noteClaimDeletion } from "./changes";
import { notFound } from "./errors";
import { lockRow } from "./locks";
import { applyVersioned, assertReadVersion } from "./versioning";
import { runWrite } from "./write";

/** What a gated write works with: its transaction, the rows it locked, the viewer the policy let through. */
interface GateWrite<L> {
  tx: Tx;
  locked: L;
  viewer: Viewer;
  /** Records an audit entry for this viewer, in this transaction. */
  audit: (change: AuditChange) => Promise<void>;
}

export interface GateSteps<L, R> {
  /** Loads and locks the rows the policy decides on (see shared/locks.ts); NOT_FOUND when missing. */
  lock(tx: Tx): Promise<L>;
  /** The policy, decided on the rows as they are under the lock. */
  authorise(locked: L): Viewer;
  /** Checks the version (`lockVersioned`), writes and audits; still under the locks. */
  write(w: GateWrite<L>): Promise<R>;
}

/**
 * The one way content is changed: in one transaction (runWrite: rollback on any error, pg_notify
 * at commit), lock, then authorise against the locked rows, then write. A row read before the
 * transaction is never trusted for the decision: its article may have been submitted, published
 * or handed to someone else by the time the lock is held.
 */
export function gate<L, R>(ctx: Context, steps: GateSteps<L, R>): Promise<R> {
  requireViewer(ctx); // anonymous callers are told to sign in before anything is looked up
  const ambient = sharedTransactions.get(ctx);
  if (ambient) return gateIn(ambient, steps);
  return runWrite(ctx, (tx) => gateIn(tx, steps));
}

async function gateIn<L, R>(tx: Tx, steps: GateSteps<L, R>): Promise<R> {
  const locked = await steps.lock(tx);
  const viewer = steps.authorise(locked);
  return steps.write({ tx, locked, viewer, audit: (change) => recordAudit(tx, viewer, change) });
}

/** The transaction `inOneTransaction` opened for a context, while its work runs. */
const sharedTransactions = new WeakMap<Context, Tx>();

/**
 * Runs many gated writes (the `batch` mutation) in ONE transaction: every `gate(ctx, ...)` called
 * by `work` takes its locks, authorises, checks versions, writes and audits in this transaction
 * instead of opening its own, so the first error rolls all of them back. The writes run one after
 * the other (never concurrently on this context). `work` also receives the transaction, for the
 * lookups that decide what to write (upserts by external key); it must not read through the
 * request's loaders, which do not see the uncommitted rows.
 */
export function inOneTransaction<R>(ctx: Context, work: (tx: Tx) => Promise<R>): Promise<R> {
  requireViewer(ctx);
  if (sharedTransactions.has(ctx)) throw new Error("inOneTransaction: already inside one for this context");
  return runWrite(ctx, async (tx) => {
    sharedTransactions.set(ctx, tx);
    try {
      return await work(tx);
    } finally {
      sharedTransactions.delete(ctx);
    }
  });
}

/** For a write that creates a row nothing else holds yet (an article, a source). */
export async function nothingToLock(): Promise<null> {
  return null;
}

/** The versioned tables, their rows and what an update may change. */
interface VersionedKinds {
  article: { row: Article; data: Prisma.ArticleUpdateManyMutationInput };
  claim: { row: Claim; data: Prisma.ClaimUncheckedUpdateManyInput };
  attribution: { row: Attribution; data: Prisma.AttributionUncheckedUpdateManyInput };
  response: { row: Response; data: Prisma.ResponseUncheckedUpdateManyInput };
  source: { row: Source; data: Prisma.SourceUpdateManyMutationInput };
}
export type VersionedKind = keyof VersionedKinds;
type Row<K extends VersionedKind> = VersionedKinds[K]["row"];
type Where = { id: string; version: number };

const ENTITY: Record<VersionedKind, string> = {
  article: "Article",
  claim: "Claim",
  attribution: "Attribution",
  response: "Response",
  source: "Source",
};

/** The Prisma delegate of a versioned table, seen through what the helpers below use of it. */
interface VersionedDelegate {
  findUnique(args: { where: { id: string }; select?: { version: true } }): Promise<unknown>;
  updateMany(args: { where: Where; data: unknown }): Promise<{ count: number }>;
  deleteMany(args: { where: Where }): Promise<{ count: number }>;
}
function delegate(tx: Tx, kind: VersionedKind): VersionedDelegate {
  return tx[kind] as unknown as VersionedDelegate;
}

/** Locks the row a write changes (see `lockRow`) and reads it; NOT_FOUND when it is gone. */
export async function lockEntity<K extends VersionedKind>(tx: Tx, kind: K, id: string, purpose: "update" | "delete"): Promise<Row<K>> {
  const row = (await lockRow(tx, kind, id, purpose)) ? ((await delegate(tx, kind).findUnique({ where: { id } })) as Row<K> | null) : null;
  if (!row) throw notFound(ENTITY[kind], id);
  return row;
}

/**
 * Locks the row a write changes, reads it and checks the version the editor saw: the result is
 * exactly the row the write replaces. NOT_FOUND when it is gone, CONFLICT (with currentVersion)
 * when someone changed it since.
 */
export async function lockVersioned<K extends VersionedKind>(
  tx: Tx,
  kind: K,
  id: string,
  expectedVersion: number,
  purpose: "update" | "delete",
): Promise<Row<K>> {
  return assertReadVersion(ENTITY[kind], id, await lockEntity(tx, kind, id, purpose), expectedVersion);
}

function versioned(tx: Tx, kind: VersionedKind, before: Where, write: (where: Where) => Promise<{ count: number }>) {
  // Under the row lock the version cannot have moved; the condition stays as the last line of defence.
  return applyVersioned(ENTITY[kind], before.id, before.version, write, () =>
    delegate(tx, kind).findUnique({ where: { id: before.id }, select: { version: true } }) as Promise<{ version: number } | null>,
  );
}

/** Updates a row locked by `lockVersioned` (one version up) and returns it as stored. */
export async function updateVersioned<K extends VersionedKind>(tx: Tx, kind: K, before: Row<K>, data: VersionedKinds[K]["data"]): Promise<Row<K>> {
  const table = delegate(tx, kind);
  await versioned(tx, kind, before, (where) => table.updateMany({ where, data: { ...data, version: { increment: 1 } } }));
  return (await table.findUnique({ where: { id: before.id } })) as Row<K>;
}

/** Deletes a row locked by `lockVersioned`. */
export async function deleteVersioned<K extends VersionedKind>(tx: Tx, kind: K, before: Row<K>): Promise<void> {
  // Its attributions and response answers go with a claim: announced with it (src/shared/changes.ts).
  if (kind === "claim") await noteClaimDeletion(tx, before.id);
  await versioned(tx, kind, before, (where) => delegate(tx, kind).deleteMany({ where }));
}
