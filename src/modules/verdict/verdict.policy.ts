import type { Context } from "../../shared/context";
import { CHECKERS, requireRole } from "../../shared/access";

export function assertCanRecordVerdict(ctx: Context) {
  return requireRole(ctx, CHECKERS, "record verdicts");
}
