import { z } from "zod";
import { SourceKind } from "../../generated/prisma/enums";
import { expectedVersion, optionalText, optionalUrl, requiredText, uuid } from "../../shared/validation";

/** An identifier in another system (Q57, wikidata:Q57, reuters:2024-04-13/abc); "" clears it. */
export const externalId = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9:._\/-]*$/, "must be an identifier such as Q57 or wikidata:Q57")
  .nullish()
  .or(z.literal("").transform(() => null));

const sourceFields = {
  kind: z.enum(SourceKind),
  name: requiredText(300),
  description: optionalText(2000),
  url: optionalUrl,
  externalId,
  identityNote: optionalText(5000),
  distinctFrom: z.array(uuid).max(100, "must list at most 100 ids").nullish(),
};

export const createSourceInput = z.object(sourceFields);

export const updateSourceInput = z.object({
  id: uuid,
  expectedVersion,
  ...sourceFields,
  kind: sourceFields.kind.optional(),
  name: sourceFields.name.optional(),
});

/** `upsertSource`: a new source's fields (the key: externalId, else name and kind), and an optional expectedVersion. */
export const upsertSourceInput = z.object({ ...sourceFields, expectedVersion: expectedVersion.nullish() });

export const sourceNameFilter = z.string().trim().max(300, "must be at most 300 characters");
