import type { Tx } from "../db/prisma";
import { Prisma, type ArticleStatus } from "../generated/prisma/client";
import { notFound } from "./errors";
import { noteLockedArticle } from "./changes";

/** What the article policies decide on, as read under the article's row lock. */
export interface LockedArticle {
  id: string;
  status: ArticleStatus;
  createdById: string | null;
  body: string;
}

export type ArticleLockMode = "share" | "update";

const LOCKED_ARTICLE_COLUMNS = Prisma.sql`a.id::text AS id, a.status::text AS status, a.created_by_id::text AS "createdById", a.body`;

function lockClause(mode: ArticleLockMode): Prisma.Sql {
  return mode === "share" ? Prisma.sql`FOR SHARE OF a` : Prisma.sql`FOR UPDATE OF a`;
}

/**
 * Row locks that keep an article's content and its workflow consistent:
 * - every change of an article's content (claims, attributions, rebuttals, verdicts) holds its
 *   article row FOR SHARE, so many editors can change content at once;
 * - a workflow step (publish, return, ...) and a change of the article row itself hold it FOR
 *   UPDATE, so the publish gates are checked against content nobody is changing at that moment.
 * Returns the row as it is once the lock is held (a change committed while this waited is seen):
 * the policy and the anchors are checked against it, never against a read made before the lock.
 */
export async function lockArticle(tx: Tx, articleId: string, mode: ArticleLockMode, field?: string): Promise<LockedArticle> {
  const rows = await tx.$queryRaw<LockedArticle[]>`
    SELECT ${LOCKED_ARTICLE_COLUMNS} FROM article a WHERE a.id = ${articleId}::uuid ${lockClause(mode)}`;
  if (!rows[0]) throw notFound("Article", articleId, field);
  noteLockedArticle(tx, rows[0]);
  return rows[0];
}

/** The article of a claim, locked as `lockArticle` does (a claim never moves to another article). */
export async function lockArticleOfClaim(tx: Tx, claimId: string, mode: ArticleLockMode, field?: string): Promise<LockedArticle> {
  const rows = await tx.$queryRaw<LockedArticle[]>`
    SELECT ${LOCKED_ARTICLE_COLUMNS} FROM claim c JOIN article a ON a.id = c.article_id WHERE c.id = ${claimId}::uuid ${lockClause(mode)}`;
  if (!rows[0]) throw notFound("Claim", claimId, field);
  noteLockedArticle(tx, rows[0]);
  return rows[0];
}

/** Tables whose rows are changed under `lockRow`. */
export type LockedTable = "article" | "claim" | "attribution" | "response" | "source" | "app_user" | "auth_token";

/**
 * Locks the row a write changes (after its article, never before: one order for every writer).
 * An update takes FOR NO KEY UPDATE, the lock its UPDATE would take anyway (inserts that only
 * refer to the row are not held up); a delete takes FOR UPDATE. False when the row does not exist.
 */
export async function lockRow(tx: Tx, table: LockedTable, id: string, purpose: "update" | "delete"): Promise<boolean> {
  const clause = purpose === "update" ? Prisma.sql`FOR NO KEY UPDATE` : Prisma.sql`FOR UPDATE`;
  const rows = await tx.$queryRaw<unknown[]>`SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id}::uuid ${clause}`;
  return rows.length === 1;
}
