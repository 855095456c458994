import type { Context } from "../../shared/context";
import type { Tx } from "../../db/prisma";
import type { ArticleStatus } from "../../generated/prisma/client";
import type { ReturnArticleInput, TransitionArticleInput } from "../../generated/graphql";
import { CHECKERS } from "../../shared/access";
import { ClaimdeskError, ErrorCode, invalidTransition } from "../../shared/errors";
import { parseInput, versionedId } from "../../shared/validation";
import { lockArticle } from "../../shared/locks";
import { gate, lockVersioned, updateVersioned } from "../../shared/write-gate";
import type { AuditAction } from "../../shared/audit";
import { assertCanTransition, type WorkflowAction } from "./article.policy";
import { returnArticleInput } from "./article.validation";

/** The workflow: the only way an article's status changes. */
const TRANSITIONS: Record<WorkflowAction, { from: ArticleStatus[]; to: ArticleStatus; audit: AuditAction }> = {
  submit: { from: ["DRAFT"], to: "IN_REVIEW", audit: "SUBMIT" },
  publish: { from: ["IN_REVIEW"], to: "PUBLISHED", audit: "PUBLISH" },
  return: { from: ["IN_REVIEW", "PUBLISHED"], to: "DRAFT", audit: "RETURN" },
  archive: { from: ["DRAFT", "IN_REVIEW", "PUBLISHED"], to: "ARCHIVED", audit: "ARCHIVE" },
  restore: { from: ["ARCHIVED"], to: "DRAFT", audit: "RESTORE" },
};

interface GateFailure {
  claimId: string | null;
  /** The claim's `position`, exactly as the API returns it (Claim.position). */
  position: number | null;
  gate: string;
  message: string;
}

/** `text` up to `max` characters; when longer, cut after the last whole word that fits, with an ellipsis. */
function excerpt(text: string, max = 60): string {
  const clean = text.trim().replace(/\s+/g, " ");
  if (clean.length <= max) return clean;
  const head = clean.slice(0, max + 1);
  const cut = head.lastIndexOf(" ");
  // One word longer than `max`: cut inside it rather than give nothing.
  const kept = cut > 0 ? head.slice(0, cut) : clean.slice(0, max);
  return `${kept.replace(/[\s,;:.!?\u2013\u2014-]+$/u, "")}…`;
}

/** The indefinite article for `word` as it is written in a message: "an ANONYMOUS", "a PARTIAL". */
function indefinite(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

/** How messages name a claim: by its position as the API returns it, and its statement cut at a whole word. */
export function claimLabel(claim: { position: number; statement: string }): string {
  return `Claim at position ${claim.position} ("${excerpt(claim.statement)}")`;
}

/**
 * What must hold before an article is published. Every failing claim and gate is reported at
 * once, so that the newsroom can fix them in one pass. Each failure names the claim by its id and
 * by its position as the API returns it.
 */
async function publishGateFailures(tx: Tx, articleId: string): Promise<GateFailure[]> {
  const claims = await tx.claim.findMany({
    where: { articleId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    include: {
      attributions: { select: { id: true, role: true, anonymity: true, anonymityReason: true, anonymityReasonNotStated: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      verdicts: { orderBy: { sequence: "desc" }, take: 1, include: { recordedBy: { select: { role: true } } } },
    },
  });
  const failures: GateFailure[] = [];
  for (const claim of claims) {
    const label = claimLabel(claim);
    const fail = (gate: string, message: string) => failures.push({ claimId: claim.id, position: claim.position, gate, message: `${label} ${message}` });
    if (!claim.attributions.some((a) => a.role === "CLAIMANT")) fail("CLAIMANT_REQUIRED", "has no CLAIMANT attribution");
    for (const attribution of claim.attributions) {
      // A reason as the publication gave it, or the recorded fact that it gave none: never invented text.
      if (attribution.anonymity !== "NAMED" && !attribution.anonymityReason && !attribution.anonymityReasonNotStated) {
        fail(
          "ANONYMITY_REASON_REQUIRED",
          `has ${indefinite(attribution.anonymity)} attribution (${attribution.id}) without a reason for anonymity: give the publication's reason, or set anonymityReasonNotStated if it gave none`,
        );
      }
    }
    const verdict = claim.verdicts[0];
    if (!verdict?.recordedBy || !CHECKERS.includes(verdict.recordedBy.role)) fail("VERDICT_REQUIRED", "has no verdict recorded by a fact-checker or editor");
    if (claim.anchorState === "ORPHANED") fail("ANCHOR_ORPHANED", "is anchored to text that is no longer in the body");
  }
  return failures;
}

/** "Cannot publish: 2 problems. <each failure's message>; <...>" */
function publishBlockedMessage(failures: GateFailure[]): string {
  return `Cannot publish: ${failures.length} ${failures.length === 1 ? "problem" : "problems"}. ${failures.map((f) => f.message).join("; ")}`;
}

async function transition(ctx: Context, action: WorkflowAction, id: string, expectedVersion: number, note?: Record<string, unknown>) {
  const rule = TRANSITIONS[action];
  return gate(ctx, {
    // FOR UPDATE: content changes hold the article FOR SHARE, so the gates see settled content.
    lock: (tx) => lockArticle(tx, id, "update"),
    authorise: (article) => assertCanTransition(ctx, action, article),
    async write({ tx, audit }) {
      const before = await lockVersioned(tx, "article", id, expectedVersion, "update");
      if (!rule.from.includes(before.status)) throw invalidTransition("article", before.status, action);
      if (action === "publish") {
        const failures = await publishGateFailures(tx, id);
        if (failures.length) {
          throw new ClaimdeskError(
            ErrorCode.PUBLISH_BLOCKED,
            publishBlockedMessage(failures),
            { failures },
          );
        }
      }
      const after = await updateVersioned(tx, "article", before, {
        status: rule.to,
        ...(action === "publish" && !before.recordPublishedAt ? { recordPublishedAt: new Date() } : {}),
      });
      await audit({ entity: "Article", entityId: id, articleId: id, action: rule.audit, before, after, note });
      return after;
    },
  });
}

/** A workflow step whose input is only the article and the version the editor saw. */
function step(action: "submit" | "publish" | "archive" | "restore") {
  return (ctx: Context, input: TransitionArticleInput) => {
    const { id, expectedVersion } = parseInput(versionedId, input);
    return transition(ctx, action, id, expectedVersion);
  };
}

export const submitArticle = step("submit");
export const publishArticle = step("publish");
export const archiveArticle = step("archive");
export const restoreArticle = step("restore");

export function returnArticle(ctx: Context, input: ReturnArticleInput) {
  const { id, expectedVersion, reason } = parseInput(returnArticleInput, input);
  return transition(ctx, "return", id, expectedVersion, { reason });
}
