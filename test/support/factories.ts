import { randomUUID } from "node:crypto";
import {
  AttributeClaimDocument,
  CreateAffiliationDocument,
  CreateWorkDocument,
  type CreateAffiliationInput,
  type CreateWorkInput,
  CreateArticleDocument,
  CreateClaimDocument,
  CreateRebuttalDocument,
  CreateSourceDocument,
  RelateClaimsDocument,
  type AttributeClaimInput,
  type CreateArticleInput,
  type CreateClaimInput,
  type CreateRebuttalInput,
  type CreateSourceInput,
  type RelateClaimsInput,
  type SourceKind,
} from "../generated/operations";
import { gqlAs, gqlOkAs, onlyError, type Actor, type GqlResult } from "./client";
import { databaseSnapshot } from "./environment";

/** The setup the tests share: each writes through the API (audited, versioned) as `actor`, an EDITOR unless told. */

export async function createArticle(input: Partial<CreateArticleInput> = {}, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, CreateArticleDocument, { input: { title: "China fills Russia's war gaps", body: "Text.", ...input } })).createArticle;
}

export async function createClaim(input: CreateClaimInput, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, CreateClaimDocument, { input })).createClaim;
}

/** A new article (a unique title unless given) with one claim per statement, in that order. */
export async function createArticleWithClaims(statements: string[], article: Partial<CreateArticleInput> = {}) {
  const created = await createArticle({ title: `Article ${randomUUID()}`, body: "Some text.", ...article });
  const claims = [];
  for (const statement of statements) claims.push(await createClaim({ articleId: created.id, statement }));
  return { article: created, claims };
}

/**
 * Creates a source as `actor`. Tests reuse names across cases (one database per worker): a name and
 * kind that already exist make a new, distinct source (`distinctFrom`), as an editor would say.
 */
export async function createSource(name: string, kind: SourceKind = "NEWS_AGENCY", extra: Omit<Partial<CreateSourceInput>, "name" | "kind"> = {}, actor: Actor = "EDITOR") {
  const distinctFrom = [...(extra.distinctFrom ?? [])];
  for (;;) {
    const result = await gqlAs(actor, CreateSourceDocument, { input: { kind, name, ...extra, ...(distinctFrom.length ? { distinctFrom } : {}) } });
    const extensions = result.errors?.[0]?.extensions;
    const existingId = extensions?.["existingId"];
    if (extensions?.["reason"] === "DUPLICATE_NAME" && typeof existingId === "string" && !distinctFrom.includes(existingId) && distinctFrom.length < 50) {
      distinctFrom.push(existingId);
      continue;
    }
    if (result.errors?.length) throw new Error(`expected success, got: ${JSON.stringify(result.errors, null, 2)}`);
    return result.data!.createSource;
  }
}

export async function attribute(input: AttributeClaimInput, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, AttributeClaimDocument, { input })).attributeClaim;
}

export async function createRebuttal(input: CreateRebuttalInput, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, CreateRebuttalDocument, { input })).createRebuttal;
}

/** Runs a failing operation and checks it left every table exactly as it was; returns its one error. */
export async function failsWithoutChange(run: () => Promise<GqlResult<unknown>>) {
  const before = await databaseSnapshot();
  const error = onlyError(await run());
  expect(await databaseSnapshot()).toEqual(before);
  return error;
}

export async function createWork(input: Partial<CreateWorkInput> = {}, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, CreateWorkDocument, { input: { title: `Work ${randomUUID()}`, ...input } })).createWork;
}

export async function createAffiliation(input: CreateAffiliationInput, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, CreateAffiliationDocument, { input })).createAffiliation;
}

/** Relates two claims (src/modules/claim-relation) as `actor`. */
export async function relate(input: RelateClaimsInput, actor: Actor = "EDITOR") {
  return (await gqlOkAs(actor, RelateClaimsDocument, { input })).relateClaims;
}
