import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient, Tx } from "../../db/prisma";
import type { AuthToken, TokenKind, User } from "../../generated/prisma/client";
import type { Viewer } from "../../shared/viewer";

/** Bearer tokens: 256 random bits, prefixed so that leaked tokens are recognisable. */
const TOKEN_PREFIX = "cdk_";
export const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
/** last_used_at is written at most this often per token, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function issueToken(
  tx: Tx | PrismaClient,
  userId: string,
  kind: TokenKind,
  options: { name?: string | null; expiresAt?: Date | null } = {},
) {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const record = await tx.authToken.create({
    data: { userId, kind, name: options.name ?? null, tokenHash: hashToken(token), expiresAt: options.expiresAt ?? null },
  });
  return { token, record };
}

/**
 * The viewer a bearer token stands for, or null when the token is unknown, revoked, expired or its
 * user deactivated.
 */
export async function viewerForToken(prisma: PrismaClient, token: string): Promise<Viewer | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  // One statement per authenticated request (Prisma's `include` would send two).
  const [record] = await prisma.$queryRaw<Array<Pick<AuthToken, "id" | "revokedAt" | "expiresAt" | "lastUsedAt"> & { user: Pick<User, "id" | "role" | "name" | "email" | "active"> }>>`
    SELECT t.id, t.revoked_at AS "revokedAt", t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt",
      json_build_object('id', u.id, 'role', u.role, 'name', u.name, 'email', u.email, 'active', u.active) AS "user"
    FROM auth_token t JOIN app_user u ON u.id = t.user_id
    WHERE t.token_hash = ${hashToken(token)}`;
  const now = new Date();
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt <= now) || !record.user.active) return null;
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.authToken.update({ where: { id: record.id }, data: { lastUsedAt: now } });
  }
  const { user } = record;
  return { id: user.id, role: user.role, name: user.name, email: user.email };
}
