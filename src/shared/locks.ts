import type { Tx } from "../db/prisma";
import { notFound } from "./errors";

/**
 * Row locks that keep an article's content and its workflow consistent:
 * - every change of an article's content (claims, attributions, rebuttals, verdicts) holds its
 *   article row FOR SHARE, so many editors can change content at once;
 * - a workflow step (publish, return, ...) holds it FOR UPDATE, so the publish gates are checked
 *   against content nobody is changing at that moment.
 * Returns the body, which anchors are checked against under the same lock.
 */
export async function lockArticle(tx: Tx, articleId: string, mode: "share" | "update"): Promise<{ body: string }> {
  const rows =
    mode === "share"
      ? await tx.$queryRaw<Array<{ body: string }>>`SELECT body FROM article WHERE id = ${articleId}::uuid FOR SHARE`
      : await tx.$queryRaw<Array<{ body: string }>>`SELECT body FROM article WHERE id = ${articleId}::uuid FOR UPDATE`;
  if (!rows[0]) throw notFound("Article", articleId);
  return rows[0];
}
