import type { GraphQLResolveInfo } from "graphql";
import { Prisma, type Source } from "../../generated/prisma/client";
import type { SourceKind } from "../../generated/prisma/enums";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { z } from "zod";
import type { CreateSourceInput, DeleteInput, SourceFilter, SourceOrder, SourceOrderField, UpdateSourceInput, UpsertSourceInput } from "../../generated/graphql";
import type { AuditChange } from "../../shared/audit";
import { requireViewer } from "../../shared/access";
import { badInput, conflict, notFound } from "../../shared/errors";
import { orderOf, type OrderKeySpec, type PageArgs } from "../../shared/pagination";
import { recordScope } from "../../shared/read-tags";
import { parseInput, versionedId } from "../../shared/validation";
import { assertReadVersion } from "../../shared/versioning";
import { deleteVersioned, gate, lockEntity, lockVersioned, nothingToLock, updateVersioned } from "../../shared/write-gate";
import { assertCanCreateSource, assertCanDeleteSource, assertCanUpdateSource } from "./source.policy";
import { createSourceInput, sourceNameFilter, updateSourceInput, upsertSourceInput } from "./source.validation";

/** `source(id)`: the source with the tree the query selects, or null (also when the viewer may not see it). */
export function getSource(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Source>(info, "Source", id);
}

/**
 * The source of an attribution or rebuttal the viewer can already see (so the source is visible
 * too: see `sourceByIdOfVisibleParent`), or NOT_FOUND.
 */
export async function requireSourceOfVisibleParent(ctx: Context, id: string): Promise<Source> {
  const source = await ctx.loaders.sourceByIdOfVisibleParent.load(id);
  if (!source) throw notFound("Source", id);
  return source;
}

/** The keys `sources(orderBy:)` offers. */
const SOURCE_ORDER_KEYS: Record<SourceOrderField, OrderKeySpec> = {
  NAME: { column: "$.name", type: "text", nullable: false },
  CREATED_AT: { column: "$.created_at", type: "timestamptz", nullable: false },
};

/** A page of sources in `orderBy` order (default created_at DESC, id DESC). */
export async function listSources(ctx: Context, args: PageArgs & { filter?: SourceFilter | null; orderBy?: SourceOrder | null }, info: GraphQLResolveInfo) {
  const name = args.filter?.name ? parseInput(sourceNameFilter, args.filter.name, "filter.name") : null;
  const conditions = [Prisma.sql`TRUE`];
  if (args.filter?.kind?.length) conditions.push(Prisma.sql`s.kind = ANY(${args.filter.kind}::"SourceKind"[])`);
  // Contains, case-insensitively, the name as typed: LIKE's wildcards and escape are literal text.
  if (name) conditions.push(Prisma.sql`s.name ILIKE ${`%${name.replace(/[\\%_]/g, "\\$&")}%`}`);
  recordScope(ctx, "list:Source");
  return ctx.planner.connection<Source>(info, "Source", "s", args, () => Prisma.join(conditions, " AND "), orderOf(SOURCE_ORDER_KEYS, args.orderBy));
}

async function assertExternalIdFree(tx: Tx, externalId: string | null | undefined, exceptId?: string) {
  if (!externalId) return;
  const owner = await tx.source.findUnique({ where: { externalId }, select: { id: true, name: true } });
  if (owner && owner.id !== exceptId) {
    throw conflict(`The external id "${externalId}" already identifies the source "${owner.name}"`, { field: "input.externalId", sourceId: owner.id });
  }
}

/** Source kinds an outlet (of an article or a work) may be: not a person, not a document or data. */
const OUTLET_KINDS: readonly SourceKind[] = ["NEWS_OUTLET", "NEWS_AGENCY", "ORGANIZATION", "GOVERNMENT", "COMPANY"];

/**
 * The source named as the outlet of an article or a work: NOT_FOUND when it does not exist,
 * BAD_USER_INPUT (naming `field`) when it is not an outlet kind (a person, a document...).
 */
export async function requireOutletSource(tx: Tx, id: string, field: string): Promise<Pick<Source, "id" | "kind" | "name">> {
  const source = await tx.source.findUnique({ where: { id }, select: { id: true, kind: true, name: true } });
  if (!source) throw notFound("Source", id, field);
  if (!OUTLET_KINDS.includes(source.kind)) {
    throw badInput(field, `must be a source of kind ${OUTLET_KINDS.join(", ")}; "${source.name}" is a ${source.kind}`);
  }
  return source;
}

/**
 * Refuses a second source with the same name (trimmed, case-insensitive) and kind, unless the
 * editor listed the existing one in `distinctFrom`: CONFLICT carrying `existingId`. Concurrent
 * writers of one name and kind are serialised by a transaction-level advisory lock on it.
 */
async function assertNotDuplicate(tx: Tx, kind: SourceKind, name: string, distinctFrom: readonly string[] | null | undefined, exceptId?: string) {
  const key = `${kind}:${name.trim().toLowerCase()}`;
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('claimdesk.source.name'), hashtext(${key}))`;
  const same = await tx.$queryRaw<Array<{ id: string; name: string }>>`
    SELECT s.id::text AS id, s.name FROM source s
    WHERE s.kind = ${kind}::"SourceKind" AND lower(btrim(s.name)) = lower(btrim(${name}))
    ORDER BY s.created_at, s.id`;
  const allowed = new Set(distinctFrom ?? []);
  const existing = same.find((row) => row.id !== exceptId && !allowed.has(row.id));
  if (existing) {
    throw conflict(
      `A ${kind} source named "${existing.name}" already exists (${existing.id}): use it, or, if this is a different one, list its id in distinctFrom`,
      { field: "input.name", reason: "DUPLICATE_NAME", existingId: existing.id },
    );
  }
}

type NewSource = z.infer<typeof createSourceInput>;
type SourceChanges = Omit<z.infer<typeof updateSourceInput>, "id" | "expectedVersion">;
type SourceWrite = { tx: Tx; audit: (change: AuditChange) => Promise<void> };

/** Inserts a new source and audits it (inside a gate's write step). */
async function insertSource({ tx, audit }: SourceWrite, input: NewSource) {
  await assertExternalIdFree(tx, input.externalId);
  await assertNotDuplicate(tx, input.kind, input.name, input.distinctFrom);
  const source = await tx.source.create({
    data: {
      kind: input.kind,
      name: input.name,
      description: input.description ?? null,
      url: input.url ?? null,
      externalId: input.externalId ?? null,
      identityNote: input.identityNote ?? null,
    },
  });
  await audit({ entity: "Source", entityId: source.id, action: "CREATE", after: source });
  return source;
}

export async function createSource(ctx: Context, rawInput: CreateSourceInput) {
  const input = parseInput(createSourceInput, rawInput);
  const viewer = assertCanCreateSource(ctx, input.identityNote != null);
  return gate(ctx, {
    lock: nothingToLock,
    authorise: () => viewer,
    write: (w) => insertSource(w, input),
  });
}

/**
 * Applies changes to a source locked by the gate (`before`, version checked by the caller). With
 * `onlyDiffering`, fields equal to the stored ones are left out, and nothing is written (no
 * version, no audit) when none differs.
 */
async function applySourceChanges({ tx, audit }: SourceWrite, before: Source, changes: SourceChanges, onlyDiffering: boolean, authoriseChange?: () => void) {
  const id = before.id;
  await assertExternalIdFree(tx, changes.externalId, id);
  const kind = changes.kind ?? before.kind;
  const name = changes.name ?? before.name;
  let data: Prisma.SourceUpdateManyMutationInput = {
    ...(changes.kind ? { kind: changes.kind } : {}),
    ...(changes.name ? { name: changes.name } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.url !== undefined ? { url: changes.url } : {}),
    ...(changes.externalId !== undefined ? { externalId: changes.externalId } : {}),
    ...(changes.identityNote !== undefined ? { identityNote: changes.identityNote } : {}),
  };
  if (onlyDiffering) {
    const stored = before as unknown as Record<string, unknown>;
    data = Object.fromEntries(Object.entries(data).filter(([field, value]) => (stored[field] ?? null) !== (value ?? null)));
    if (Object.keys(data).length === 0) return { source: before, changed: false };
  }
  authoriseChange?.();
  // A rename or a change of kind onto another source's name and kind.
  if (kind !== before.kind || name.toLowerCase() !== before.name.trim().toLowerCase()) await assertNotDuplicate(tx, kind, name, changes.distinctFrom, id);
  const after = await updateVersioned(tx, "source", before, data);
  await audit({ entity: "Source", entityId: id, action: "UPDATE", before, after });
  return { source: after, changed: true };
}

/** A source belongs to no article: its rules depend on the viewer's role only, checked before any lookup. */
export async function updateSource(ctx: Context, rawInput: UpdateSourceInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateSourceInput, rawInput);
  const viewer = assertCanUpdateSource(ctx, changes.identityNote !== undefined);
  return gate(ctx, {
    lock: (tx) => lockEntity(tx, "source", id, "update"),
    authorise: () => viewer,
    write: async ({ locked: current, ...w }) => (await applySourceChanges(w, assertReadVersion("Source", id, current, expectedVersion), changes, false)).source,
  });
}

/**
 * The source an upsert is about: the one with the input's external id; else (none has it) the
 * oldest one with its name (trimmed, case-insensitive) and kind that has no external id or this one.
 */
async function sourceByKey(tx: Tx, key: { externalId?: string | null; name: string; kind: SourceKind }): Promise<string | null> {
  if (key.externalId) {
    const byExternalId = await tx.source.findUnique({ where: { externalId: key.externalId }, select: { id: true } });
    if (byExternalId) return byExternalId.id;
  }
  const [byName] = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT s.id::text AS id FROM source s
    WHERE s.kind = ${key.kind}::"SourceKind" AND lower(btrim(s.name)) = lower(btrim(${key.name}))
      AND (s.external_id IS NULL OR s.external_id = ${key.externalId ?? null})
    ORDER BY s.created_at, s.id LIMIT 1`;
  return byName?.id ?? null;
}

/**
 * `upsertSource`: creates the source found by neither key (as createSource: any staff), or
 * updates the one found (as updateSource: FACT_CHECKER, EDITOR, ADMIN; version checked when
 * `expectedVersion` is given), changing only the fields that differ; UNCHANGED when none does
 * (nothing written, and any staff may get that answer: a source is referred to by everyone).
 */
export async function upsertSource(ctx: Context, rawInput: UpsertSourceInput): Promise<{ source: Source; outcome: "CREATED" | "UPDATED" | "UNCHANGED" }> {
  requireViewer(ctx);
  const { expectedVersion, ...input } = parseInput(upsertSourceInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      const id = await sourceByKey(tx, input);
      return id ? lockEntity(tx, "source", id, "update") : null;
    },
    // Finding a source unchanged is what any staff may do (as referring to it); changing it takes
    // updateSource's rights, checked below once the change is known.
    authorise: (source) => assertCanCreateSource(ctx, !source && input.identityNote != null),
    async write({ locked, ...w }) {
      if (!locked) {
        if (expectedVersion != null) throw notFound("Source", input.externalId ?? input.name, "input.expectedVersion");
        return { source: await insertSource(w, input), outcome: "CREATED" as const };
      }
      const before = expectedVersion != null ? assertReadVersion("Source", locked.id, locked, expectedVersion) : locked;
      const { source, changed } = await applySourceChanges(w, before, input, true, () =>
        // Only a changed identity note needs editor rights: an unchanged one is not written.
        assertCanUpdateSource(ctx, input.identityNote !== undefined && (input.identityNote ?? null) !== locked.identityNote),
      );
      return { source, outcome: changed ? ("UPDATED" as const) : ("UNCHANGED" as const) };
    },
  });
}

export async function deleteSource(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  const viewer = assertCanDeleteSource(ctx);
  return gate(ctx, {
    lock: (tx) => lockVersioned(tx, "source", id, expectedVersion, "delete"),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      const [attributions, responses, conduits, articles, works] = await Promise.all([
        tx.attribution.count({ where: { sourceId: id } }),
        tx.response.count({ where: { sourceId: id } }),
        tx.responseConduit.count({ where: { sourceId: id } }),
        tx.article.count({ where: { outletSourceId: id } }),
        tx.work.count({ where: { outletSourceId: id } }),
      ]);
      if (attributions || responses || conduits) {
        throw conflict(`Source ${id} is still used by ${attributions} attribution(s) and ${responses + conduits} response(s); remove those first`, {
          reason: "REFERENCED",
          attributions,
          responses: responses + conduits,
          // Deprecated name of `responses`.
          rebuttals: responses + conduits,
        });
      }
      if (articles || works) {
        throw conflict(`Source ${id} is the outlet of ${articles} article(s) and ${works} work(s); change their outlet first`, {
          reason: "REFERENCED",
          articles,
          works,
        });
      }
      await deleteVersioned(tx, "source", before);
      await audit({ entity: "Source", entityId: id, action: "DELETE", before });
      return { id };
    },
  });
}
