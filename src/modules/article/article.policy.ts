import type { Context } from "../../shared/context";
import type { Viewer } from "../../shared/viewer";
import { type Article, Prisma } from "../../generated/prisma/client";
import { ALL_STAFF, CHECKERS, EDITORS, requireRole, seesUnpublished } from "../../shared/access";
import { forbidden } from "../../shared/errors";

/**
 * The one definition of which articles a viewer may read, as SQL over `article <alias>`: staff
 * (every role) read all of them, an anonymous reader the PUBLISHED ones only.
 */
export function visibleArticleSql(viewer: Viewer | null, alias = "a"): Prisma.Sql {
  return seesUnpublished(viewer) ? Prisma.sql`TRUE` : Prisma.sql`${Prisma.raw(alias)}.status = 'PUBLISHED'`;
}

export function assertCanCreateArticle(ctx: Context) {
  return requireRole(ctx, ["ADMIN", "EDITOR", "REPORTER"], "create articles");
}

/**
 * Editing an article's content (the article itself, its claims): editors and admins always; a
 * reporter only their own article while it is a DRAFT.
 */
export function assertCanEditArticleContent(ctx: Context, article: Pick<Article, "id" | "status" | "createdById">) {
  const viewer = requireRole(ctx, ["ADMIN", "EDITOR", "REPORTER"], "edit articles");
  if (viewer.role === "REPORTER" && (article.createdById !== viewer.id || article.status !== "DRAFT")) {
    throw forbidden("A REPORTER may only edit their own DRAFT articles");
  }
  return viewer;
}

/** Attaching sources and rebuttals to an article's claims: content editors, and fact-checkers. */
export function assertCanAttachToArticle(ctx: Context, article: Pick<Article, "id" | "status" | "createdById">) {
  const viewer = requireRole(ctx, ALL_STAFF, "attach sources or rebuttals");
  if (viewer.role === "FACT_CHECKER") return viewer;
  return assertCanEditArticleContent(ctx, article);
}

export type WorkflowAction = "submit" | "publish" | "return" | "archive" | "restore";

const WORKFLOW_ROLES = {
  submit: ["ADMIN", "EDITOR", "REPORTER"],
  publish: EDITORS,
  return: CHECKERS,
  archive: EDITORS,
  restore: EDITORS,
} as const;

export function assertCanTransition(ctx: Context, action: WorkflowAction, article: Pick<Article, "status" | "createdById">) {
  const viewer = requireRole(ctx, WORKFLOW_ROLES[action], `${action} articles`);
  if (action === "submit" && viewer.role === "REPORTER" && article.createdById !== viewer.id) {
    throw forbidden("A REPORTER may only submit their own articles");
  }
  return viewer;
}

export function assertCanDeleteArticle(ctx: Context, article: Pick<Article, "id" | "status" | "createdById">) {
  return assertCanEditArticleContent(ctx, article);
}
