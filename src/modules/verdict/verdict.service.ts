import type { Context } from "../../context";
import type { RecordVerdictInput } from "../../generated/graphql";
import { notFound } from "../../shared/errors";
import { parseInput } from "../../shared/validation";
import { lockArticle } from "../../shared/locks";
import { runWrite } from "../../shared/write";
import { recordAudit } from "../audit/audit.service";
import { requireClaim } from "../claim/claim.service";
import { assertCanRecordVerdict } from "./verdict.policy";
import { recordVerdictInput } from "./verdict.validation";

/** Appends to the claim's verdict history and makes it the current verdict, atomically. */
export async function recordVerdict(ctx: Context, rawInput: RecordVerdictInput) {
  const viewer = assertCanRecordVerdict(ctx);
  const input = parseInput(recordVerdictInput, rawInput);
  const claim = await requireClaim(ctx, input.claimId, "input.claimId");
  return runWrite(ctx, async (tx) => {
    await lockArticle(tx, claim.articleId, "share");
    // Lock the claim so that concurrent verdicts on it are serialised: the denormalised current
    // rating always matches the newest history entry, and "before" is the verdict this one follows.
    const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM claim WHERE id = ${claim.id}::uuid FOR UPDATE`;
    if (locked.length === 0) throw notFound("Claim", input.claimId, "input.claimId");
    const previous = await tx.verdict.findFirst({ where: { claimId: claim.id }, orderBy: { sequence: "desc" } });
    await tx.claim.update({ where: { id: claim.id }, data: { currentRating: input.rating } });
    const verdict = await tx.verdict.create({
      data: { claimId: claim.id, rating: input.rating, rationale: input.rationale ?? null, recordedById: viewer.id },
    });
    await recordAudit(tx, viewer, {
      entity: "Verdict",
      entityId: verdict.id,
      articleId: claim.articleId,
      action: "RECORD",
      before: previous ? { claimId: claim.id, rating: previous.rating, rationale: previous.rationale } : null,
      after: { claimId: claim.id, rating: verdict.rating, rationale: verdict.rationale },
    });
    return verdict;
  });
}
