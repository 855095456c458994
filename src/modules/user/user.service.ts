import type { Context } from "../../shared/context";
import type { IssueApiTokenInput, SignInInput, UpdateUserInput, CreateUserInput } from "../../generated/graphql";
import { requireViewer } from "../../shared/access";
import { conflict, notFound, unauthenticated } from "../../shared/errors";
import { parseInput } from "../../shared/validation";
import { lockRow } from "../../shared/locks";
import { gate, nothingToLock } from "../../shared/write-gate";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./user.password";
import { assertCanManageUsers } from "./user.policy";
import { hashToken, issueToken, SESSION_LIFETIME_MS } from "./user.tokens";
import { createUserInput, issueApiTokenInput, signInInput, updateUserInput } from "./user.validation";

/** Null for an anonymous reader (who reads nothing: `me` is listed in the module's recordedReads). */
export function me(ctx: Context) {
  return ctx.viewer ? ctx.loaders.userById.load(ctx.viewer.id) : null;
}

/**
 * Same answer for an unknown email, a wrong password and a deactivated user, in the same time (an
 * unknown email is checked against a decoy hash). Repeated failures lock the email and the client
 * IP out for a while (see user.throttle.ts), whether the email exists or not.
 */
export async function signIn(ctx: Context, rawInput: SignInInput) {
  const input = parseInput(signInInput, rawInput);
  await ctx.signInThrottle?.attempt(input.email, ctx.clientIp);
  const user = await ctx.prisma.user.findUnique({ where: { email: input.email } });
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await decoyPasswordHash()));
  if (!user || !user.active || !user.passwordHash || !passwordOk) throw unauthenticated("Wrong email or password");
  await ctx.signInThrottle?.succeeded(input.email, ctx.clientIp);
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  const { token } = await issueToken(ctx.prisma, user.id, "SESSION", { expiresAt });
  return { token, expiresAt, user };
}

export async function signOut(ctx: Context, bearerToken: string | null) {
  requireViewer(ctx);
  if (!bearerToken) return false;
  const { count } = await ctx.prisma.authToken.updateMany({
    where: { tokenHash: hashToken(bearerToken), revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count > 0;
}

export function listUsers(ctx: Context) {
  assertCanManageUsers(ctx);
  return ctx.prisma.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export async function createUser(ctx: Context, rawInput: CreateUserInput) {
  const viewer = assertCanManageUsers(ctx);
  const input = parseInput(createUserInput, rawInput);
  const passwordHash = await hashPassword(input.password);
  return gate(ctx, {
    lock: nothingToLock,
    authorise: () => viewer,
    async write({ tx, audit }) {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
        throw conflict(`A user with the email ${input.email} already exists`, { field: "input.email" });
      }
      const user = await tx.user.create({ data: { email: input.email, name: input.name, role: input.role, passwordHash } });
      await audit({ entity: "User", entityId: user.id, action: "CREATE", after: user });
      return user;
    },
  });
}

export async function updateUser(ctx: Context, rawInput: UpdateUserInput) {
  const viewer = assertCanManageUsers(ctx);
  const { id, password, ...changes } = parseInput(updateUserInput, rawInput);
  const passwordHash = password ? await hashPassword(password) : undefined;
  return gate(ctx, {
    // Locked before it is read: the audited "before" is what this update replaces.
    lock: async (tx) => ((await lockRow(tx, "app_user", id, "update")) ? tx.user.findUnique({ where: { id } }) : null),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      if (!before) throw notFound("User", id);
      const after = await tx.user.update({
        where: { id },
        data: {
          ...(changes.name ? { name: changes.name } : {}),
          ...(changes.role ? { role: changes.role } : {}),
          ...(changes.active != null ? { active: changes.active } : {}),
          ...(passwordHash ? { passwordHash } : {}),
        },
      });
      // Deactivating revokes every token of the user, so that reactivating them later does not bring
      // old sessions and API tokens (possibly leaked ones) back to life.
      const revoked = before.active && !after.active
        ? (await tx.authToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } })).count
        : 0;
      const note = { ...(passwordHash ? { passwordChanged: true } : {}), ...(revoked ? { tokensRevoked: revoked } : {}) };
      await audit({
        entity: "User",
        entityId: id,
        action: "UPDATE",
        before,
        after,
        ...(Object.keys(note).length ? { note } : {}),
      });
      return after;
    },
  });
}

export async function listApiTokens(ctx: Context, userId: string | null | undefined) {
  assertCanManageUsers(ctx);
  return ctx.prisma.authToken.findMany({
    where: { kind: "API", ...(userId ? { userId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export async function issueApiToken(ctx: Context, rawInput: IssueApiTokenInput) {
  const viewer = assertCanManageUsers(ctx);
  const input = parseInput(issueApiTokenInput, rawInput);
  return gate(ctx, {
    async lock(tx) {
      const user = await tx.user.findUnique({ where: { id: input.userId } });
      if (!user) throw notFound("User", input.userId, "input.userId");
      return user;
    },
    authorise: () => viewer,
    async write({ tx, locked: user, audit }) {
      const { token, record } = await issueToken(tx, user.id, "API", { name: input.name, expiresAt: input.expiresAt ?? null });
      await audit({ entity: "ApiToken", entityId: record.id, action: "ISSUE_TOKEN", after: record, note: { userId: user.id } });
      return { token, apiToken: record };
    },
  });
}

export async function revokeApiToken(ctx: Context, id: string) {
  const viewer = assertCanManageUsers(ctx);
  return gate(ctx, {
    // Locked before it is read: two revocations at once audit one REVOKE_TOKEN, not two.
    lock: async (tx) => ((await lockRow(tx, "auth_token", id, "update")) ? tx.authToken.findFirst({ where: { id, kind: "API" } }) : null),
    authorise: () => viewer,
    async write({ tx, locked: before, audit }) {
      if (!before) throw notFound("ApiToken", id);
      if (before.revokedAt) return before;
      const after = await tx.authToken.update({ where: { id }, data: { revokedAt: new Date() } });
      await audit({ entity: "ApiToken", entityId: id, action: "REVOKE_TOKEN", before, after });
      return after;
    },
  });
}
