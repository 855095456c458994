import type { Context } from "./context";
import type { Role, Viewer } from "./viewer";
import { forbidden, unauthenticated } from "./errors";

/**
 * The building blocks of authorisation. The rules themselves live in each module's `*.policy.ts`;
 * services apply those that depend on rows inside the write gate (shared/write-gate.ts), against
 * the locked rows, and role-only ones before any lookup; resolvers never check access.
 */
export const ALL_STAFF: readonly Role[] = ["ADMIN", "EDITOR", "FACT_CHECKER", "REPORTER"];
export const EDITORS: readonly Role[] = ["ADMIN", "EDITOR"];
export const CHECKERS: readonly Role[] = ["ADMIN", "EDITOR", "FACT_CHECKER"];

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw unauthenticated("Sign in to do this");
  return ctx.viewer;
}

export function requireRole(ctx: Context, roles: readonly Role[], action: string): Viewer {
  const viewer = requireViewer(ctx);
  if (!roles.includes(viewer.role)) throw forbidden(`A ${viewer.role} may not ${action}`);
  return viewer;
}

export function hasRole(viewer: Viewer | null, roles: readonly Role[]): boolean {
  return viewer != null && roles.includes(viewer.role);
}

/** Anonymous readers see published work only; every signed-in member of staff sees everything. */
export function seesUnpublished(viewer: Viewer | null): boolean {
  return viewer != null;
}
