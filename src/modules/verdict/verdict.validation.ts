import { z } from "zod";
import { VerdictRating } from "../../generated/prisma/enums";
import { optionalText, optionalUrl, uuid } from "../../shared/validation";

export const recordVerdictInput = z.object({
  claimId: uuid,
  rating: z.enum(VerdictRating),
  rationale: optionalText(5000),
  reviewUrl: optionalUrl,
});
