import type { Context } from "../../shared/context";
import type { RecordVerdictInput } from "../../generated/graphql";
import { notFound } from "../../shared/errors";
import { parseInput } from "../../shared/validation";
import { lockArticleOfClaim, lockRow } from "../../shared/locks";
import { gate } from "../../shared/write-gate";
import { assertCanRecordVerdict } from "./verdict.policy";
import { recordVerdictInput } from "./verdict.validation";

/** Appends to the claim's verdict history and makes it the current verdict, atomically. */
export async function recordVerdict(ctx: Context, rawInput: RecordVerdictInput) {
  const viewer = assertCanRecordVerdict(ctx);
  const input = parseInput(recordVerdictInput, rawInput);
  return gate(ctx, {
    lock: (tx) => lockArticleOfClaim(tx, input.claimId, "share", "input.claimId"),
    authorise: () => viewer,
    async write({ tx, locked: article, audit }) {
      // Lock the claim so that concurrent verdicts on it are serialised: the denormalised current
      // rating always matches the newest history entry, and "before" is the verdict this one follows.
      if (!(await lockRow(tx, "claim", input.claimId, "update"))) throw notFound("Claim", input.claimId, "input.claimId");
      const previous = await tx.verdict.findFirst({ where: { claimId: input.claimId }, orderBy: { sequence: "desc" } });
      await tx.claim.update({ where: { id: input.claimId }, data: { currentRating: input.rating } });
      const verdict = await tx.verdict.create({
        data: { claimId: input.claimId, rating: input.rating, rationale: input.rationale ?? null, reviewUrl: input.reviewUrl ?? null, recordedById: viewer.id },
      });
      await audit({
        entity: "Verdict",
        entityId: verdict.id,
        articleId: article.id,
        action: "RECORD",
        before: previous ? { claimId: input.claimId, rating: previous.rating, rationale: previous.rationale, reviewUrl: previous.reviewUrl } : null,
        after: { claimId: input.claimId, rating: verdict.rating, rationale: verdict.rationale, reviewUrl: verdict.reviewUrl },
      });
      return verdict;
    },
  });
}
