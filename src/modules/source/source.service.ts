import type { Prisma } from "../../generated/prisma/client";
import type { Context } from "../../context";
import type { CreateSourceInput, DeleteInput, SourceFilter, UpdateSourceInput } from "../../generated/graphql";
import { conflict, notFound } from "../../shared/errors";
import { paginate, type PageArgs } from "../../shared/pagination";
import { isUuid, parseInput } from "../../shared/validation";
import { applyVersioned } from "../../shared/versioning";
import { runWrite } from "../../shared/write";
import type { Tx } from "../../db/prisma";
import { createSourceInput, sourceNameFilter, updateSourceInput } from "./source.validation";

export async function getSource(ctx: Context, id: string) {
  return isUuid(id) ? ctx.loaders.sourceById.load(id) : null;
}

export async function requireSource(ctx: Context, id: string, field?: string) {
  const source = await getSource(ctx, id);
  if (!source) throw notFound("Source", id, field);
  return source;
}

export async function listSources(ctx: Context, args: PageArgs & { filter?: SourceFilter | null }) {
  const name = args.filter?.name ? parseInput(sourceNameFilter, args.filter.name, "filter.name") : null;
  const where: Prisma.SourceWhereInput = {
    ...(args.filter?.kind?.length ? { kind: { in: args.filter.kind } } : {}),
    ...(name ? { name: { contains: name, mode: "insensitive" as const } } : {}),
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
  return runWrite(ctx, async (tx) => {
    await assertExternalIdFree(tx, input.externalId);
    return tx.source.create({
      data: {
        kind: input.kind,
        name: input.name,
        description: input.description ?? null,
        url: input.url ?? null,
        externalId: input.externalId ?? null,
      },
    });
  });
}

export async function updateSource(ctx: Context, rawInput: UpdateSourceInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateSourceInput, rawInput);
  return runWrite(ctx, async (tx) => {
    await assertExternalIdFree(tx, changes.externalId, id);
    const data: Prisma.SourceUpdateManyMutationInput = {
      ...(changes.kind ? { kind: changes.kind } : {}),
      ...(changes.name ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.externalId !== undefined ? { externalId: changes.externalId } : {}),
      version: { increment: 1 },
    };
    await applyVersioned(
      "Source",
      id,
      expectedVersion,
      (where) => tx.source.updateMany({ where, data }),
      () => tx.source.findUnique({ where: { id }, select: { version: true } }),
    );
    return tx.source.findUniqueOrThrow({ where: { id } });
  });
}

export async function deleteSource(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(updateSourceInput.pick({ id: true, expectedVersion: true }), rawInput);
  return runWrite(ctx, async (tx) => {
    const [attributions, rebuttals] = await Promise.all([
      tx.attribution.count({ where: { sourceId: id } }),
      tx.rebuttal.count({ where: { sourceId: id } }),
    ]);
    if (attributions || rebuttals) {
      throw conflict(
        `Source ${id} is still used by ${attributions} attribution(s) and ${rebuttals} rebuttal(s); remove those first`,
        { reason: "REFERENCED", attributions, rebuttals },
      );
    }
    await applyVersioned(
      "Source",
      id,
      expectedVersion,
      (where) => tx.source.deleteMany({ where }),
      () => tx.source.findUnique({ where: { id }, select: { version: true } }),
    );
    return { id };
  });
}
