import { z } from "zod";
import { AnonymityLevel, ResponseStance } from "../../generated/prisma/enums";
import { expectedVersion, optionalText, requiredText, uuid } from "../../shared/validation";

/** A PartialDate input as the scalar parsed it ({ at, precision }); null clears it. */
const partialDate = z.object({ at: z.date(), precision: z.enum(["YEAR", "MONTH", "DAY", "INSTANT"]) }).nullish();

const answer = z
  .object({
    claimId: uuid.nullish(),
    attributionId: uuid.nullish(),
    stance: z.enum(ResponseStance),
    quote: optionalText(5000),
  })
  .superRefine((value, issues) => {
    if ((value.claimId == null) === (value.attributionId == null)) {
      issues.addIssue({ code: "custom", message: "must name exactly one of claimId and attributionId" });
    }
  });

export type AnswerInput = z.output<typeof answer>;

const answers = z
  .array(answer)
  .min(1, "must give at least one answer")
  .max(200, "must give at most 200 answers")
  .superRefine((list, issues) => {
    const seen = new Map<string, number>();
    list.forEach((item, index) => {
      const target = item.claimId ? `claim ${item.claimId}` : item.attributionId ? `attribution ${item.attributionId}` : null;
      if (!target) return;
      const first = seen.get(target);
      if (first !== undefined) issues.addIssue({ code: "custom", path: [index], message: `answers the same ${target.split(" ")[0]} as answer ${first}: each target at most once` });
      else seen.set(target, index);
    });
  });

const conduits = z.array(z.object({ sourceId: uuid, workId: uuid.nullish() })).max(20, "must name at most 20 conduits");

const responseFields = {
  respondentId: uuid,
  capacityId: uuid.nullish(),
  anonymity: z.enum(AnonymityLevel).nullish(),
  anonymityReason: optionalText(500),
  anonymityReasonNotStated: z.boolean().nullish(),
  caveat: optionalText(1000),
  conduits: conduits.nullish(),
  occasion: optionalText(300),
  place: optionalText(300),
  madeOn: partialDate,
  workId: uuid.nullish(),
  text: requiredText(5000),
  quote: optionalText(5000),
  onRecord: z.boolean().nullish(),
  answers,
};

export const recordResponseInput = z.object(responseFields);

export const updateResponseInput = z.object({
  id: uuid,
  expectedVersion,
  ...responseFields,
  respondentId: uuid.nullish(),
  text: responseFields.text.optional(),
  answers: answers.nullish(),
});

/* The deprecated rebuttal inputs: one stance for every claim. */

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
