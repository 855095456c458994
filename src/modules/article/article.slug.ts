import slugify from "slugify";
import { transliterate } from "transliteration";
import type { Tx } from "../../db/prisma";

const MAX_BASE_LENGTH = 80;

/** A letter or mark (any script) that slugify's own table does not know: Chinese, Japanese, Korean... */
const LETTER = /[\p{L}\p{M}]/u;
const slug = (text: string) => slugify(text, { lower: true, strict: true, trim: true });

/**
 * The title in Latin letters: slugify's table already covers Latin with diacritics, Cyrillic,
 * Greek and Arabic; each run of letters it would drop (Han, kana, Hangul...) is transliterated
 * (Chinese to pinyin syllables) by `transliteration` first.
 */
function latinTitle(title: string): string {
  let out = "";
  let run = "";
  const flush = () => {
    if (run) out += ` ${transliterate(run)} `;
    run = "";
  };
  for (const char of title) {
    if (LETTER.test(char) && slug(char) === "") run += char;
    else {
      flush();
      out += char;
    }
  }
  flush();
  return out;
}

/** The slug base of a title: transliterated, lowercase, hyphenated, at most 80 characters (empty when nothing is left). */
function slugBase(title: string): string {
  return slug(latinTitle(title)).slice(0, MAX_BASE_LENGTH).replace(/-+$/, "");
}

/**
 * A slug from the title, made unique by a numeric suffix (-2, -3, ...) when it is taken. A title
 * with nothing to transliterate (emoji, punctuation) falls back to `article-<language>-<date>`
 * (article-ja-2026-11-30), readable and rarely taken.
 */
export async function uniqueSlugFromTitle(tx: Tx, title: string, language = "en", now = new Date()): Promise<string> {
  const base = slugBase(title) || `article-${slug(language) || "xx"}-${now.toISOString().slice(0, 10)}`;
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
