import slugify from "slugify";
import type { Tx } from "../../db/prisma";

const MAX_BASE_LENGTH = 80;

/** A slug from the title, made unique by a numeric suffix (-2, -3, ...) when it is taken. */
export async function uniqueSlugFromTitle(tx: Tx, title: string): Promise<string> {
  const base =
    slugify(title, { lower: true, strict: true, trim: true }).slice(0, MAX_BASE_LENGTH).replace(/-+$/, "") || "article";
  const taken = await tx.article.findMany({
    where: { slug: { startsWith: base } },
    select: { slug: true },
  });
  const takenSlugs = new Set(taken.map((row) => row.slug));
  if (!takenSlugs.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!takenSlugs.has(candidate)) return candidate;
  }
}
