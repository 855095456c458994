import type { GraphQLResolveInfo } from "graphql";
import { type Article, Prisma } from "../../generated/prisma/client";
import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import { partialDateColumns, type PartialDateValue } from "../../shared/partial-date";
import { requireOutletSource } from "../source/source.service";
import type { z } from "zod";
import type { ArticleFilter, ArticleOrder, ArticleOrderField, CreateArticleInput, DeleteInput, UpdateArticleInput, UpsertArticleInput } from "../../generated/graphql";
import type { Viewer } from "../../shared/viewer";
import type { AuditChange } from "../../shared/audit";
import { requireViewer } from "../../shared/access";
import { conflict, notFound } from "../../shared/errors";
import { orderOf, type OrderKeySpec, type PageArgs } from "../../shared/pagination";
import { recordScope } from "../../shared/read-tags";
import { isUuid, parseInput, versionedId } from "../../shared/validation";
import { lockArticle } from "../../shared/locks";
import { deleteVersioned, gate, lockEntity, lockVersioned, nothingToLock, updateVersioned } from "../../shared/write-gate";
import { relocateAnchors } from "../claim/claim.anchor";
import { deleteResponsesLeftWithoutAnswers, responsesAnsweringArticle } from "../response/response.service";
import { assertCanCreateArticle, assertCanDeleteArticle, assertCanEditArticleContent } from "./article.policy";
import { articleLookup, createArticleInput, updateArticleInput, upsertArticleInput } from "./article.validation";
import { uniqueSlugFromTitle } from "./article.slug";
import { prepareClaimDeletion } from "../claim-relation/claim-relation.clusters";

/** One article by id or slug, with the tree the query selects, or null when it does not exist or the viewer may not see it. */
export async function getArticle(ctx: Context, args: { id?: string | null; slug?: string | null }, info: GraphQLResolveInfo) {
  const { id, slug } = parseInput(articleLookup, args, "args");
  if (id) return ctx.planner.byId<Article>(info, "Article", id);
  const article = await ctx.planner.one<Article>(info, "Article", "a", (a) => Prisma.sql`${Prisma.raw(a)}.slug = ${slug}`);
  // Not found: any article may take that slug (or be published with it) later.
  if (!article) recordScope(ctx, "list:Article");
  return article;
}

/** The article, or NOT_FOUND (also when the viewer may not see it: "may not exist"). */
export async function requireArticle(ctx: Context, id: string, field?: string) {
  const article = isUuid(id) ? await ctx.loaders.articleById.load(id) : null;
  if (!article) throw notFound("Article", id, field);
  return article;
}

/**
 * The filter of `articles(filter)`, as one SQL condition over `article a` (the planner adds the
 * viewer's visibility; what Prisma's `findMany` filter was): statuses, outlet (case-insensitive equality), language,
 * publication range [after, before), and "a claim that is attributed to `sourceId` and/or whose
 * current verdict is `verdict`" (one claim meeting both).
 */
function articleListSql(filter: ArticleFilter | null | undefined): Prisma.Sql {
  const conditions = [Prisma.sql`TRUE`];
  if (filter?.status?.length) conditions.push(Prisma.sql`a.status = ANY(${filter.status}::"ArticleStatus"[])`);
  if (filter?.outlet) conditions.push(Prisma.sql`a.outlet ILIKE ${filter.outlet}`); // as Prisma sends `equals` + `mode: "insensitive"`
  if (filter?.language) conditions.push(Prisma.sql`a.language = ${filter.language}`);
  if (filter?.publishedAfter) conditions.push(Prisma.sql`a.published_at >= ${filter.publishedAfter}::timestamptz`);
  if (filter?.publishedBefore) conditions.push(Prisma.sql`a.published_at < ${filter.publishedBefore}::timestamptz`);
  if (filter?.sourceId || filter?.verdict) {
    const claimConditions = [Prisma.sql`c.article_id = a.id`];
    if (filter.sourceId) claimConditions.push(Prisma.sql`EXISTS (SELECT 1 FROM attribution t WHERE t.claim_id = c.id AND t.source_id = ${filter.sourceId}::uuid)`);
    if (filter.verdict) claimConditions.push(Prisma.sql`c.current_rating = ${filter.verdict}::"VerdictRating"`);
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM claim c WHERE ${Prisma.join(claimConditions, " AND ")})`);
  }
  return Prisma.join(conditions, " AND ");
}

/** The keys `articles(orderBy:)` offers (indexed: migration 20261130091000_list_orders). */
const ARTICLE_ORDER_KEYS: Record<ArticleOrderField, OrderKeySpec> = {
  PUBLISHED_AT: { column: "$.published_at", type: "timestamptz", nullable: true },
  CREATED_AT: { column: "$.created_at", type: "timestamptz", nullable: false },
  TITLE: { column: "$.title", type: "text", nullable: false },
};

/** A page of articles in `orderBy` order (default created_at DESC, id DESC), with the tree selected and the count (when selected) in one statement. */
export async function listArticles(ctx: Context, args: PageArgs & { filter?: ArticleFilter | null; orderBy?: ArticleOrder | null }, info: GraphQLResolveInfo) {
  recordScope(ctx, "list:Article");
  // Filtered by what its claims say: the claims' writes change the list too.
  if (args.filter?.sourceId || args.filter?.verdict) recordScope(ctx, "list:Claim");
  return ctx.planner.connection<Article>(info, "Article", "a", args, () => articleListSql(args.filter), orderOf(ARTICLE_ORDER_KEYS, args.orderBy));
}

function slugTaken(slug: string) {
  return conflict(`The slug "${slug}" is already used by another article`, { field: "input.slug" });
}

/** An article's external id is unique: CONFLICT naming the article that has it. */
async function assertExternalIdFree(tx: Tx, externalId: string | null | undefined, exceptId?: string) {
  if (!externalId) return;
  const owner = await tx.article.findUnique({ where: { externalId }, select: { id: true, slug: true } });
  if (owner && owner.id !== exceptId) {
    throw conflict(`The external id "${externalId}" already identifies the article "${owner.slug}" (${owner.id})`, {
      field: "input.externalId",
      reason: "DUPLICATE_EXTERNAL_ID",
      existingId: owner.id,
    });
  }
}

/**
 * The publication date columns of an input: `publicationDate` with its precision, or the
 * deprecated `publishedAt` as an INSTANT; undefined when neither is given (null clears).
 */
function publicationColumns(input: { publicationDate?: PartialDateValue | null; publishedAt?: Date | null }) {
  if (input.publicationDate !== undefined) {
    const { at, precision } = partialDateColumns(input.publicationDate);
    return { publishedAt: at, publishedPrecision: precision };
  }
  if (input.publishedAt !== undefined) return { publishedAt: input.publishedAt, publishedPrecision: input.publishedAt ? ("INSTANT" as const) : null };
  return undefined;
}

type NewArticle = z.infer<typeof createArticleInput>;
type ArticleChanges = Omit<z.infer<typeof updateArticleInput>, "id" | "expectedVersion">;
type ArticleWrite = { tx: Tx; viewer: Viewer; audit: (change: AuditChange) => Promise<void> };

/** Inserts a new article and audits it (inside a gate's write step). */
async function insertArticle({ tx, viewer, audit }: ArticleWrite, input: NewArticle) {
  if (input.slug && (await tx.article.findUnique({ where: { slug: input.slug }, select: { id: true } }))) throw slugTaken(input.slug);
  await assertExternalIdFree(tx, input.externalId);
  const outletSource = input.outletSourceId ? await requireOutletSource(tx, input.outletSourceId, "input.outletSourceId") : null;
  const language = input.language ?? "en";
  const article = await tx.article.create({
    data: {
      slug: input.slug ?? (await uniqueSlugFromTitle(tx, input.title, language)),
      title: input.title,
      summary: input.summary ?? null,
      body: input.body ?? "",
      language,
      type: input.type ?? "NEWS_REPORT",
      outlet: input.outlet !== undefined ? input.outlet : (outletSource?.name ?? null),
      outletSourceId: outletSource?.id ?? null,
      url: input.url ?? null,
      ...(publicationColumns(input) ?? { publishedAt: null, publishedPrecision: null }),
      externalId: input.externalId ?? null,
      createdById: viewer.id,
    },
  });
  await audit({ entity: "Article", entityId: article.id, articleId: article.id, action: "CREATE", after: article });
  return article;
}

export async function createArticle(ctx: Context, rawInput: CreateArticleInput) {
  const viewer = assertCanCreateArticle(ctx);
  const input = parseInput(createArticleInput, rawInput);
  return gate(ctx, {
    lock: nothingToLock,
    authorise: () => viewer,
    write: (w) => insertArticle(w, input),
  });
}

/** Whether a stored value and a value to write are the same (dates by instant, undefined and null alike). */
function sameValue(stored: unknown, next: unknown): boolean {
  if (stored instanceof Date || next instanceof Date) {
    return stored instanceof Date && next instanceof Date ? stored.getTime() === next.getTime() : (stored ?? null) === (next ?? null);
  }
  return (stored ?? null) === (next ?? null);
}

/**
 * Applies changes to the article `id` (already locked by the gate, policy checked): slug and
 * external id uniqueness, the outlet source, the version (when `expectedVersion` is given), a
 * revision and relocated anchors when the body changes, the audit entry. With `onlyDiffering`,
 * fields equal to the stored ones are left out, and nothing at all is written (no version, no
 * audit) when none differs: the answer is then `changed: false` with the stored row.
 */
async function applyArticleChanges(
  ctx: Context,
  { tx, viewer, audit }: ArticleWrite,
  id: string,
  expectedVersion: number | null,
  changes: ArticleChanges,
  onlyDiffering: boolean,
): Promise<{ article: Article; changed: boolean }> {
  if (changes.slug) {
    const owner = await tx.article.findUnique({ where: { slug: changes.slug }, select: { id: true } });
    if (owner && owner.id !== id) throw slugTaken(changes.slug);
  }
  await assertExternalIdFree(tx, changes.externalId, id);
  const outletSource = changes.outletSourceId ? await requireOutletSource(tx, changes.outletSourceId, "input.outletSourceId") : null;
  const before = expectedVersion == null ? await lockEntity(tx, "article", id, "update") : await lockVersioned(tx, "article", id, expectedVersion, "update");
  let data: Prisma.ArticleUpdateManyMutationInput = {
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.slug != null ? { slug: changes.slug } : {}),
    ...(changes.summary !== undefined ? { summary: changes.summary } : {}),
    ...(changes.body != null ? { body: changes.body } : {}),
    ...(changes.language != null ? { language: changes.language } : {}),
    ...(changes.type != null ? { type: changes.type } : {}),
    ...(changes.outlet !== undefined ? { outlet: changes.outlet } : outletSource ? { outlet: outletSource.name } : {}),
    // The foreign key itself (updateMany takes it; the gate's type lists the plain columns only).
    ...(changes.outletSourceId !== undefined ? ({ outletSourceId: changes.outletSourceId } as Prisma.ArticleUpdateManyMutationInput) : {}),
    ...(changes.url !== undefined ? { url: changes.url } : {}),
    ...publicationColumns(changes),
    ...(changes.externalId !== undefined ? { externalId: changes.externalId } : {}),
  };
  if (onlyDiffering) {
    const stored = before as unknown as Record<string, unknown>;
    data = Object.fromEntries(Object.entries(data).filter(([field, value]) => !sameValue(stored[field], value)));
    if (Object.keys(data).length === 0) return { article: before, changed: false };
  }
  const after = await updateVersioned(tx, "article", before, data);
  if (before.body !== after.body) {
    await tx.articleRevision.create({
      data: { articleId: id, version: before.version, title: before.title, body: before.body, createdById: viewer.id },
    });
    await relocateAnchors(tx, ctx.viewer, id, after.body);
  }
  await audit({ entity: "Article", entityId: id, articleId: id, action: "UPDATE", before, after });
  return { article: after, changed: true };
}

export async function updateArticle(ctx: Context, rawInput: UpdateArticleInput) {
  requireViewer(ctx); // before any lookup: anonymous callers are told to sign in, whatever the id
  const { id, expectedVersion, ...changes } = parseInput(updateArticleInput, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticle(tx, id, "update"),
    authorise: (article) => assertCanEditArticleContent(ctx, article),
    write: async (w) => (await applyArticleChanges(ctx, w, id, expectedVersion, changes, false)).article,
  });
}

/** What an upsert did: created the row, changed it, or found it exactly as asked (nothing written). */
export type UpsertOutcome = "CREATED" | "UPDATED" | "UNCHANGED";

/**
 * The article an upsert is about: the one with the input's external id, else the one with its
 * slug. A slug held by an article with ANOTHER external id is a CONFLICT (it is not this article).
 */
async function articleByKey(tx: Tx, key: { externalId?: string | null; slug?: string | null }): Promise<string | null> {
  if (key.externalId) {
    const byExternalId = await tx.article.findUnique({ where: { externalId: key.externalId }, select: { id: true } });
    if (byExternalId) return byExternalId.id;
  }
  if (!key.slug) return null;
  const bySlug = await tx.article.findUnique({ where: { slug: key.slug }, select: { id: true, externalId: true } });
  if (!bySlug) return null;
  if (key.externalId && bySlug.externalId && bySlug.externalId !== key.externalId) {
    throw conflict(`The slug "${key.slug}" is used by the article with external id "${bySlug.externalId}", not "${key.externalId}"`, {
      field: "input.slug",
      reason: "SLUG_OF_ANOTHER_ARTICLE",
      existingId: bySlug.id,
    });
  }
  return bySlug.id;
}

/**
 * `upsertArticle`: creates the article found by neither key (as createArticle), or updates the one
 * found (as updateArticle: the same lock, policy, version check when `expectedVersion` is given,
 * revisions and audit), changing only the fields that differ; UNCHANGED when none does (no
 * version bump, no audit entry; the policy is still checked).
 */
export async function upsertArticle(ctx: Context, rawInput: UpsertArticleInput): Promise<{ article: Article; outcome: UpsertOutcome }> {
  requireViewer(ctx);
  const { expectedVersion, ...input } = parseInput(upsertArticleInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      const id = await articleByKey(tx, input);
      return id ? lockArticle(tx, id, "update") : null;
    },
    authorise: (article) => (article ? assertCanEditArticleContent(ctx, article) : assertCanCreateArticle(ctx)),
    async write({ locked, ...w }) {
      if (!locked) {
        if (expectedVersion != null) throw notFound("Article", input.externalId ?? input.slug ?? "", "input.expectedVersion");
        return { article: await insertArticle(w, input), outcome: "CREATED" as const };
      }
      const { article, changed } = await applyArticleChanges(ctx, w, locked.id, expectedVersion ?? null, input, true);
      return { article, outcome: changed ? ("UPDATED" as const) : ("UNCHANGED" as const) };
    },
  });
}

export async function deleteArticle(ctx: Context, rawInput: DeleteInput) {
  requireViewer(ctx);
  const { id, expectedVersion } = parseInput(versionedId, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticle(tx, id, "update"),
    authorise: (article) => assertCanDeleteArticle(ctx, article),
    async write({ tx, audit }) {
      const before = await lockVersioned(tx, "article", id, expectedVersion, "delete");
      // Its claims leave their SAME_CLAIM clusters (src/modules/claim-relation/claim-relation.clusters.ts).
      const mendClusters = await prepareClaimDeletion(tx, { articleId: id });
      const responses = await responsesAnsweringArticle(tx, id);
      await deleteVersioned(tx, "article", before);
      await mendClusters();
      await deleteResponsesLeftWithoutAnswers(tx, responses);
      await audit({ entity: "Article", entityId: id, articleId: id, action: "DELETE", before });
      return { id };
    },
  });
}
