import type { Tx } from "../../src/db/prisma";
import type { Role } from "../../src/generated/prisma/client";
import { hashPassword } from "../../src/modules/user/user.password";

/**
 * LOCAL USE ONLY: one user per role with a published password, so that a newcomer can sign in to
 * the playground at once. Never seeded when NODE_ENV=production; in production create the first
 * admin with `npm run admin:create`.
 */
export const LOCAL_USERS: Array<{ key: string; email: string; name: string; role: Role; password: string }> = [
  { key: "admin", email: "admin@claimdesk.local", name: "Ada Admin", role: "ADMIN", password: "local-admin-password" },
  { key: "editor", email: "editor@claimdesk.local", name: "Eddie Editor", role: "EDITOR", password: "local-editor-password" },
  { key: "factChecker", email: "factchecker@claimdesk.local", name: "Fay Checker", role: "FACT_CHECKER", password: "local-checker-password" },
  { key: "reporter", email: "reporter@claimdesk.local", name: "Remy Reporter", role: "REPORTER", password: "local-reporter-password" },
];

/** Creates the local users that are missing (existing ones, and their passwords, are left alone). */
export async function seedLocalUsers(tx: Tx): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const user of LOCAL_USERS) {
    const existing = await tx.user.findUnique({ where: { email: user.email }, select: { id: true } });
    ids[user.key] =
      existing?.id ??
      (await tx.user.create({ data: { email: user.email, name: user.name, role: user.role, passwordHash: await hashPassword(user.password) } })).id;
  }
  return ids;
}
