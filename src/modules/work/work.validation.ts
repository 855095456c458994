import { z } from "zod";
import { WorkType } from "../../generated/prisma/enums";
import { expectedVersion, languageTag, optionalText, optionalUrl, requiredText, uuid } from "../../shared/validation";
import { partialDateInput } from "../affiliation/affiliation.validation";
import { externalId } from "../source/source.validation";

const workFields = {
  type: z.enum(WorkType).nullish(),
  title: requiredText(500),
  outlet: optionalText(200),
  outletSourceId: uuid.nullish(),
  url: optionalUrl,
  language: languageTag.nullish().or(z.literal("").transform(() => null)),
  publicationDate: partialDateInput,
  externalId,
  note: optionalText(2000),
};

export const createWorkInput = z.object(workFields);

export const updateWorkInput = z.object({
  id: uuid,
  expectedVersion,
  ...workFields,
  title: workFields.title.optional(),
});

export const workSearch = z.string().trim().max(300, "must be at most 300 characters");
