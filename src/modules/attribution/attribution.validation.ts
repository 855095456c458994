import { z } from "zod";
import { expectedVersion, optionalText, uuid } from "../../shared/validation";

const ROLES = ["CLAIMANT", "CONDUIT", "EVIDENCE", "CONTEXT"] as const;
const ANONYMITY = ["NAMED", "PARTIAL", "ANONYMOUS"] as const;

const attributionFields = {
  role: z.enum(ROLES),
  anonymity: z.enum(ANONYMITY).nullish(),
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
