/**
 * The text side of multilingual search (issue 10, point 9): rewriting a query's CJK words the way
 * the database indexes them, and trimming a highlighted text to a short snippet around its first
 * match. The database side is migration 20261130090500_multilingual_search.
 */

/**
 * CJK characters: Han (with the CJK radicals, iteration marks and compatibility ideographs), kana
 * (not the middle dot ・) and Hangul. The same class as in claimdesk_cjk_bigrams() and
 * claimdesk_cjk_spaced() (migration 20261130090500_multilingual_search): keep them in step.
 */
const CJK =
  "\\u1100-\\u11FF\\u2E80-\\u2FDF\\u3005-\\u3007\\u3021-\\u3029\\u3041-\\u3096\\u309D-\\u309F\\u30A1-\\u30FA\\u30FC-\\u30FF\\u3131-\\u318E\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uA960-\\uA97F\\uAC00-\\uD7AF\\uF900-\\uFAFF\\uFF66-\\uFF9F\\u{20000}-\\u{3134F}";
const CJK_RUN = new RegExp(`[${CJK}]+`, "gu");
const CJK_CHAR = new RegExp(`[${CJK}]`, "u");
/** Whitespace between two CJK characters inside a quoted phrase (the phrase is one run then). */
const CJK_GAP = new RegExp(`([${CJK}])\\s+(?=[${CJK}])`, "gu");
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Private-use characters the snippet SQL uses: highlight bounds, and "the text was cut here". */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";
/** Before each CJK run and after each CJK character of a headline's text (claimdesk_cjk_spaced); removed in SQL. */
export const CJK_SEPARATOR = "\uE002";
export const CUT = "\uE003";

/**
 * How a query's CJK runs are searched:
 * - "bigrams": as the phrase of their overlapping bigrams, as the vectors index them
 *   (claimdesk_cjk_bigrams): 外交部 -> "外交 交部", which matches inside any clause. A run of one
 *   character stays one word (the 'simple' configuration makes it a prefix of the bigrams).
 * - "chars": as the phrase of their characters, as a headline's text is parsed (claimdesk_cjk_spaced),
 *   so that ts_headline marks them where they stand.
 */
export type CjkMode = "bigrams" | "chars";

function cjkTerms(run: string, mode: CjkMode): string[] {
  const chars = Array.from(run);
  if (mode === "chars" || chars.length === 1) return chars;
  return chars.slice(0, -1).map((char, i) => char + chars[i + 1]!);
}

/**
 * The query with its CJK runs rewritten (see CjkMode); everything else is left as it is. A run
 * outside quotes becomes a quoted phrase of its own ("-" before it still excludes it); inside a
 * quoted phrase it becomes words of that phrase (CJK runs separated only by spaces are joined
 * first, as the text writes them without).
 */
export function rewriteCjk(query: string, mode: CjkMode): string {
  if (!CJK_CHAR.test(query)) return query;
  return query
    .split('"')
    .map((part, i) => {
      if (i % 2 === 1) return part.replace(CJK_GAP, "$1").replace(CJK_RUN, (run) => ` ${cjkTerms(run, mode).join(" ")} `);
      return part.replace(CJK_RUN, (run: string, offset: number) => {
        const terms = cjkTerms(run, mode);
        const before = offset > 0 && WORD_CHAR.test(part[offset - 1]!) ? " " : "";
        const next = part[offset + run.length];
        const after = next !== undefined && WORD_CHAR.test(next) ? " " : "";
        return `${before}${terms.length > 1 ? `"${terms.join(" ")}"` : terms[0]}${after}`;
      });
    })
    .join('"');
}

/** The CJK runs of a query, as typed (a snippet's CJK marks count only when they contain one). */
export function cjkRuns(query: string): string[] {
  return [...query.matchAll(CJK_RUN)].map((match) => match[0]);
}

/** The text cut after its `max`-th word (letters and digits), trimmed. */
export function cutWords(text: string, max: number): string {
  let words = 0;
  for (const word of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    words += 1;
    if (words > max) return text.slice(0, word.index).trim();
  }
  return text.trim();
}

/**
 * The window of a snippet around its first match, in "width" units: a CJK character counts 2
 * (it carries about a word), any other character 1. About 40 characters of Latin, Cyrillic or
 * Arabic text before the match and 60 after (cut at whole words), 20 and 30 CJK characters.
 */
export const SNIPPET_WINDOW = { before: 40, after: 60 } as const;

const width = (char: string) => (CJK_CHAR.test(char) ? 2 : 1);

interface Mark {
  start: number;
  end: number;
  real: boolean;
}

/**
 * A highlighted text trimmed to a short snippet around its first match, with "…" where it was cut.
 *
 * `text` is ts_headline's output (HighlightAll: every occurrence of a query word marked with
 * MARK_START/MARK_END, CJK separators already removed), possibly a region of the whole text with
 * CUT at an end the region cut. Adjacent marks are joined (the characters of a CJK word were
 * marked one by one); a CJK mark that contains none of the query's CJK runs (`runs`) is a stray
 * character of a longer query word and is unmarked. The window starts SNIPPET_WINDOW.before
 * before the first mark and ends SNIPPET_WINDOW.after past its end, moved to whole words where the
 * text has spaces. Without a mark, the snippet is the start of the text.
 */
export function trimSnippet(text: string, runs: string[]): string {
  let body = text;
  const cutBefore = body.startsWith(CUT);
  const cutAfter = body.endsWith(CUT);
  body = body.replaceAll(CUT, "").replaceAll(MARK_END + MARK_START, "");

  // The text without marks, and where the marks are in it.
  const chars: string[] = [];
  const marks: Mark[] = [];
  let open: number | null = null;
  for (const char of body) {
    if (char === MARK_START) open = chars.length;
    else if (char === MARK_END) {
      if (open !== null) marks.push({ start: open, end: chars.length, real: true });
      open = null;
    } else chars.push(char);
  }
  if (open !== null) marks.push({ start: open, end: chars.length, real: true });
  for (const mark of marks) {
    if (mark.end <= mark.start) mark.real = false;
    const content = chars.slice(mark.start, mark.end).join("");
    if (CJK_CHAR.test(content) && !runs.some((run) => content.includes(run))) mark.real = false;
  }
  const realMarks = marks.filter((mark) => mark.real);
  const first = realMarks[0] ?? { start: 0, end: 0 };

  let start = first.start;
  for (let budget = SNIPPET_WINDOW.before; start > 0 && budget - width(chars[start - 1]!) >= 0; start -= 1) budget -= width(chars[start - 1]!);
  let end = first.end;
  for (let budget = SNIPPET_WINDOW.after; end < chars.length && budget - width(chars[end]!) >= 0; end += 1) budget -= width(chars[end]!);
  // Whole words: a cut inside a word moves to the next space before the match (after it, the previous one).
  if (start > 0 && !/\s/u.test(chars[start - 1]!)) {
    const space = chars.slice(start, first.start).findIndex((char) => /\s/u.test(char));
    if (space >= 0) start += space + 1;
  }
  if (end < chars.length && !/\s/u.test(chars[end]!)) {
    const tail = chars.slice(first.end, end);
    const space = tail.map((char) => /\s/u.test(char)).lastIndexOf(true);
    if (space >= 0) end = first.end + space;
  }

  let out = "";
  for (let i = start; i < end; i += 1) {
    for (const mark of realMarks) if (mark.start === i || (i === start && mark.start < start && mark.end > start)) out += MARK_START;
    out += chars[i];
    for (const mark of realMarks) if (mark.end === i + 1 || (i === end - 1 && mark.start < end && mark.end > end)) out += MARK_END;
  }
  out = out.trim();
  // "…" where the text goes on, set off by a space unless the text is CJK there.
  if (start > 0 || cutBefore) out = CJK_CHAR.test(chars[start] ?? "") ? `…${out}` : `… ${out}`;
  if (end < chars.length || cutAfter) out = CJK_CHAR.test(chars[end - 1] ?? "") ? `${out}…` : `${out} …`;
  return out;
}
