import { z } from "zod";
import { Role } from "../../generated/prisma/enums";
import { requiredText, uuid } from "../../shared/validation";
import { MIN_PASSWORD_LENGTH } from "./user.password";

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, "must be at most 320 characters")
  .pipe(z.email("must be an email address"));

const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "must be at most 200 characters");

export const signInInput = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().max(200) });

export const createUserInput = z.object({ email, name: requiredText(200), role: z.enum(Role), password });

export const updateUserInput = z.object({
  id: uuid,
  name: requiredText(200).optional(),
  role: z.enum(Role).nullish(),
  active: z.boolean().nullish(),
  password: password.optional(),
});

export const issueApiTokenInput = z.object({
  userId: uuid,
  name: requiredText(200),
  expiresAt: z.date().refine((date) => date.getTime() > Date.now(), "must be in the future").nullish(),
});
