import { z } from "zod";
import type { PartialDateValue } from "../../shared/partial-date";
import { expectedVersion, requiredText, uuid } from "../../shared/validation";

/** A PartialDate input, already parsed by the scalar (src/graphql/partial-date.ts); null clears it. */
export const partialDateInput = z
  .custom<PartialDateValue>((value) => typeof value === "object" && value !== null && (value as PartialDateValue).at instanceof Date, "must be a partial date")
  .nullish();

const affiliationFields = {
  personId: uuid,
  organizationId: uuid,
  title: requiredText(300),
  startDate: partialDateInput,
  endDate: partialDateInput,
};

export const createAffiliationInput = z.object(affiliationFields);

export const updateAffiliationInput = z.object({
  id: uuid,
  expectedVersion,
  personId: uuid.optional(),
  organizationId: uuid.optional(),
  title: affiliationFields.title.optional(),
  startDate: partialDateInput,
  endDate: partialDateInput,
});

/** The first instant after the period a partial date names (2013 -> 2014-01-01); an instant is its own end. */
function periodEnd({ at, precision }: PartialDateValue): Date {
  const end = new Date(at.getTime());
  if (precision === "YEAR") end.setUTCFullYear(end.getUTCFullYear() + 1);
  else if (precision === "MONTH") end.setUTCMonth(end.getUTCMonth() + 1);
  else if (precision === "DAY") end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

/**
 * Whether `end` is certainly before `start`: its whole period ends before `start` begins. An end
 * of "2013" is not before a start of "2013-05" (the post may have ended in December 2013).
 */
export function endsBeforeStart(start: PartialDateValue | null, end: PartialDateValue | null): boolean {
  if (!start || !end) return false;
  return end.precision === "INSTANT" ? end.at.getTime() < start.at.getTime() : periodEnd(end).getTime() <= start.at.getTime();
}
