import type { Context } from "../../context";
import type { RecordVerdictInput } from "../../generated/graphql";
import { notFound } from "../../shared/errors";
import { parseInput } from "../../shared/validation";
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
    // Updating the claim first locks its row, so concurrent verdicts on one claim are serialised
    // and the denormalised current rating always matches the newest history entry.
    const { count } = await tx.claim.updateMany({ where: { id: claim.id }, data: { currentRating: input.rating } });
    if (count === 0) throw notFound("Claim", input.claimId, "input.claimId");
    const verdict = await tx.verdict.create({
      data: { claimId: claim.id, rating: input.rating, rationale: input.rationale ?? null, recordedById: viewer.id },
    });
    await recordAudit(tx, viewer, {
      entity: "Verdict",
      entityId: verdict.id,
      articleId: claim.articleId,
      action: "RECORD",
      before: { claimId: claim.id, rating: claim.currentRating },
      after: { claimId: claim.id, rating: verdict.rating, rationale: verdict.rationale },
    });
    return verdict;
  });
}
