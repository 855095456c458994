import { z } from "zod";
import { badInput } from "./errors";

/**
 * Parses a mutation input with a zod schema; every problem becomes one BAD_USER_INPUT error that
 * names the offending fields (`input.title: must not be empty`).
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, root = "input"): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw badInput(
    result.error.issues.map((issue) => ({
      field: [root, ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  );
}

/** Trimmed, non-empty, bounded text. */
export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`);

/** Optional text: null clears it, an empty string is stored as null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .transform((value) => (value === "" ? null : value))
    .nullish();

export const httpUrl = z
  .string()
  .trim()
  .max(2048, "must be at most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.includes(".");
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL");

export const optionalUrl = httpUrl.nullish().or(z.literal("").transform(() => null));

export const uuid = z.uuid("must be a valid id");

export const expectedVersion = z.number().int().min(1, "must be a version number (1 or more)");

/** BCP 47 language tag, loosely: "en", "de", "pt-BR", "zh-Hant". */
export const languageTag = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "must be a language tag such as en, de or pt-BR")
  .max(35);

export function isUuid(value: string): boolean {
  return uuid.safeParse(value).success;
}

/** The input of a delete or a workflow step: an id and the version the editor last saw. */
export const versionedId = z.object({ id: uuid, expectedVersion });
