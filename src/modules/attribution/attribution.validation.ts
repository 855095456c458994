import { z } from "zod";
import { AnonymityLevel, AttributionRole } from "../../generated/prisma/enums";
import { expectedVersion, optionalText, uuid } from "../../shared/validation";

const attributionFields = {
  role: z.enum(AttributionRole),
  anonymity: z.enum(AnonymityLevel).nullish(),
  anonymityReason: optionalText(500),
  quote: optionalText(5000),
  viaId: uuid.nullish(),
};

export const attributeClaimInput = z.object({ claimId: uuid, sourceId: uuid, ...attributionFields });

export const updateAttributionInput = z.object({
  id: uuid,
  expectedVersion,
  ...attributionFields,
  role: attributionFields.role.optional(),
});
