import { z } from "zod";
import { ResponseStance } from "../../generated/prisma/enums";
import { expectedVersion, optionalText, requiredText, uuid } from "../../shared/validation";

const claimIds = z
  .array(uuid)
  .min(1, "must name at least one claim")
  .max(200, "must name at most 200 claims")
  .transform((ids) => [...new Set(ids)]);

const rebuttalFields = {
  sourceId: uuid,
  claimIds,
  stance: z.enum(ResponseStance),
  text: requiredText(5000),
  quote: optionalText(5000),
  onRecord: z.boolean().nullish(),
  madeAt: z.date().nullish(),
};

export const createRebuttalInput = z.object(rebuttalFields);

export const updateRebuttalInput = z.object({
  id: uuid,
  expectedVersion,
  sourceId: rebuttalFields.sourceId.nullish(),
  claimIds: rebuttalFields.claimIds.nullish(),
  stance: rebuttalFields.stance.nullish(),
  text: rebuttalFields.text.optional(),
  quote: rebuttalFields.quote,
  onRecord: rebuttalFields.onRecord,
  madeAt: rebuttalFields.madeAt,
});
