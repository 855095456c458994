import type { Prisma } from "../../generated/prisma/client";
import type { Context } from "../../context";
import type { ArticleFilter, CreateArticleInput, DeleteInput, UpdateArticleInput } from "../../generated/graphql";
import { conflict, notFound } from "../../shared/errors";
import { paginate, type PageArgs } from "../../shared/pagination";
import { isUuid, parseId, parseInput } from "../../shared/validation";
import { applyVersioned } from "../../shared/versioning";
import { runWrite } from "../../shared/write";
import { relocateAnchors } from "../claim/claim.anchor";
import { deleteRebuttalsLeftWithoutClaims } from "../rebuttal/rebuttal.service";
import { articleLookup, createArticleInput, updateArticleInput } from "./article.validation";
import { uniqueSlugFromTitle } from "./article.slug";

export async function getArticle(ctx: Context, args: { id?: string | null; slug?: string | null }) {
  const { id, slug } = parseInput(articleLookup, args, "args");
  if (id) return isUuid(id) ? ctx.loaders.articleById.load(id) : null;
  return ctx.prisma.article.findUnique({ where: { slug: slug! } });
}

export async function requireArticle(ctx: Context, id: string) {
  const article = isUuid(id) ? await ctx.loaders.articleById.load(id) : null;
  if (!article) throw notFound("Article", id);
  return article;
}

function filterWhere(filter: ArticleFilter | null | undefined): Prisma.ArticleWhereInput {
  if (!filter) return {};
  const claimConditions: Prisma.ClaimWhereInput[] = [];
  if (filter.sourceId) claimConditions.push({ attributions: { some: { sourceId: filter.sourceId } } });
  if (filter.verdict) claimConditions.push({ currentRating: filter.verdict });
  return {
    ...(filter.status?.length ? { status: { in: filter.status } } : {}),
    ...(filter.outlet ? { outlet: { equals: filter.outlet, mode: "insensitive" as const } } : {}),
    ...(filter.language ? { language: filter.language } : {}),
    ...(filter.publishedAfter || filter.publishedBefore
      ? { publishedAt: { ...(filter.publishedAfter ? { gte: filter.publishedAfter } : {}), ...(filter.publishedBefore ? { lt: filter.publishedBefore } : {}) } }
      : {}),
    ...(claimConditions.length ? { claims: { some: { AND: claimConditions } } } : {}),
  };
}

export async function listArticles(ctx: Context, args: PageArgs & { filter?: ArticleFilter | null }) {
  if (args.filter?.sourceId) parseId(args.filter.sourceId, "filter.sourceId");
  const where = filterWhere(args.filter);
  return paginate(
    args,
    (page) => ctx.prisma.article.findMany({ where: { AND: [where, page.where] }, orderBy: page.orderBy, take: page.take }),
    () => ctx.prisma.article.count({ where }),
  );
}

export async function createArticle(ctx: Context, rawInput: CreateArticleInput) {
  const input = parseInput(createArticleInput, rawInput);
  return runWrite(ctx, async (tx) => {
    const slug = input.slug ?? (await uniqueSlugFromTitle(tx, input.title));
    if (input.slug && (await tx.article.findUnique({ where: { slug }, select: { id: true } }))) {
      throw conflict(`The slug "${slug}" is already used by another article`, { field: "input.slug" });
    }
    return tx.article.create({
      data: {
        slug,
        title: input.title,
        summary: input.summary ?? null,
        body: input.body ?? "",
        language: input.language ?? "en",
        outlet: input.outlet ?? null,
        url: input.url ?? null,
        publishedAt: input.publishedAt ?? null,
      },
    });
  });
}

export async function updateArticle(ctx: Context, rawInput: UpdateArticleInput) {
  const { id, expectedVersion, ...changes } = parseInput(updateArticleInput, rawInput);
  return runWrite(ctx, async (tx) => {
    if (changes.slug) {
      const owner = await tx.article.findUnique({ where: { slug: changes.slug }, select: { id: true } });
      if (owner && owner.id !== id) throw conflict(`The slug "${changes.slug}" is already used by another article`, { field: "input.slug" });
    }
    const data: Prisma.ArticleUpdateManyMutationInput = {
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.slug != null ? { slug: changes.slug } : {}),
      ...(changes.summary !== undefined ? { summary: changes.summary } : {}),
      ...(changes.body != null ? { body: changes.body } : {}),
      ...(changes.language != null ? { language: changes.language } : {}),
      ...(changes.outlet !== undefined ? { outlet: changes.outlet } : {}),
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.publishedAt !== undefined ? { publishedAt: changes.publishedAt } : {}),
      version: { increment: 1 },
    };
    await applyVersioned(
      "Article",
      id,
      expectedVersion,
      (where) => tx.article.updateMany({ where, data }),
      () => tx.article.findUnique({ where: { id }, select: { version: true } }),
    );
    if (changes.body != null) await relocateAnchors(tx, id, changes.body);
    return tx.article.findUniqueOrThrow({ where: { id } });
  });
}

export async function deleteArticle(ctx: Context, rawInput: DeleteInput) {
  const { id, expectedVersion } = parseInput(updateArticleInput.pick({ id: true, expectedVersion: true }), rawInput);
  return runWrite(ctx, async (tx) => {
    const rebuttals = await tx.rebuttalClaim.findMany({ where: { claim: { articleId: id } }, select: { rebuttalId: true } });
    await applyVersioned(
      "Article",
      id,
      expectedVersion,
      (where) => tx.article.deleteMany({ where }),
      () => tx.article.findUnique({ where: { id }, select: { version: true } }),
    );
    await deleteRebuttalsLeftWithoutClaims(tx, rebuttals.map((row) => row.rebuttalId));
    return { id };
  });
}
