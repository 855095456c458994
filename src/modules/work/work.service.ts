import type { GraphQLResolveInfo } from "graphql";
import { Prisma, type Work } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { CreateWorkInput, DeleteInput, UpdateWorkInput, WorkFilter } from "../../generated/graphql";
import { conflict } from "../../shared/errors";
import type { PageArgs } from "../../shared/pagination";
import { partialDateColumns } from "../../shared/partial-date";
import { recordScope } from "../../shared/read-tags";
import { parseInput, versionedId } from "../../shared/validation";
import { gate, nothingToLock } from "../../shared/write-gate";
import { requireOutletSource } from "../source/source.service";
import { assertCanCreateWork, assertCanDeleteWork, assertCanUpdateWork } from "./work.policy";
import { createWorkInput, updateWorkInput, workSearch } from "./work.validation";
import { deleteVersionedRow, lockVersionedRow, updateVersionedRow } from "./versioned-row";

/** `work(id)`: the work with the tree the query selects, or null. */
export function getWork(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Work>(info, "Work", id);
}

/** `works(filter)`: newest record first; the title contains `search` (case-insensitive), of the types, by the outlet. */
export function listWorks(ctx: Context, args: PageArgs & { filter?: WorkFilter | null }, info: GraphQLResolveInfo) {
  const search = args.filter?.search ? parseInput(workSearch, args.filter.search, "filter.search") : null;
  const conditions = [Prisma.sql`TRUE`];
  if (search) conditions.push(Prisma.sql`w.title ILIKE ${`%${search.replace(/[\\%_]/g, "\\$&")}%`}`);
  if (args.filter?.type?.length) conditions.push(Prisma.sql`w.type = ANY(${args.filter.type}::"WorkType"[])`);
  if (args.filter?.outletSourceId) conditions.push(Prisma.sql`w.outlet_source_id = ${args.filter.outletSourceId}::uuid`);
  recordScope(ctx, "list:Work");
  return ctx.planner.connection<Work>(info, "Work", "w", args, () => Prisma.join(conditions, " AND "));
}

/** A work's external id is unique: CONFLICT naming the work that has it. */
async function assertExternalIdFree(tx: Tx, externalId: string | null | undefined, exceptId?: string) {
  if (!externalId) return;
  const owner = await tx.work.findUnique({ where: { externalId }, select: { id: true, title: true } });
  if (owner && owner.id !== exceptId) {
    throw conflict(`The external id "${externalId}" already identifies the work "${owner.title}" (${owner.id})`, { field: "input.externalId", reason: "DUPLICATE_EXTERNAL_ID", existingId: owner.id });
  }
}

export async function createWork(ctx: Context, rawInput: CreateWorkInput) {
  const input = parseInput(createWorkInput, rawInput);
  const viewer = assertCanCreateWork(ctx);
  return gate(ctx, {
    lock: nothingToLock,
    authorise: () => viewer,
    async write({ tx, audit }) {
      await assertExternalIdFree(tx, input.externalId);
      const outletSource = input.outletSourceId ? await requireOutletSource(tx, input.outletSourceId, "input.outletSourceId") : null;
      const { at, precision } = partialDateColumns(input.publicationDate ?? null);
      const work = await tx.work.create({
        data: {
          type: input.type ?? "NEWS_REPORT",
          title: input.title,
          outlet: input.outlet !== undefined ? input.outlet : (outletSource?.name ?? null),
          outletSourceId: outletSource?.id ?? null,
          url: input.url ?? null,
          language: input.language ?? null,
          publishedAt: at,
          publishedPrecision: precision,
          externalId: input.externalId ?? null,
          note: input.note ?? null,
        },
      });
      await audit({ entity: "Work", entityId: work.id, action: "CREATE", after: work });
      return work;
    },
  });
}

export async function updateWork(ctx: Context, rawInput: UpdateWorkInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateWorkInput, rawInput);
  const viewer = assertCanUpdateWork(ctx);
  return gate(ctx, {
    lock: (tx) => lockVersionedRow(tx, "work", id, expectedVersion, "update"),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      await assertExternalIdFree(tx, changes.externalId, id);
      const outletSource = changes.outletSourceId ? await requireOutletSource(tx, changes.outletSourceId, "input.outletSourceId") : null;
      const date = changes.publicationDate !== undefined ? partialDateColumns(changes.publicationDate) : null;
      const after = await updateVersionedRow(tx, "work", before, {
        ...(changes.type ? { type: changes.type } : {}),
        ...(changes.title ? { title: changes.title } : {}),
        ...(changes.outlet !== undefined ? { outlet: changes.outlet } : outletSource ? { outlet: outletSource.name } : {}),
        ...(changes.outletSourceId !== undefined ? { outletSourceId: changes.outletSourceId } : {}),
        ...(changes.url !== undefined ? { url: changes.url } : {}),
        ...(changes.language !== undefined ? { language: changes.language } : {}),
        ...(date ? { publishedAt: date.at, publishedPrecision: date.precision } : {}),
        ...(changes.externalId !== undefined ? { externalId: changes.externalId } : {}),
        ...(changes.note !== undefined ? { note: changes.note } : {}),
      });
      await audit({ entity: "Work", entityId: id, action: "UPDATE", before, after });
      return after;
    },
  });
}

export async function deleteWork(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  const viewer = assertCanDeleteWork(ctx);
  return gate(ctx, {
    lock: (tx) => lockVersionedRow(tx, "work", id, expectedVersion, "delete"),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      const [claims, attributions, responses, conduits] = await Promise.all([
        tx.claim.count({ where: { originWorkId: id } }),
        tx.attribution.count({ where: { workId: id } }),
        tx.response.count({ where: { workId: id } }),
        tx.responseConduit.count({ where: { workId: id } }),
      ]);
      if (claims || attributions || responses || conduits) {
        throw conflict(
          `Work ${id} is still cited by ${claims} claim(s), ${attributions} attribution(s), ${responses} response(s) and ${conduits} response conduit(s); remove those citations first`,
          { reason: "REFERENCED", claims, attributions, responses, conduits },
        );
      }
      await deleteVersionedRow(tx, "work", before);
      await audit({ entity: "Work", entityId: id, action: "DELETE", before });
      return { id };
    },
  });
}
