import { z } from "zod";
import { optionalText, uuid } from "../../shared/validation";

const RATINGS = ["UNVERIFIED", "SUPPORTED", "MOSTLY_SUPPORTED", "MISLEADING", "DISPUTED", "REFUTED", "UNPROVABLE"] as const;

export const recordVerdictInput = z.object({
  claimId: uuid,
  rating: z.enum(RATINGS),
  rationale: optionalText(5000),
});
