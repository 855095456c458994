import type { Viewer } from "../../shared/viewer";
import type { Tx } from "../../db/prisma";
import type { AnchorState } from "../../generated/prisma/client";
import { badInput } from "../../shared/errors";
import { recordAudit } from "../../shared/audit";

/** Characters of context kept on each side of an anchor, to find it again after the body changes. */
const ANCHOR_CONTEXT_LENGTH = 32;

export interface AnchorFields {
  quote: string;
  anchorStart: number;
  anchorEnd: number;
  anchorPrefix: string;
  anchorSuffix: string;
  anchorState: AnchorState;
}

export interface AnchorRequest {
  quote?: string | null;
  anchor?: { start: number; end: number; exact: string } | null;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

function anchorAt(body: string, start: number, end: number, state: AnchorState): AnchorFields {
  // The context windows never cut a character outside the BMP in half: a lone surrogate is not
  // valid text and cannot be stored.
  let prefixStart = Math.max(0, start - ANCHOR_CONTEXT_LENGTH);
  if (prefixStart > 0 && prefixStart < start && isLowSurrogate(body.charCodeAt(prefixStart))) prefixStart++;
  let suffixEnd = Math.min(body.length, end + ANCHOR_CONTEXT_LENGTH);
  if (suffixEnd < body.length && suffixEnd > end && isHighSurrogate(body.charCodeAt(suffixEnd - 1))) suffixEnd--;
  return {
    quote: body.slice(start, end),
    anchorStart: start,
    anchorEnd: end,
    anchorPrefix: body.slice(prefixStart, start),
    anchorSuffix: body.slice(end, suffixEnd),
    anchorState: state,
  };
}

function occurrences(body: string, text: string): number[] {
  const found: number[] = [];
  for (let at = body.indexOf(text); at !== -1; at = body.indexOf(text, at + 1)) found.push(at);
  return found;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * Checks the passage a claim stands on against the article body. With offsets, the body must hold
 * exactly `exact` there; with a quote alone, the quote must occur exactly once in the body.
 */
export function resolveAnchor(body: string, request: AnchorRequest): AnchorFields | null {
  const { quote, anchor } = request;
  if (anchor) {
    const { start, end, exact } = anchor;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > body.length) {
      throw badInput("input.anchor", `offsets ${start}..${end} are outside the article body (0..${body.length}) or empty`);
    }
    const found = body.slice(start, end);
    if (found !== exact) {
      throw badInput("input.anchor", `does not match the article body: at ${start}..${end} the body reads ${preview(found)}, not ${preview(exact)}`);
    }
    if (quote != null && quote !== exact) throw badInput("input.quote", "must equal anchor.exact when both are given");
    return anchorAt(body, start, end, "ANCHORED");
  }
  if (quote == null || quote === "") return null;
  const at = occurrences(body, quote);
  if (at.length === 0) throw badInput("input.quote", `does not appear in the article body: ${preview(quote)}`);
  if (at.length > 1) throw badInput("input.quote", `appears ${at.length} times in the article body; give anchor offsets to say which`);
  return anchorAt(body, at[0]!, at[0]! + quote.length, "ANCHORED");
}

function sharedSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function sharedPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

interface StoredAnchor {
  quote: string | null;
  anchorStart: number | null;
  anchorEnd: number | null;
  anchorPrefix: string | null;
  anchorSuffix: string | null;
  anchorState?: AnchorState | null;
}

/**
 * Finds an anchor again in a new body. The same text at the same place with the same context is
 * unchanged; otherwise the occurrence of the exact text whose context matches best is taken, but
 * only if it is the single best one. Anything else is ORPHANED: a claim is never silently moved to
 * a passage that may not be the one it stood on.
 */
function relocate(newBody: string, stored: StoredAnchor): Partial<AnchorFields> | null {
  const { quote, anchorStart, anchorEnd } = stored;
  if (!quote || anchorStart == null || anchorEnd == null) return null;
  const prefix = stored.anchorPrefix ?? "";
  const suffix = stored.anchorSuffix ?? "";
  const candidates = occurrences(newBody, quote).map((start) => {
    const here = anchorAt(newBody, start, start + quote.length, "RELOCATED");
    const score = sharedSuffixLength(prefix, here.anchorPrefix) + sharedPrefixLength(suffix, here.anchorSuffix);
    return { here, score };
  });
  // An ORPHANED anchor whose text is back in its place is found again (below), not left orphaned.
  const unchanged =
    stored.anchorState !== "ORPHANED" &&
    candidates.find((c) => c.here.anchorStart === anchorStart && c.here.anchorPrefix === prefix && c.here.anchorSuffix === suffix);
  if (unchanged) return null;
  candidates.sort((a, b) => b.score - a.score);
  const [best, runnerUp] = candidates;
  if (best && (candidates.length === 1 || (runnerUp && best.score > runnerUp.score))) return best.here;
  return { anchorState: "ORPHANED" };
}

/**
 * Re-locates every anchored claim of an article after its body changed, inside the write's
 * transaction; each moved or newly orphaned anchor is a change of the claim, audited as such.
 */
export async function relocateAnchors(tx: Tx, viewer: Viewer | null, articleId: string, newBody: string): Promise<void> {
  // Lock the anchored claims before reading them: an edit of one of them that is in flight either
  // commits first (and its new anchor is the one re-located here) or waits for this transaction and
  // then fails its version check. Read without the lock, such a claim would be overwritten with the
  // re-location of its old anchor: a lost update.
  const locked = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text AS id FROM claim WHERE article_id = ${articleId}::uuid AND quote IS NOT NULL ORDER BY id FOR NO KEY UPDATE`;
  if (locked.length === 0) return;
  const claims = await tx.claim.findMany({
    where: { id: { in: locked.map((row) => row.id) } },
    select: { id: true, quote: true, anchorStart: true, anchorEnd: true, anchorPrefix: true, anchorSuffix: true, anchorState: true },
  });
  for (const claim of claims) {
    const moved = relocate(newBody, claim);
    if (!moved || (moved.anchorState === "ORPHANED" && claim.anchorState === "ORPHANED")) continue;
    const { quote, anchorStart, anchorEnd, anchorPrefix, anchorSuffix, anchorState } = await tx.claim.update({
      where: { id: claim.id },
      data: { ...moved, version: { increment: 1 } },
    });
    await recordAudit(tx, viewer, {
      entity: "Claim",
      entityId: claim.id,
      articleId,
      action: "UPDATE",
      before: claim,
      after: { id: claim.id, quote, anchorStart, anchorEnd, anchorPrefix, anchorSuffix, anchorState },
      note: { reason: "article body changed" },
    });
  }
}
