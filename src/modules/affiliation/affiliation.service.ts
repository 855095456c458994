import type { GraphQLResolveInfo } from "graphql";
import type { Affiliation } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { CreateAffiliationInput, DeleteInput, UpdateAffiliationInput } from "../../generated/graphql";
import { badInput, conflict, notFound } from "../../shared/errors";
import { partialDateColumns, type DatePrecision, type PartialDateValue } from "../../shared/partial-date";
import { parseInput, versionedId } from "../../shared/validation";
import { gate, nothingToLock } from "../../shared/write-gate";
import { deleteVersionedRow, lockVersionedRow, updateVersionedRow } from "../work/versioned-row";
import { assertCanCreateAffiliation, assertCanDeleteAffiliation, assertCanUpdateAffiliation } from "./affiliation.policy";
import { createAffiliationInput, endsBeforeStart, updateAffiliationInput } from "./affiliation.validation";

const PERSON_KINDS = ["PERSON", "UNNAMED_PERSON"];

/** `affiliation(id)`: the post with the tree the query selects, or null (also when its person is hidden from the viewer). */
export function getAffiliation(ctx: Context, id: string, info: GraphQLResolveInfo) {
  return ctx.planner.byId<Affiliation>(info, "Affiliation", id);
}

async function sourceKind(tx: Tx, id: string, field: string) {
  const source = await tx.source.findUnique({ where: { id }, select: { id: true, kind: true, name: true } });
  if (!source) throw notFound("Source", id, field);
  return source;
}

/** The rules of a post, on the values it would have: a person, an organisation that is not one, dates in order. */
async function assertValidPost(tx: Tx, post: { personId: string; organizationId: string; start: PartialDateValue | null; end: PartialDateValue | null }) {
  const person = await sourceKind(tx, post.personId, "input.personId");
  const organization = await sourceKind(tx, post.organizationId, "input.organizationId");
  if (!PERSON_KINDS.includes(person.kind)) throw badInput("input.personId", `must be a PERSON or UNNAMED_PERSON source; "${person.name}" is a ${person.kind}`);
  if (person.id === organization.id) throw badInput("input.organizationId", "must not be the person");
  if (PERSON_KINDS.includes(organization.kind)) throw badInput("input.organizationId", `must be an organisation, not a person; "${organization.name}" is a ${organization.kind}`);
  if (endsBeforeStart(post.start, post.end)) throw badInput("input.endDate", "must not be before startDate");
}

function storedDate(at: Date | null, precision: DatePrecision | null): PartialDateValue | null {
  return at ? { at, precision: precision ?? "INSTANT" } : null;
}

function dateColumns(start: PartialDateValue | null | undefined, end: PartialDateValue | null | undefined) {
  const data: Partial<Pick<Affiliation, "startedAt" | "startedPrecision" | "endedAt" | "endedPrecision">> = {};
  if (start !== undefined) {
    const { at, precision } = partialDateColumns(start);
    Object.assign(data, { startedAt: at, startedPrecision: precision });
  }
  if (end !== undefined) {
    const { at, precision } = partialDateColumns(end);
    Object.assign(data, { endedAt: at, endedPrecision: precision });
  }
  return data;
}

export async function createAffiliation(ctx: Context, rawInput: CreateAffiliationInput) {
  const input = parseInput(createAffiliationInput, rawInput);
  const viewer = assertCanCreateAffiliation(ctx);
  return gate(ctx, {
    lock: nothingToLock,
    authorise: () => viewer,
    async write({ tx, audit }) {
      await assertValidPost(tx, { personId: input.personId, organizationId: input.organizationId, start: input.startDate ?? null, end: input.endDate ?? null });
      const affiliation = await tx.affiliation.create({
        data: { personId: input.personId, organizationId: input.organizationId, title: input.title, ...dateColumns(input.startDate ?? null, input.endDate ?? null) },
      });
      await audit({ entity: "Affiliation", entityId: affiliation.id, action: "CREATE", after: affiliation });
      return affiliation;
    },
  });
}

/** An affiliation belongs to no article: its rules depend on the viewer's role only, checked before any lookup. */
export async function updateAffiliation(ctx: Context, rawInput: UpdateAffiliationInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateAffiliationInput, rawInput);
  const viewer = assertCanUpdateAffiliation(ctx);
  return gate(ctx, {
    lock: (tx) => lockVersionedRow(tx, "affiliation", id, expectedVersion, "update"),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      await assertValidPost(tx, {
        personId: changes.personId ?? before.personId,
        organizationId: changes.organizationId ?? before.organizationId,
        start: changes.startDate !== undefined ? changes.startDate : storedDate(before.startedAt, before.startedPrecision),
        end: changes.endDate !== undefined ? changes.endDate : storedDate(before.endedAt, before.endedPrecision),
      });
      const after = await updateVersionedRow(tx, "affiliation", before, {
        ...(changes.personId ? { personId: changes.personId } : {}),
        ...(changes.organizationId ? { organizationId: changes.organizationId } : {}),
        ...(changes.title ? { title: changes.title } : {}),
        ...dateColumns(changes.startDate, changes.endDate),
      });
      await audit({ entity: "Affiliation", entityId: id, action: "UPDATE", before, after });
      return after;
    },
  });
}

export async function deleteAffiliation(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  const viewer = assertCanDeleteAffiliation(ctx);
  return gate(ctx, {
    lock: (tx) => lockVersionedRow(tx, "affiliation", id, expectedVersion, "delete"),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      const [attributions, responses] = await Promise.all([tx.attribution.count({ where: { capacityId: id } }), tx.response.count({ where: { capacityId: id } })]);
      if (attributions || responses) {
        throw conflict(`Affiliation ${id} is the capacity of ${attributions} attribution(s) and ${responses} response(s); change those first`, {
          reason: "REFERENCED",
          attributions,
          responses,
        });
      }
      await deleteVersionedRow(tx, "affiliation", before);
      await audit({ entity: "Affiliation", entityId: id, action: "DELETE", before });
      return { id };
    },
  });
}
