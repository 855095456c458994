import type { Context } from "../../context";
import type { RecordVerdictInput } from "../../generated/graphql";
import { notFound } from "../../shared/errors";
import { parseInput } from "../../shared/validation";
import { runWrite } from "../../shared/write";
import { recordVerdictInput } from "./verdict.validation";

/** Appends to the claim's verdict history and makes it the current verdict, atomically. */
export async function recordVerdict(ctx: Context, rawInput: RecordVerdictInput) {
  const input = parseInput(recordVerdictInput, rawInput);
  return runWrite(ctx, async (tx) => {
    // Bumping the claim first also locks its row, so concurrent verdicts on one claim are serialised
    // and the denormalised current rating always matches the newest history entry.
    const { count } = await tx.claim.updateMany({
      where: { id: input.claimId },
      data: { currentRating: input.rating },
    });
    if (count === 0) throw notFound("Claim", input.claimId, "input.claimId");
    return tx.verdict.create({ data: { claimId: input.claimId, rating: input.rating, rationale: input.rationale ?? null } });
  });
}
