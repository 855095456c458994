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
  gate: string;
  message: string;
}

/**
 * What must hold before an article is published. Every failing claim and gate is reported at
 * once, so that the newsroom can fix them in one pass.
 */
async function publishGateFailures(tx: Tx, articleId: string): Promise<GateFailure[]> {
  const claims = await tx.claim.findMany({
    where: { articleId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    include: {
      attributions: { select: { id: true, role: true, anonymity: true, anonymityReason: true } },
      verdicts: { orderBy: { sequence: "desc" }, take: 1, include: { recordedBy: { select: { role: true } } } },
    },
  });
  const failures: GateFailure[] = [];
  for (const [index, claim] of claims.entries()) {
    const label = `Claim ${index + 1} ("${claim.statement.slice(0, 60)}")`;
    if (!claim.attributions.some((a) => a.role === "CLAIMANT")) {
      failures.push({ claimId: claim.id, gate: "CLAIMANT_REQUIRED", message: `${label} has no CLAIMANT attribution` });
    }
    for (const attribution of claim.attributions) {
      if (attribution.anonymity !== "NAMED" && !attribution.anonymityReason) {
        failures.push({
          claimId: claim.id,
          gate: "ANONYMITY_REASON_REQUIRED",
          message: `${label} has a ${attribution.anonymity} attribution (${attribution.id}) without a reason for anonymity`,
        });
      }
    }
    const verdict = claim.verdicts[0];
    if (!verdict?.recordedBy || !CHECKERS.includes(verdict.recordedBy.role)) {
      failures.push({ claimId: claim.id, gate: "VERDICT_REQUIRED", message: `${label} has no verdict recorded by a fact-checker or editor` });
    }
    if (claim.anchorState === "ORPHANED") {
      failures.push({ claimId: claim.id, gate: "ANCHOR_ORPHANED", message: `${label} is anchored to text that is no longer in the body` });
    }
  }
  return failures;
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
            `Cannot publish: ${failures.length} problem(s). ${failures.map((f) => f.message).join("; ")}`,
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
