import { z } from "zod";
import { ClaimRelationKind } from "../../generated/prisma/enums";
import { optionalText, uuid } from "../../shared/validation";

export const relateClaimsInput = z
  .object({
    fromClaimId: uuid,
    toClaimId: uuid,
    kind: z.enum(ClaimRelationKind),
    note: optionalText(1000),
  })
  .refine((input) => input.fromClaimId !== input.toClaimId, { path: ["toClaimId"], message: "must be another claim than fromClaimId: a claim cannot relate to itself" });

export const unrelateClaimsInput = z.object({ id: uuid });
