import { z } from "zod";
import { WorkType } from "../../generated/prisma/enums";
import { expectedVersion, httpUrl, languageTag, optionalText, requiredText, uuid } from "../../shared/validation";
import { partialDateInput } from "../affiliation/affiliation.validation";
import { externalId } from "../source/source.validation";

const MAX_BODY_LENGTH = 200_000;

const slug = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase letters, digits and single hyphens (e.g. china-fills-gaps)");

const body = z.string().max(MAX_BODY_LENGTH, `must be at most ${MAX_BODY_LENGTH} characters`);

const articleFields = {
  title: requiredText(300),
  slug: slug.nullish(),
  summary: optionalText(2000),
  body: body.nullish(),
  language: languageTag.nullish(),
  outlet: optionalText(200),
  url: httpUrl.nullish(),
  type: z.enum(WorkType).nullish(),
  outletSourceId: uuid.nullish(),
  publicationDate: partialDateInput,
  /** Deprecated: an instant, stored with INSTANT precision. */
  publishedAt: z.date().nullish(),
  externalId,
};

/** publishedAt (deprecated) and publicationDate say the same thing: one of them, not both. */
function oneDate(input: { publishedAt?: unknown; publicationDate?: unknown }, context: z.RefinementCtx) {
  if (input.publishedAt !== undefined && input.publicationDate !== undefined) {
    context.addIssue({ code: "custom", path: ["publicationDate"], message: "give publicationDate or the deprecated publishedAt, not both" });
  }
}

export const createArticleInput = z.object(articleFields).superRefine(oneDate);

export const updateArticleInput = z
  .object({
    id: uuid,
    expectedVersion,
    ...articleFields,
    title: articleFields.title.optional(),
  })
  .superRefine(oneDate);

/**
 * `upsertArticle`: the fields of a new article, keyed by `externalId` and/or `slug` (at least
 * one), with an optional `expectedVersion` for the update of an existing one.
 */
export const upsertArticleInput = z
  .object({ ...articleFields, expectedVersion: expectedVersion.nullish() })
  .superRefine(oneDate)
  .refine((input) => input.externalId != null || input.slug != null, { message: "give externalId or slug (the key of the article)", path: ["externalId"] });

export const articleLookup = z
  .object({ id: z.string().nullish(), slug: z.string().max(200).nullish() })
  .refine((args) => (args.id == null) !== (args.slug == null), { message: "give exactly one of id or slug", path: ["id"] });

export const returnArticleInput = z.object({ id: uuid, expectedVersion, reason: requiredText(2000) });
