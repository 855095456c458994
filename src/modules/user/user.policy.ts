import type { Context } from "../../shared/context";
import { requireRole } from "../../shared/access";

/** Users and API tokens are managed by admins only. */
export function assertCanManageUsers(ctx: Context) {
  return requireRole(ctx, ["ADMIN"], "manage users and API tokens");
}
