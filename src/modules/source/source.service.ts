import type { Prisma, Source } from "../../generated/prisma/client";
import type { Context } from "../../context";
import type { Tx } from "../../db/prisma";
import type { CreateSourceInput, DeleteInput, SourceFilter, UpdateSourceInput } from "../../generated/graphql";
import { conflict, notFound } from "../../shared/errors";
import { paginate, type PageArgs } from "../../shared/pagination";
import { isUuid, parseInput, versionedId } from "../../shared/validation";
import { applyVersioned, assertReadVersion } from "../../shared/versioning";
import { runWrite } from "../../shared/write";
import { recordAudit } from "../audit/audit.service";
import { assertCanCreateSource, assertCanDeleteSource, assertCanUpdateSource, visibleSourceWhere } from "./source.policy";
import { createSourceInput, sourceNameFilter, updateSourceInput } from "./source.validation";

export async function getSource(ctx: Context, id: string) {
  return isUuid(id) ? ctx.loaders.sourceById.load(id) : null;
}

/** The source, or NOT_FOUND (also when the viewer may not see it). */
export async function requireSource(ctx: Context, id: string, field?: string): Promise<Source> {
  const source = await getSource(ctx, id);
  if (!source) throw notFound("Source", id, field);
  return source;
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

export async function listSources(ctx: Context, args: PageArgs & { filter?: SourceFilter | null }) {
  const name = args.filter?.name ? parseInput(sourceNameFilter, args.filter.name, "filter.name") : null;
  const where: Prisma.SourceWhereInput = {
    AND: [
      {
        ...(args.filter?.kind?.length ? { kind: { in: args.filter.kind } } : {}),
        ...(name ? { name: { contains: name, mode: "insensitive" as const } } : {}),
      },
      visibleSourceWhere(ctx.viewer),
    ],
  };
  return paginate(
    args,
    (page) => ctx.prisma.source.findMany({ where: { AND: [where, page.where] }, orderBy: page.orderBy, take: page.take }),
    () => ctx.prisma.source.count({ where }),
  );
}

async function assertExternalIdFree(tx: Tx, externalId: string | null | undefined, exceptId?: string) {
  if (!externalId) return;
  const owner = await tx.source.findUnique({ where: { externalId }, select: { id: true, name: true } });
  if (owner && owner.id !== exceptId) {
    throw conflict(`The external id "${externalId}" already identifies the source "${owner.name}"`, { field: "input.externalId", sourceId: owner.id });
  }
}

export async function createSource(ctx: Context, rawInput: CreateSourceInput) {
  const input = parseInput(createSourceInput, rawInput);
  const viewer = assertCanCreateSource(ctx, input.identityNote != null);
  return runWrite(ctx, async (tx) => {
    await assertExternalIdFree(tx, input.externalId);
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
    await recordAudit(tx, viewer, { entity: "Source", entityId: source.id, action: "CREATE", after: source });
    return source;
  });
}

export async function updateSource(ctx: Context, rawInput: UpdateSourceInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateSourceInput, rawInput);
  const viewer = assertCanUpdateSource(ctx, changes.identityNote !== undefined);
  await requireSource(ctx, id);
  return runWrite(ctx, async (tx) => {
    await assertExternalIdFree(tx, changes.externalId, id);
    const before = assertReadVersion("Source", id, await tx.source.findUnique({ where: { id } }), expectedVersion);
    const data: Prisma.SourceUpdateManyMutationInput = {
      ...(changes.kind ? { kind: changes.kind } : {}),
      ...(changes.name ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.externalId !== undefined ? { externalId: changes.externalId } : {}),
      ...(changes.identityNote !== undefined ? { identityNote: changes.identityNote } : {}),
      version: { increment: 1 },
    };
    await applyVersioned(
      "Source",
      id,
      expectedVersion,
      (where) => tx.source.updateMany({ where, data }),
      () => tx.source.findUnique({ where: { id }, select: { version: true } }),
    );
    const after = await tx.source.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, viewer, { entity: "Source", entityId: id, action: "UPDATE", before, after });
    return after;
  });
}

export async function deleteSource(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  const viewer = assertCanDeleteSource(ctx);
  return runWrite(ctx, async (tx) => {
    const before = assertReadVersion("Source", id, await tx.source.findUnique({ where: { id } }), expectedVersion);
    const [attributions, rebuttals] = await Promise.all([
      tx.attribution.count({ where: { sourceId: id } }),
      tx.rebuttal.count({ where: { sourceId: id } }),
    ]);
    if (attributions || rebuttals) {
      throw conflict(`Source ${id} is still used by ${attributions} attribution(s) and ${rebuttals} rebuttal(s); remove those first`, {
        reason: "REFERENCED",
        attributions,
        rebuttals,
      });
    }
    await applyVersioned(
      "Source",
      id,
      expectedVersion,
      (where) => tx.source.deleteMany({ where }),
      () => tx.source.findUnique({ where: { id }, select: { version: true } }),
    );
    await recordAudit(tx, viewer, { entity: "Source", entityId: id, action: "DELETE", before });
    return { id };
  });
}
