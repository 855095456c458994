import { z } from "zod";
import { ClaimKind } from "../../generated/prisma/enums";
import { expectedVersion, optionalText, requiredText, uuid } from "../../shared/validation";

const quantity = z.object({
  value: z.number().refine(Number.isFinite, "must be a finite number"),
  unit: requiredText(100),
  subject: optionalText(300),
  period: optionalText(100),
});

const anchor = z.object({
  start: z.number().int("must be an integer").min(0, "must not be negative"),
  end: z.number().int("must be an integer").min(1, "must be positive"),
  exact: z.string().min(1, "must not be empty").max(5000, "must be at most 5000 characters"),
});

const claimFields = {
  statement: requiredText(1000),
  kind: z.enum(ClaimKind).nullish(),
  quote: z.string().max(5000, "must be at most 5000 characters").nullish(),
  anchor: anchor.nullish(),
  quantity: quantity.nullish(),
  position: z.number().int().min(0, "must not be negative").max(100_000).nullish(),
  originWorkId: uuid.nullish(),
};

export const createClaimInput = z.object({ articleId: uuid, ...claimFields });

export const updateClaimInput = z.object({
  id: uuid,
  expectedVersion,
  ...claimFields,
  statement: claimFields.statement.optional(),
});
