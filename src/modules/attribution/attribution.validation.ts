import { z } from "zod";
import { AnonymityLevel, AttributionRole, AttributionStatus } from "../../generated/prisma/enums";
import { expectedVersion, optionalText, uuid } from "../../shared/validation";

/** What the publication says about the source: status, anonymity, caveat, capacity, work, quote. */
const presentationFields = {
  status: z.enum(AttributionStatus).nullish(),
  anonymity: z.enum(AnonymityLevel).nullish(),
  anonymityReason: optionalText(500),
  anonymityReasonNotStated: z.boolean().nullish(),
  caveat: optionalText(1000),
  capacityId: uuid.nullish(),
  workId: uuid.nullish(),
  quote: optionalText(5000),
};

const attributionFields = {
  role: z.enum(AttributionRole),
  ...presentationFields,
  viaId: uuid.nullish(),
};

export const attributeClaimInput = z.object({ claimId: uuid, sourceId: uuid, ...attributionFields });

export const updateAttributionInput = z.object({
  id: uuid,
  expectedVersion,
  ...attributionFields,
  role: attributionFields.role.optional(),
});

const MAX_CLAIMS_PER_CHAIN_CALL = 200;
const MAX_CHAIN_LINKS = 10;

const attributionLink = z.object({ sourceId: uuid, role: z.enum(AttributionRole), ...presentationFields });

export const attributeClaimsInput = z
  .object({
    claimIds: z
      .array(uuid)
      .min(1, "must name at least one claim")
      .max(MAX_CLAIMS_PER_CHAIN_CALL, `must name at most ${MAX_CLAIMS_PER_CHAIN_CALL} claims`),
    chain: z.array(attributionLink).min(1, "must have at least one link").max(MAX_CHAIN_LINKS, `must have at most ${MAX_CHAIN_LINKS} links`),
  })
  .superRefine((input, ctx) => {
    const seenClaims = new Map<string, number>();
    input.claimIds.forEach((id, index) => {
      const first = seenClaims.get(id);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["claimIds", index], message: `repeats claimIds.${first}` });
      else seenClaims.set(id, index);
    });
    const seenLinks = new Map<string, number>();
    input.chain.forEach((link, index) => {
      const key = `${link.sourceId}/${link.role}`;
      const first = seenLinks.get(key);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["chain", index], message: `repeats the source and role of chain.${first}` });
      else seenLinks.set(key, index);
    });
  });
